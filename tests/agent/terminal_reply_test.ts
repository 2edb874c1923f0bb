import assert from "node:assert/strict";
import { terminalReply } from "../../src/agent/terminal_reply.ts";

Deno.test("terminalReply: visible with the trimmed text, empty without text, long text cut with …", () => {
  assert.deepEqual(terminalReply("  Hello.\n"), { disposition: "visible", text: "Hello." });
  assert.deepEqual(terminalReply(""), { disposition: "empty" });
  assert.deepEqual(terminalReply(" \n "), { disposition: "empty" });
  const long = terminalReply("x".repeat(5000)) as { text: string };
  assert.equal(long.text.length, 4096);
  assert.ok(long.text.endsWith("x…"));
});
