import assert from "node:assert/strict";
import { resolveExecSettings, resolveSandbox } from "../../src/config/resolve_exec.ts";
import { resolveAgents } from "../../src/config/resolve_agents.ts";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";

Deno.test("resolveSandbox() takes the reference's defaults: off, agent scope, no workspace, no network", () => {
  assert.deepEqual(resolveSandbox({}, {}, "/state"), {
    mode: "off",
    backend: "bwrap",
    scope: "agent",
    workspaceAccess: "none",
    workspaceRoot: "/state/sandboxes",
    network: "none",
    env: {},
  });
});

Deno.test("resolveSandbox() reads the agent's keys over the defaults', key by key", () => {
  const defaults = {
    sandbox: {
      mode: "non-main",
      scope: "session",
      workspaceAccess: "ro",
      docker: { network: "bridge", env: { A: "1" } },
    },
  };
  const entry = {
    sandbox: { mode: "all", backend: " Docker ", docker: { env: { B: "2" } }, workspaceRoot: "/srv/sbx" },
  };
  assert.deepEqual(resolveSandbox(defaults, entry, "/state"), {
    mode: "all",
    backend: "docker",
    scope: "session",
    workspaceAccess: "ro",
    workspaceRoot: "/srv/sbx",
    network: "bridge",
    env: { A: "1", B: "2" },
  });
});

Deno.test("resolveSandbox() ignores the agent's docker block under shared scope, and bad values", () => {
  const resolved = resolveSandbox(
    { sandbox: { scope: "shared", docker: { network: "none" } } },
    { sandbox: { mode: "sometimes", workspaceRoot: "relative", docker: { network: "bridge" } } },
    "/state",
  );
  assert.equal(resolved.mode, "off");
  assert.equal(resolved.network, "none");
  // A relative root is kept as written, to be refused with its name when used (never silently replaced).
  assert.equal(resolved.workspaceRoot, "relative");
  assert.equal(resolveSandbox({ sandbox: { workspaceRoot: "" } }, {}, "/state").workspaceRoot, "/state/sandboxes");
});

Deno.test("resolveSandbox() expands a workspaceRoot starting with ~ against the home", () => {
  const root = (value: string, home?: string) =>
    resolveSandbox({ sandbox: { workspaceRoot: value } }, {}, "/state", home).workspaceRoot;
  assert.equal(root("~/.openclaw/sandboxes", "/home/u"), "/home/u/.openclaw/sandboxes");
  assert.equal(root("~", "/home/u"), "/home/u");
  assert.equal(root("/srv/sbx//"), "/srv/sbx");
});

Deno.test("resolveExecSettings() bounds timeoutSeconds to what a timer can hold (2^31-1 ms)", () => {
  assert.equal(resolveExecSettings({ exec: { timeoutSeconds: 3_000_000 } }, {}).timeoutSec, 2_147_483);
});

Deno.test("resolveExecSettings() reads tools.exec with the agent's tools.exec over it, clamped as the reference clamps", () => {
  assert.deepEqual(resolveExecSettings(undefined, {}), {
    host: "auto",
    timeoutSec: 1800,
    backgroundMs: 10_000,
    cleanupMs: 1_800_000,
    pathPrepend: [],
  });
  assert.deepEqual(
    resolveExecSettings(
      { exec: { host: "gateway", timeoutSeconds: 60, backgroundMs: 500_000, cleanupMs: 5, pathPrepend: ["/opt/bin"] } },
      { tools: { exec: { timeoutSeconds: 0, host: "nowhere" } } },
    ),
    { host: "gateway", timeoutSec: 0, backgroundMs: 120_000, cleanupMs: 60_000, pathPrepend: ["/opt/bin"] },
  );
});

Deno.test("resolveAgents() puts each agent's sandbox and exec settings on its spec", () => {
  const agents = resolveAgents(
    {
      agents: {
        defaults: { sandbox: { mode: "non-main" } },
        list: [{ id: "main" }, { id: "ops", sandbox: { mode: "all" } }],
      },
      tools: { exec: { timeoutSeconds: 5 } },
    },
    "/state",
    "/home/test",
  );
  assert.deepEqual(agents.agents.map((a) => [a.id, a.sandbox?.mode, a.exec?.timeoutSec]), [["main", "non-main", 5], [
    "ops",
    "all",
    5,
  ]]);
});

Deno.test("ignoredKeys() no longer names the sandbox keys exec reads, but names the docker-only ones", () => {
  const ignored = ignoredKeys({
    agents: {
      defaults: {
        sandbox: {
          mode: "all",
          scope: "agent",
          backend: "bwrap",
          workspaceAccess: "rw",
          workspaceRoot: "/x",
          docker: { network: "none", env: {}, image: "img" },
        },
      },
    },
    tools: { exec: { timeoutSeconds: 1, backgroundMs: 1, cleanupMs: 1, pathPrepend: [], host: "auto", safeBins: [] } },
  });
  // tools.exec.safeBins is read by exec approvals.
  assert.deepEqual(ignored, ["agents.defaults.sandbox.docker.image"]);
});
