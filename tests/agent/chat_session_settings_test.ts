import assert from "node:assert/strict";
import { parseChatCommand } from "../../src/agent/chat_commands.ts";
import { sessionSettingChange, type SettingCommand } from "../../src/agent/chat_session_settings.ts";
import type { SessionRow } from "../../src/sessions/session_row.ts";

const change = (text: string, row?: Partial<SessionRow>) =>
  sessionSettingChange(parseChatCommand(text) as SettingCommand, row as SessionRow | undefined);

Deno.test("/usage: a bare one turns the stored footer to the next (off → tokens → full → off); words by the reference's aliases", () => {
  assert.deepEqual(change("/usage"), { patch: { responseUsage: "tokens" }, reply: "⚙️ Usage footer: tokens." });
  assert.deepEqual(change("/usage", { responseUsage: "tokens" }).patch, { responseUsage: "full" });
  assert.deepEqual(change("/usage", { responseUsage: "full" }).patch, { responseUsage: "off" });
  // A stored legacy word counts as what it names ("on" is tokens).
  assert.deepEqual(change("/usage", { responseUsage: "on" }).patch, { responseUsage: "full" });
  const words = [["yes", "tokens"], ["MIN", "tokens"], ["disabled", "off"], ["session", "full"]] as const;
  for (const [word, mode] of words) {
    assert.deepEqual(change(`/usage ${word}`).patch, { responseUsage: mode }, word);
  }
  for (const word of ["reset", "default", "inherit", "clear", "unpin"]) {
    assert.deepEqual(change(`/usage ${word}`), {
      patch: { responseUsage: undefined },
      reply: "⚙️ Usage footer: reset to default.",
    });
  }
  assert.deepEqual(change("/usage tokens please"), { reply: "⚙️ Usage: /usage off|tokens|full|reset|cost" });
  assert.equal(change("/usage cost").patch, undefined);
});

Deno.test("/send and /activation: their words, the usage line for any other, the policy's label in the reply", () => {
  assert.deepEqual(change("/send on"), { patch: { sendPolicy: "allow" }, reply: "⚙️ Send policy set to on." });
  assert.deepEqual(change("/send DENY"), { patch: { sendPolicy: "deny" }, reply: "⚙️ Send policy set to off." });
  assert.deepEqual(change("/send reset"), {
    patch: { sendPolicy: undefined },
    reply: "⚙️ Send policy set to inherit.",
  });
  assert.deepEqual(change("/send maybe"), { reply: "⚙️ Usage: /send on|off|inherit" });
  assert.deepEqual(change("/activation Always"), {
    patch: { groupActivation: "always" },
    reply: "⚙️ Group activation set to always.",
  });
  assert.deepEqual(change("/activation"), { reply: "⚙️ Usage: /activation mention|always" });
});
