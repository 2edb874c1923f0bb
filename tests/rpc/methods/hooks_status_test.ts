import assert from "node:assert/strict";
import { hooksStatusMethods } from "../../../src/rpc/methods/hooks_status.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const host = { env: () => undefined, hasBinary: () => false, platform: "linux" };
const deps = {
  stateDir: "/nonexistent-state",
  workspaceOf: (agentId: string | undefined) =>
    agentId === undefined || agentId === "main"
      ? { agentId: "main", workspace: "/nonexistent-state/workspace" }
      : undefined,
  rawConfig: () => ({ hooks: { internal: { entries: { "session-memory": { enabled: false } } } } }),
  home: "/",
  cwd: "/",
  host: () => Promise.resolve(host),
};

Deno.test("hooks.status: reports the five bundled hooks in the reference's shape", async () => {
  const report = await payloadOf(hooksStatusMethods(deps), "hooks.status", {}) as {
    workspaceDir: string;
    managedHooksDir: string;
    hooks: Record<string, unknown>[];
  };
  assert.equal(report.workspaceDir, "/nonexistent-state/workspace");
  assert.equal(report.managedHooksDir, "/nonexistent-state/hooks");
  assert.deepEqual(report.hooks.map((h) => h.name), [
    "boot-md",
    "bootstrap-extra-files",
    "command-logger",
    "compaction-notifier",
    "session-memory",
  ]);
  const logger = report.hooks.find((h) => h.name === "command-logger")!;
  assert.deepEqual(Object.keys(logger), [
    "name",
    "description",
    "source",
    "pluginId",
    "filePath",
    "baseDir",
    "handlerPath",
    "hookKey",
    "emoji",
    "homepage",
    "events",
    "unknownEvents",
    "always",
    "enabledByConfig",
    "requirementsSatisfied",
    "loadable",
    "blockedReason",
    "managedByPlugin",
    "requirements",
    "missing",
    "configChecks",
    "install",
  ]);
  assert.equal(logger.loadable, true);
  assert.deepEqual(logger.install, [{ id: "bundled", kind: "bundled", label: "Bundled with OpenClaw", bins: [] }]);
  const memory = report.hooks.find((h) => h.name === "session-memory")!;
  assert.equal(memory.blockedReason, "disabled in config");
  assert.equal(memory.loadable, false);
});

Deno.test("hooks.status: an unknown agent id is refused", async () => {
  const unknown = await callMethod(hooksStatusMethods(deps), "hooks.status", { agentId: "ops" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "ops"');
});
