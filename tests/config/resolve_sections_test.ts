import assert from "node:assert/strict";
import { resolvePaths } from "../../src/config/paths.ts";
import { planConfigReload } from "../../src/config/reload_plan.ts";
import { resolveConfig, resolveReloadView } from "../../src/config/resolve.ts";
import { resolveNodeCommands } from "../../src/config/resolve_sections.ts";
import { resolveHttpMedia } from "../../src/config/resolve_http_media.ts";

const paths = resolvePaths({ env: { HOME: "/home/u" }, exists: () => false });

Deno.test("resolveConfig() applies every section's defaults once for an empty file", () => {
  const resolved = resolveConfig({ paths, config: {}, env: {} });
  assert.equal(resolved.mode, undefined);
  assert.deepEqual(resolved.proxies, { trustedProxies: [], allowRealIpFallback: false });
  assert.deepEqual(resolved.http, { chatCompletions: false, responses: false, media: resolveHttpMedia({}) });
  assert.deepEqual(resolved.tools, {});
  assert.deepEqual(resolved.hooks, {
    enabled: false,
    path: undefined,
    token: undefined,
    allowRequestSessionKey: false,
    allowedAgentIds: undefined,
    defaultSessionKey: undefined,
    allowedSessionKeyPrefixes: undefined,
    mappings: undefined,
    presets: undefined,
    transformsDir: undefined,
    gmail: undefined,
  });
  assert.deepEqual(resolved.channels, {});
  assert.deepEqual(resolved.bindings, []);
  assert.deepEqual(resolved.session, {});
  assert.deepEqual(resolved.agents.agents.map((a) => [a.id, a.isDefault, a.workspace]), [
    ["main", true, `${paths.stateDir}/workspace`],
  ]);
  assert.equal(resolved.agents.providers.size, 0);
  assert.deepEqual(resolved.models, []);
});

Deno.test("resolveConfig() reads each section as written", () => {
  const resolved = resolveConfig({
    paths,
    env: {},
    config: {
      gateway: {
        mode: "local",
        trustedProxies: ["10.0.0.1"],
        allowRealIpFallback: true,
        tools: { deny: ["sessions_list"] },
        http: { endpoints: { chatCompletions: { enabled: true } } },
      },
      hooks: { enabled: true, path: "/in", token: "hook-secret", allowedAgentIds: ["main"] },
      channels: { irc: { host: "irc.example", nick: "bot" } },
      bindings: [{ agentId: "ops", match: { channel: "irc" } }],
      session: { dmScope: "per-peer" },
      models: {
        providers: { local: { baseUrl: "http://127.0.0.1:11434/v1/", models: ["m1", { id: "m2", name: "M2" }] } },
      },
      agents: { defaults: { model: "local/m1" } },
    },
  });
  assert.equal(resolved.mode, "local");
  assert.deepEqual(resolved.proxies, { trustedProxies: ["10.0.0.1"], allowRealIpFallback: true });
  assert.deepEqual(resolved.http, { chatCompletions: true, responses: false, media: resolveHttpMedia({}) });
  assert.deepEqual(resolved.tools, { deny: ["sessions_list"] });
  assert.equal(resolved.hooks.enabled, true);
  assert.equal(resolved.hooks.token, "hook-secret");
  assert.equal(resolved.channels.irc?.host, "irc.example");
  assert.equal(resolved.bindings[0]?.agentId, "ops");
  assert.equal(resolved.session.dmScope, "per-peer");
  assert.equal(resolved.agents.providers.get("local")?.baseUrl, "http://127.0.0.1:11434/v1");
  assert.deepEqual(resolved.agents.agents[0]?.model, { provider: "local", model: "m1" });
  assert.deepEqual(resolved.models.map((m) => [m.provider, m.id, m.name]), [["local", "m1", "m1"], [
    "local",
    "m2",
    "M2",
  ]]);
});

Deno.test("resolveReloadView() resolves the reload and auth modes as resolveConfig() does", () => {
  for (
    const config of [
      {},
      { gateway: { auth: { token: "t".repeat(32) } } },
      { gateway: { auth: { password: "p".repeat(32) } } },
      { gateway: { reload: { mode: "off" as const }, auth: { mode: "none" as const } } },
    ]
  ) {
    for (const env of [{}, { OPENCLAW_GATEWAY_PASSWORD: "p".repeat(32) }]) {
      const full = resolveConfig({ paths, config, env });
      const view = resolveReloadView({ config, env });
      assert.deepEqual(view, { reload: full.reload, auth: full.auth });
    }
  }
});

Deno.test("planConfigReload() counts an implied auth mode change, and SIGHUP applies under mode off", () => {
  const view = (mode: "token" | "password", reload: "off" | "hybrid" = "hybrid") => ({
    reload: { mode: reload },
    auth: { mode },
  });
  const changed = ["gateway.auth.password", "gateway.auth.token"];
  assert.equal(planConfigReload({ current: view("token"), next: view("password"), changed }).action, "restart");
  assert.equal(planConfigReload({ current: view("token"), next: view("token"), changed }).action, "hot");
  const off = { current: view("token", "off"), next: view("token", "off"), changed: ["logging.level"] };
  assert.equal(planConfigReload(off).action, "ignore");
  assert.equal(planConfigReload({ ...off, requested: true }).action, "hot");
});

Deno.test("gateway.nodes.commands: allow and deny lists as written, empty when absent", () => {
  assert.deepEqual(resolveNodeCommands({}), { allow: [], deny: [] });
  assert.deepEqual(
    resolveNodeCommands({ gateway: { nodes: { commands: { allow: ["sms.send"], deny: ["camera.snap"] } } } }),
    { allow: ["sms.send"], deny: ["camera.snap"] },
  );
});
