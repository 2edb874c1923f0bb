import assert from "node:assert/strict";
import { changedPaths } from "../../src/config/diff.ts";
import { loadConfig } from "../../src/config/load.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { planReload, type ReloadPlan } from "../../src/config/reload_plan.ts";
import { resolveGatewayConfig } from "../../src/config/resolve.ts";
import { configMethods } from "../../src/rpc/methods/config.ts";
import { configTestDeps } from "../support/config_deps.ts";
import { operatorCaller } from "../support/rpc_caller.ts";

const caller = operatorCaller(["operator.admin"]);
const TOKEN = "preview-token-0123456789abcdef";
const PASSWORD = "preview-password-0123456789abcdef";

/**
 * The runner's decision, step for step as src/server/runner.ts takes it: both snapshots resolved
 * (flags and env applied), then the plan from the resolved reload and auth modes.
 */
function runnerPlan(
  before: Awaited<ReturnType<typeof loadConfig>>,
  after: Awaited<ReturnType<typeof loadConfig>>,
): ReloadPlan {
  const paths = resolvePaths({ env: { HOME: "/nonexistent" }, exists: () => false });
  const current = resolveGatewayConfig({ paths, config: before.config, env: {} });
  const next = resolveGatewayConfig({ paths, config: after.config, env: {} });
  return planReload({
    mode: next.reload.mode,
    changed: changedPaths(before.authored, after.authored),
    authModeChanged: current.auth.mode !== next.auth.mode,
  });
}

/** Writes `from`, applies `method` with `raw`, and returns the preview and what the runner decides. */
async function previewAndRunner(
  from: string,
  method: "config.set" | "config.patch",
  raw: string,
): Promise<{ preview: ReloadPlan; runner: ReloadPlan }> {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/openclaw.json`;
    await Deno.writeTextFile(path, from);
    const before = await loadConfig(path, {});
    const methods = configMethods(configTestDeps(path));
    const reply = await methods[method]!.handler({ params: { raw, baseHash: before.hash }, caller, accept: () => {} });
    const after = await loadConfig(path, {});
    return { preview: (reply as { reload: ReloadPlan }).reload, runner: runnerPlan(before, after) };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("config.set's reload preview agrees with the runner when a secret implies a new auth mode", async () => {
  // No gateway.auth.mode in either file: the mode is implied (token, then password), so it changes.
  const { preview, runner } = await previewAndRunner(
    JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }),
    "config.set",
    JSON.stringify({ gateway: { mode: "local", auth: { password: PASSWORD } } }),
  );
  assert.equal(runner.action, "restart");
  assert.deepEqual(preview, runner);
});

Deno.test("config.patch's reload preview agrees with the runner when a secret implies a new auth mode", async () => {
  const { preview, runner } = await previewAndRunner(
    JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }),
    "config.patch",
    JSON.stringify({ gateway: { auth: { token: null, password: PASSWORD } } }),
  );
  assert.equal(runner.action, "restart");
  assert.deepEqual(preview, runner);
});

Deno.test("config.set's reload preview stays hot for a rotated token, as the runner does", async () => {
  const { preview, runner } = await previewAndRunner(
    JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }),
    "config.set",
    JSON.stringify({ gateway: { mode: "local", auth: { token: `${TOKEN}-2` } } }),
  );
  assert.equal(runner.action, "hot");
  assert.deepEqual(preview, runner);
});

Deno.test("the reload preview resolves with the run's own resolver (its flags), as the runner does", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/openclaw.json`;
    await Deno.writeTextFile(path, JSON.stringify({ gateway: { mode: "local", auth: { token: TOKEN } } }));
    const before = await loadConfig(path, {});
    // `gateway run --auth token`: the mode is explicit, so swapping the token for a password keeps it.
    const paths = resolvePaths({ env: { HOME: "/nonexistent" }, exists: () => false });
    const methods = configMethods(configTestDeps(path, {
      resolve: (snapshot) =>
        resolveGatewayConfig({ paths, config: snapshot.config, env: {}, flags: { auth: "token" } }),
    }));
    const raw = JSON.stringify({ gateway: { mode: "local", auth: { password: PASSWORD } } });
    const reply = await methods["config.set"]!.handler({
      params: { raw, baseHash: before.hash },
      caller,
      accept: () => {},
    });
    assert.equal((reply as { reload: ReloadPlan }).reload.action, "hot");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
