import assert from "node:assert/strict";
import { z } from "zod";
import { appendNumericBoundHint, zodIssueWords } from "../../src/config/zod_issue_words.ts";
import { summarizeAllowedValues } from "../../src/config/allowed_values.ts";
import { choice } from "../../src/config/schema_choice.ts";

function firstIssue(schema: z.ZodType, value: unknown): z.core.$ZodIssue {
  const result = schema.safeParse(value);
  assert.ok(!result.success);
  return result.error.issues[0]!;
}

Deno.test("zodIssueWords() words a union of literals as `Invalid input (allowed: …)` with its values", () => {
  assert.deepEqual(zodIssueWords(firstIssue(choice(["local", "remote"]), "LOCAL")), {
    message: 'Invalid input (allowed: "local", "remote")',
    allowedValues: ["local", "remote"],
    allowedValuesHiddenCount: 0,
  });
});

Deno.test("zodIssueWords() keeps an enum's own list and still lists its values", () => {
  const words = zodIssueWords(firstIssue(z.enum(["main", "per-group"]), "x"));
  assert.equal(words.message, 'Invalid option: expected one of "main"|"per-group"');
  assert.deepEqual(words.allowedValues, ["main", "per-group"]);
});

Deno.test("zodIssueWords() offers true/false for a boolean and nothing for other types", () => {
  assert.equal(
    zodIssueWords(firstIssue(z.boolean(), "yes")).message,
    "Invalid input: expected boolean, received string (allowed: true, false)",
  );
  assert.deepEqual(zodIssueWords(firstIssue(z.string(), 5)), {
    message: "Invalid input: expected string, received number",
  });
});

Deno.test("zodIssueWords() gives no list for a union with a free-form branch", () => {
  assert.deepEqual(zodIssueWords(firstIssue(z.union([z.string(), z.literal(false)]), 5)), { message: "Invalid input" });
});

Deno.test("zodIssueWords() appends numeric bounds: inclusive as maximum/minimum, exclusive as less/greater than", () => {
  assert.equal(
    zodIssueWords(firstIssue(z.number().max(168), 500)).message,
    "Too big: expected number to be <=168 (maximum: 168)",
  );
  assert.equal(
    zodIssueWords(firstIssue(z.number().positive(), 0)).message,
    "Too small: expected number to be >0 (must be greater than 0)",
  );
  assert.equal(
    appendNumericBoundHint("m", { code: "too_big", origin: "number", maximum: 3, inclusive: false }),
    "m (must be less than 3)",
  );
  // Only numbers: a string's length bound keeps zod's words.
  assert.equal(
    zodIssueWords(firstIssue(z.string().min(2), "a")).message,
    "Too small: expected string to have >=2 characters",
  );
});

Deno.test("summarizeAllowedValues() shows twelve, counts the rest, de-duplicates and cuts long labels", () => {
  const many = Array.from({ length: 14 }, (_, i) => `v${i}`);
  const summary = summarizeAllowedValues([...many, "v0"])!;
  assert.equal(summary.values.length, 12);
  assert.equal(summary.hiddenCount, 2);
  assert.match(summary.formatted, /"v11", \.\.\. \(\+2 more\)$/);
  const long = summarizeAllowedValues(["x".repeat(170)])!;
  assert.equal(long.formatted, `"${"x".repeat(160)}... (+10 chars)"`);
  assert.equal(summarizeAllowedValues([]), undefined);
});
