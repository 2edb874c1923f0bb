import assert from "node:assert/strict";
import type { AgentRuns } from "../../src/agent/runs.ts";
import type { HeartbeatControl, SystemEventInput } from "../../src/automation/heartbeat_control.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveGatewayConfig } from "../../src/config/resolve.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { hookRoutingError } from "../../src/server/hook_routing.ts";
import { hooksDeps } from "../../src/server/hooks_wiring.ts";

const paths = resolvePaths({ env: { HOME: "/h" } });
const resolve = (config: RawConfig) => resolveGatewayConfig({ paths, config, env: {} });
const runs = {} as AgentRuns;

Deno.test("hooks wiring: routing is resolved once per config; a reload the reference refuses keeps the last good one", () => {
  let config = resolve({ hooks: { enabled: true, token: "t", mappings: [{ match: { path: "a" } }] } });
  const deps = hooksDeps({
    heartbeat: { enqueue: () => "queued", runNow: () => Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 }) },
    runs,
    agents: () => config.agents,
    config: () => config,
  });
  const first = deps.routing();
  assert.equal(deps.routing(), first, "the same config gives the same routing (transforms stay loaded)");
  config = resolve({ hooks: { enabled: true, token: "t", presets: ["gmail"] } });
  assert.equal(deps.routing(), first, "a config that does not resolve leaves the last good routing in force");
  config = resolve({ hooks: { enabled: true, token: "t", mappings: [{ match: { path: "b" } }] } });
  assert.equal(deps.routing().mappings[0]?.matchPath, "b");
  assert.deepEqual(deps.settings(), { enabled: true, token: "t", path: "/hooks" });
  // Hooks turned on by a reload that does not resolve stay off, as before it.
  config = resolve({ hooks: { enabled: true, token: "t", presets: ["gmail"] } });
  let reads = 0;
  const fresh = hooksDeps({
    heartbeat: { enqueue: () => "queued", runNow: () => Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 }) },
    runs,
    agents: () => config.agents,
    config: () => (reads++, config),
  });
  assert.equal(fresh.settings().enabled, false);
  const perRequest = reads;
  for (let i = 0; i < 5; i++) assert.equal(fresh.settings().enabled, false);
  assert.equal(reads, perRequest + 5 * 2, "later requests read the config, not resolve the refused hooks again");
  config = resolve({ hooks: { enabled: true, token: "t", mappings: [{ match: { path: "c" } }] } });
  assert.equal(fresh.settings().enabled, true, "a config that resolves turns them on");
  assert.equal(fresh.routing().mappings[0]?.matchPath, "c");
});

Deno.test("hooks wiring: start-up names the reference's refusal; a wake now enqueues then asks for a heartbeat", () => {
  assert.equal(
    hookRoutingError(
      resolve({ hooks: { enabled: true, token: "t", defaultSessionKey: "x", allowedSessionKeyPrefixes: ["hook:"] } }),
    ),
    "hooks.defaultSessionKey must match hooks.allowedSessionKeyPrefixes",
  );
  assert.equal(hookRoutingError(resolve({ hooks: { enabled: true, token: "t" } })), undefined);
  const events: SystemEventInput[] = [];
  const reasons: string[] = [];
  const control: HeartbeatControl = {
    enqueue: (event) => (events.push(event), "queued"),
    runNow: (
      input,
    ) => (reasons.push(`${input.reason}/${input.agentId}`),
      Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 })),
  };
  const config = resolve({ hooks: { enabled: true, token: "t" } });
  const deps = hooksDeps({ heartbeat: control, runs, agents: () => config.agents, config: () => config });
  assert.equal(deps.wake({ text: "x", mode: "now", agentId: "main", sessionKey: "hook:k" }), "queued");
  assert.equal(deps.wake({ text: "y", mode: "next-heartbeat", agentId: "main" }), "queued");
  assert.deepEqual(events, [
    { text: "x", agentId: "main", sessionKey: "agent:main:hook:k" },
    { text: "y", agentId: "main", sessionKey: undefined },
  ]);
  assert.deepEqual(reasons, ["hook:wake/main"]);
});

Deno.test("hooks wiring: the channels hooks may name, and explicit accounts checked as the reference words it", () => {
  const config = resolve({ hooks: { enabled: true, token: "t" } });
  const deps = hooksDeps({
    heartbeat: { enqueue: () => "queued", runNow: () => Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 }) },
    runs,
    agents: () => config.agents,
    config: () => config,
    channelAccounts: () => ({ irc: [{ accountId: "default", enabled: true }, { accountId: "old", enabled: false }] }),
  });
  assert.deepEqual(deps.channels(), ["irc"]);
  assert.equal(deps.accountError?.("irc", "Default"), undefined);
  assert.equal(deps.accountError?.("irc", "old"), 'Account "old" for channel irc is disabled.');
  assert.equal(deps.accountError?.("irc", "x"), 'Unknown account "x" for channel irc.');
  assert.equal(deps.accountError?.("telegram", "x"), "Channel telegram is unavailable.");
});

Deno.test("hooks wiring: a hook run asked for while the gateway drains is not started", async () => {
  const config = resolve({ hooks: { enabled: true, token: "t" } });
  let started = 0;
  let phase = "ready";
  const deps = hooksDeps({
    heartbeat: { enqueue: () => "queued", runNow: () => Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 }) },
    runs: {
      start: () => (started++, { kind: "done", outcome: { runId: "r", status: "ok", text: "", stopReason: "stop" } }),
    } as unknown as AgentRuns,
    agents: () => config.agents,
    config: () => config,
    probes: { phase: () => phase },
  });
  const value = {
    message: "m",
    name: "n",
    agentId: "main",
    sessionKey: "hook:x",
    sessionMode: "isolated",
    wakeMode: "next-heartbeat" as const,
    deliver: false,
    delivery: { mode: "none" as const },
    contentSource: "webhook" as const,
  };
  assert.equal((await deps.dispatchAgent(value)).ok, true);
  phase = "draining";
  const refused = await deps.dispatchAgent(value);
  assert.equal(refused.ok ? 200 : refused.statusCode, 503);
  assert.equal(started, 1);
});

Deno.test("hooks wiring: a gateway restarted in place loads the transform as the file is now, not the first gateway's copy", async () => {
  const home = await Deno.makeTempDir();
  try {
    const dir = `${home}/.openclaw/hooks/transforms`;
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(`${dir}/t.mjs`, "export default () => ({ message: 'before' });");
    const config = resolveGatewayConfig({
      paths: resolvePaths({ env: { HOME: home } }),
      config: {
        hooks: { enabled: true, token: "t", mappings: [{ match: { path: "t" }, transform: { module: "t.mjs" } }] },
      },
      env: {},
    });
    const transformOf = async () => {
      const deps = hooksDeps({
        heartbeat: {
          enqueue: () => "queued",
          runNow: () => Promise.resolve({ ts: 1, status: "skipped", durationMs: 0 }),
        },
        runs,
        agents: () => config.agents,
        config: () => config,
      });
      const routing = deps.routing();
      return await (await routing.loadTransform(routing.mappings[0]!.transform!))({
        payload: {},
        headers: {},
        url: new URL("http://h/hooks/t"),
        path: "t",
      });
    };
    assert.deepEqual(await transformOf(), { message: "before" });
    await Deno.writeTextFile(`${dir}/t.mjs`, "export default () => ({ message: 'after' });");
    assert.deepEqual(await transformOf(), { message: "after" });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
