import assert from "node:assert/strict";
import { isChatStopText } from "../../src/agent/chat_stop_text.ts";

Deno.test("isChatStopText: /stop in the spellings the reference's normalizer takes, and the spoken triggers", () => {
  for (
    const text of ["/stop", " /STOP ", "/stop:", "/stop :", "/stop!", "/stop\nand more", "stop", "Stop please!", "停止"]
  ) {
    assert.equal(isChatStopText(text), true, text);
  }
});

Deno.test("isChatStopText: arguments, bot names, other words and multi-line plain text are not a stop", () => {
  for (const text of ["/stop now", "/stop@bot", "/stopp", "stop it", "stop\nfoo", "hello", "", "/new"]) {
    assert.equal(isChatStopText(text), false, text);
  }
});
