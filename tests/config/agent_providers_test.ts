import assert from "node:assert/strict";
import { parseBindingSpecs } from "../../src/config/agent_bindings.ts";
import { bindingRoutes, providerLines } from "../../src/config/agent_providers.ts";

// Recorded against the reference's `agents list` on this config (its plugin-only channels aside).
const tree = {
  channels: {
    telegram: { botToken: "123456:ABCdef", accounts: { alerts: { botToken: "999:xyz", name: "Alerts Bot" } } },
    irc: { host: "irc.libera.chat", nick: "claw", enabled: false },
  },
};

Deno.test("agents list routes and provider lines: configured channels only, each bound account's local state", () => {
  const bindings = parseBindingSpecs(tree, "work", ["telegram:alerts", "irc", "telegram:zzz"]).bindings;
  assert.deepEqual(
    bindingRoutes(tree, bindings),
    ["Telegram alerts", "Telegram zzz"],
    "a disabled channel routes nothing",
  );
  assert.deepEqual(providerLines(tree, bindings, false), [
    "Telegram alerts (Alerts Bot): configured",
    "Telegram zzz: unknown",
  ]);
  assert.deepEqual(providerLines(tree, [], true), ["Telegram alerts (Alerts Bot): configured"]);
  assert.deepEqual(providerLines(tree, [], false), []);
  const everyAccount = parseBindingSpecs(tree, "work", ["telegram:*"]).bindings;
  assert.deepEqual(bindingRoutes(tree, everyAccount), ["Telegram *"]);
  assert.deepEqual(providerLines(tree, everyAccount, false), ["Telegram alerts (Alerts Bot): configured"]);
});
