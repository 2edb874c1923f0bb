import assert from "node:assert/strict";
import { isShellReferenceToKey, redactTokens } from "../../src/sessions/secret_text_redaction.ts";

Deno.test("redactTokens() masks known token shapes wherever they appear", () => {
  assert.equal(redactTokens("key sk-abcdefghijklmnopqrstuvwxyz here"), "key sk-abc…wxyz here");
  assert.equal(redactTokens("nothing secret"), "nothing secret");
});

Deno.test("redactTokens() runs the form passes before the rules, and the rules in the reference's order", () => {
  // The env rule masks the value before the vendor shape could, so the vendor shape sees only the mask.
  assert.equal(redactTokens("OPENAI_API_KEY=sk-proj-abcdefghijklmnop1234"), "OPENAI_API_KEY=sk-pro…1234");
  // The form pass turns the value into `***` first; the first-pair rule then leaves `***` alone.
  assert.equal(redactTokens("client_secret=abcdefghijklmnopqrstuvwxyz&x=1"), "client_secret=***&x=1");
  // A lowercase `authorization:` line is a header for one rule and a config line for another.
  assert.equal(
    redactTokens("authorization: bearer abcdefghijklmnopqrstuvwxyz012345"),
    "authorization: *** abcdef…2345",
  );
});

Deno.test("isShellReferenceToKey() keeps a variable that only names itself", () => {
  assert.equal(isShellReferenceToKey("GITHUB_TOKEN", "$GITHUB_TOKEN"), true);
  assert.equal(isShellReferenceToKey("GITHUB_TOKEN", "${GITHUB_TOKEN:-}"), true);
  assert.equal(isShellReferenceToKey("GITHUB_TOKEN", "$OTHER_TOKEN"), false);
  assert.equal(isShellReferenceToKey("github_token", "$github_token"), false);
});

Deno.test("redactTokens() masks each vendor's token shape as the reference's redactSecrets does", async () => {
  // Recorded by tools/record_reference_token_redaction.ts from the reference's own redaction.
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/trajectory/reference_token_redaction.json", import.meta.url)),
  ) as { input: string; redacted: string }[];
  assert.ok(recorded.length >= 20);
  for (const { input, redacted } of recorded) assert.equal(redactTokens(input), redacted, input);
});

Deno.test("redactTokens() gets through long adversarial lines in time proportional to their length", () => {
  // The reference takes 9 s on the first line and 1 s on the second (a header name or URL scheme repeated
  // inside one unbroken run, each rescanning the rest); ours take a few tens of milliseconds each. The expected
  // outputs are the reference's.
  const lines: [string, string][] = [
    ["Authorization:".repeat(10_000) + "x y", "Authorization:".repeat(10_000) + "x ***"],
    ["redis://a:".repeat(10_000) + " token", "redis://a:".repeat(10_000) + " token"],
    ["-----BEGIN PRIVATE KEY-----".repeat(5_000), "-----BEGIN PRIVATE KEY-----".repeat(5_000)],
    ["key=a&".repeat(15_000), "key=***&".repeat(15_000)],
    ["Authorization: Digest a ".repeat(10_000), "Authorization: Digest *** ".repeat(10_000)],
  ];
  for (const [line, expected] of lines) {
    const started = performance.now();
    const redacted = redactTokens(line);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 2000, `${line.slice(0, 24)}… (${line.length} characters) took ${Math.round(elapsed)} ms`);
    assert.equal(redacted, expected);
  }
});
