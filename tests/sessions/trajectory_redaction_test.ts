import assert from "node:assert/strict";
import { redactExportValue, redactPathString } from "../../src/sessions/trajectory_redaction.ts";
import { maskToken } from "../../src/sessions/secret_mask.ts";
import { redactTokens } from "../../src/sessions/secret_text_redaction.ts";

const places = { workspaceDir: "/w/ws", stateDir: "/h/.openclaw", home: "/h" };

Deno.test("maskToken() hides short secrets and keeps 6 + 4 characters of long ones", () => {
  assert.equal(maskToken("agent:main:main"), "***");
  assert.equal(maskToken("sk-abcdefghijklmnopqrstuvwxyz"), "sk-abc…wxyz");
});

Deno.test("redactPathString() names the workspace, the state dir and the home", () => {
  assert.equal(redactPathString("/w/ws/notes.txt", places), "$WORKSPACE_DIR/notes.txt");
  assert.equal(redactPathString("/w/wsx", places), "/w/wsx");
  assert.equal(redactPathString("/h/.openclaw/agents/main", places), "$OPENCLAW_STATE_DIR/agents/main");
  assert.equal(redactPathString("/h/notes", places), "~/notes");
  assert.equal(redactPathString("plain words", places), "plain words");
});

Deno.test("redactTokens() masks known token shapes wherever they appear", () => {
  assert.equal(redactTokens("key sk-abcdefghijklmnopqrstuvwxyz here"), "key sk-abc…wxyz here");
  assert.equal(redactTokens("nothing secret"), "nothing secret");
});

Deno.test("redactTokens() masks each vendor's token shape as the reference's redactSecrets does", async () => {
  // Recorded by tools/record_reference_token_redaction.ts from the reference's own redaction.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/trajectory/reference_token_redaction.json", import.meta.url)),
  ) as { input: string; redacted: string }[];
  assert.ok(recorded.length >= 20);
  for (const { input, redacted } of recorded) assert.equal(redactTokens(input), redacted, input);
});

Deno.test("redactExportValue() masks values under secret-named keys (the session key too)", () => {
  assert.deepEqual(redactExportValue({ sourceFiles: { session: "agent:main:main" }, key: 5, name: "x" }, places), {
    sourceFiles: { session: "***" },
    key: "***",
    name: "x",
  });
});

Deno.test("redactExportValue() redacts object keys like values and keeps them unique", () => {
  assert.deepEqual(redactExportValue({ "/w/ws/a": 1, "$WORKSPACE_DIR/a": 2 }, places), {
    "$WORKSPACE_DIR/a": 1,
    "$WORKSPACE_DIR/a#2": 2,
  });
});

Deno.test("redactTokens() applies the reference's context rules, near-misses left alone", async () => {
  // Recorded by tools/record_reference_token_redaction.ts from the reference's own redaction: assignments,
  // quoted fields, HTTP auth headers, form bodies, config lines, PEM blocks; objects are redacted field by field.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/trajectory/reference_context_redaction.json", import.meta.url)),
  ) as { rule: string; input: unknown; redacted: unknown }[];
  assert.ok(recorded.length >= 80);
  const mismatches = recorded.flatMap(({ rule, input, redacted }) => {
    const ours = typeof input === "string" ? redactTokens(input) : redactExportValue(input, places);
    return JSON.stringify(ours) === JSON.stringify(redacted) ? [] : [{ rule, input, ours, reference: redacted }];
  });
  assert.deepEqual(mismatches, []);
});

Deno.test("redactTokens() gets through long adversarial lines in time proportional to their length", () => {
  // The reference takes 18 s on the first line and 3 s on the second (a header name or URL scheme repeated
  // inside one unbroken run, each rescanning the rest); each of ours takes well under a second. The expected
  // outputs are the reference's (checked on shorter repetitions of the same lines).
  const lines: [string, string][] = [
    ["Authorization:".repeat(20_000) + "x y", "Authorization:".repeat(20_000) + "x ***"],
    ["redis://a:".repeat(20_000) + " token", "redis://a:".repeat(20_000) + " token"],
    ["-----BEGIN PRIVATE KEY-----".repeat(10_000), "-----BEGIN PRIVATE KEY-----".repeat(10_000)],
    ["key=a&".repeat(30_000), "key=***&".repeat(30_000)],
    ["Authorization: Digest a ".repeat(20_000), "Authorization: Digest *** ".repeat(20_000)],
  ];
  for (const [line, expected] of lines) {
    const started = performance.now();
    const redacted = redactTokens(line);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `${line.slice(0, 24)}… (${line.length} characters) took ${Math.round(elapsed)} ms`);
    assert.equal(redacted, expected);
  }
});
