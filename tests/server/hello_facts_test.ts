import assert from "node:assert/strict";
import type { ConfigSnapshot } from "../../src/config/load.ts";
import type { ResolvedConfig } from "../../src/config/resolve.ts";
import { helloFacts } from "../../src/server/hello_facts.ts";

function resolved(model: boolean): ResolvedConfig {
  return {
    paths: { configPath: "/h/.openclaw/openclaw.json", stateDir: "/h/.openclaw" },
    auth: { mode: "token" },
    agents: {
      defaultAgentId: "main",
      agents: [{ id: "main", isDefault: true, model: model ? { provider: "fake", model: "m1" } : undefined }],
    },
  } as unknown as ResolvedConfig;
}

function snapshot(config: Record<string, unknown>, exists = true): ConfigSnapshot {
  return { path: "/h/.openclaw/openclaw.json", exists, source: "{}", authored: config, config, hash: "h1" };
}

Deno.test("helloFacts() reports the config hash, the default agent's main session and where config and state live", () => {
  assert.deepEqual(helloFacts(resolved(true), snapshot({})), {
    appliedConfigHash: "h1",
    sessionDefaults: {
      defaultAgentId: "main",
      modelConfigured: true,
      ownership: "sole",
      selectionRequired: false,
      mainKey: "main",
      mainSessionKey: "agent:main:main",
      scope: "per-sender",
    },
    updateSchedule: { channel: "stable", autoEnabled: false },
    configPath: "/h/.openclaw/openclaw.json",
    stateDir: "/h/.openclaw",
    authMode: "token",
  });
});

Deno.test("helloFacts() follows session.scope and update.channel, not session.mainKey (ignored, as the reference ignores it); no file means no hash", () => {
  const facts = helloFacts(
    resolved(false),
    snapshot({ session: { mainKey: "Home", scope: "global" }, update: { channel: "beta" } }, false),
  );
  assert.equal(facts.appliedConfigHash, null);
  assert.equal(facts.sessionDefaults.modelConfigured, false);
  assert.deepEqual([facts.sessionDefaults.mainKey, facts.sessionDefaults.mainSessionKey], ["main", "global"]);
  assert.equal(facts.updateSchedule.channel, "beta");
});

Deno.test("helloFacts() tells clients the main session the reference told them with session.mainKey set", async () => {
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/sessions_abort/reference_main_key.json", import.meta.url)),
  ) as { mainKey: string; sessionDefaults: Record<string, unknown> };
  const facts = helloFacts(resolved(true), snapshot({ session: { mainKey: recorded.mainKey } }));
  assert.deepEqual(facts.sessionDefaults, recorded.sessionDefaults);
});
