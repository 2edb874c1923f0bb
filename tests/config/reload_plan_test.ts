import assert from "node:assert/strict";
import { changedPaths } from "../../src/config/diff.ts";
import { applyRestartNeed, classifyPath, planReload } from "../../src/config/reload_plan.ts";

Deno.test("changedPaths() lists dotted paths and compares arrays whole", () => {
  const before = { gateway: { port: 1, auth: { token: "a" } }, tags: [1, 2], keep: true };
  const after = { gateway: { port: 2, auth: { token: "a" }, bind: "lan" }, tags: [1, 3], keep: true };
  assert.deepEqual(changedPaths(before, after), ["gateway.bind", "gateway.port", "tags"]);
  assert.deepEqual(changedPaths(before, structuredClone(before)), []);
  assert.deepEqual(changedPaths({}, { logging: { level: "debug" } }), ["logging.level"]);
  assert.deepEqual(changedPaths({ hooks: { token: "x" } }, {}), ["hooks.token"]);
});

Deno.test("classifyPath() takes the longest matching prefix and defaults to restart", () => {
  assert.equal(classifyPath("gateway.port"), "restart");
  assert.equal(classifyPath("gateway.auth.token"), "hot");
  assert.equal(classifyPath("gateway.auth.mode"), "restart");
  assert.equal(classifyPath("gateway.controlUi.enabled"), "hot");
  assert.equal(classifyPath("gateway.controlUi.basePath"), "restart");
  assert.equal(classifyPath("gateway.reload.mode"), "none");
  assert.equal(classifyPath("logging.level"), "hot");
  assert.equal(classifyPath("somethingNew.key"), "restart");
});

Deno.test("planReload() in hybrid hot-applies hot paths and restarts for the rest", () => {
  assert.equal(planReload({ mode: "hybrid", changed: ["logging.level"], authModeChanged: false }).action, "hot");
  const mixed = planReload({ mode: "hybrid", changed: ["logging.level", "gateway.port"], authModeChanged: false });
  assert.equal(mixed.action, "restart");
  assert.deepEqual(mixed.restart, ["gateway.port"]);
  assert.equal(planReload({ mode: "hybrid", changed: ["gateway.reload.mode"], authModeChanged: false }).action, "none");
});

Deno.test("planReload() in hot applies hot paths and defers restart-only ones", () => {
  const plan = planReload({ mode: "hot", changed: ["gateway.port", "logging.level"], authModeChanged: false });
  assert.equal(plan.action, "hot-with-pending-restart");
  assert.deepEqual(plan.hot, ["logging.level"]);
  assert.deepEqual(plan.restart, ["gateway.port"]);
});

Deno.test("planReload() in restart restarts on any change, in off ignores all", () => {
  assert.equal(planReload({ mode: "restart", changed: ["logging.level"], authModeChanged: false }).action, "restart");
  assert.equal(planReload({ mode: "off", changed: ["gateway.port"], authModeChanged: false }).action, "ignore");
  assert.equal(planReload({ mode: "off", changed: [], authModeChanged: false }).action, "none");
});

Deno.test("planReload() restarts for a token change when the auth mode changes too", () => {
  assert.equal(planReload({ mode: "hybrid", changed: ["gateway.auth.token"], authModeChanged: false }).action, "hot");
  assert.equal(
    planReload({ mode: "hybrid", changed: ["gateway.auth.token"], authModeChanged: true }).action,
    "restart",
  );
});

Deno.test("config.apply's restart: its own only with reloading off and something to apply; else the reload's", () => {
  const plan = (hot: string[], restart: string[]) => ({ action: "none" as const, hot, restart, none: ["meta.x"] });
  const cases = [
    // [hot, restart, mode, requiresRestart, scheduleRestart]
    [[], [], "off", false, false],
    [[], [], "hybrid", false, false],
    [["logging.level"], [], "off", true, true],
    [[], ["gateway.port"], "off", true, true],
    [["logging.level"], [], "hybrid", false, false],
    [[], ["gateway.port"], "hybrid", true, false],
    [[], ["gateway.port"], "hot", true, false],
    [["logging.level"], ["gateway.port"], "restart", true, false],
    [["logging.level"], [], "restart", true, false],
    // A config that does not resolve: no mode, nothing scheduled.
    [[], ["gateway.port"], undefined, true, false],
  ] as const;
  for (const [hot, restart, mode, requiresRestart, scheduleRestart] of cases) {
    assert.deepEqual(
      applyRestartNeed(plan([...hot], [...restart]), mode),
      { requiresRestart, scheduleRestart },
      `${mode}: hot ${hot} restart ${restart}`,
    );
  }
});
