import assert from "node:assert/strict";
import { capToolResult, liveToolResultMaxChars, truncateToolResultText } from "../../src/agent/tool_result_limit.ts";

Deno.test("the live cap follows the reference: 30% of the window, tiers of 16k, 32k and 64k characters", () => {
  assert.equal(liveToolResultMaxChars(8_000), 9_600);
  assert.equal(liveToolResultMaxChars(32_000), 16_000);
  assert.equal(liveToolResultMaxChars(128_000), 32_000);
  assert.equal(liveToolResultMaxChars(200_000), 64_000);
  assert.equal(liveToolResultMaxChars(Number.NaN), 16_000);
});

Deno.test("a long result keeps its head and ends with the reference's truncation notice, within the cap", () => {
  const text = "line of output\n".repeat(10_000);
  const cut = truncateToolResultText(text, 16_000);
  assert.ok(cut.length <= 16_000, String(cut.length));
  assert.ok(cut.startsWith("line of output\n"));
  assert.match(cut, /\[\.\.\. \d+ more characters truncated; rerun with narrower args if needed\]$/);
  assert.equal(truncateToolResultText("short", 16_000), "short");
});

Deno.test("output ending in an error keeps its tail after the middle-omission marker", () => {
  const text = "x".repeat(100_000) + "\nfatal: exit code 2";
  const cut = truncateToolResultText(text, 16_000);
  assert.ok(cut.length <= 16_000);
  assert.ok(cut.includes("middle content omitted"));
  assert.ok(cut.includes("fatal: exit code 2"));
});

Deno.test("a result's text blocks share the cap; images stay", () => {
  const result = capToolResult({
    content: [{ type: "text", text: "a".repeat(30_000) }, { type: "image", data: "AA==", mimeType: "image/png" }, {
      type: "text",
      text: "b".repeat(10_000),
    }],
  }, 16_000);
  const texts = result.content.flatMap((c) => c.type === "text" ? [c.text] : []);
  assert.ok(texts.reduce((n, t) => n + t.length, 0) <= 16_000);
  assert.equal(result.content[1]!.type, "image");
});
