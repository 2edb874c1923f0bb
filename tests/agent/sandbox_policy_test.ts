import assert from "node:assert/strict";
import {
  backendProblem,
  isSandboxed,
  resolveExecTarget,
  SANDBOX_OFF,
  sandboxLayout,
  sandboxNetwork,
  slugifyScopeKey,
} from "../../src/agent/sandbox_policy.ts";
import type { ResolvedSandbox } from "../../src/config/resolve_exec.ts";

const sandbox = (over: Partial<ResolvedSandbox>): ResolvedSandbox => ({
  ...SANDBOX_OFF,
  workspaceRoot: "/state/sandboxes",
  ...over,
});

Deno.test("isSandboxed() follows mode: off never, all always, non-main all but the agent's main session", () => {
  const rows: [ResolvedSandbox["mode"], string, boolean][] = [
    ["off", "agent:main:telegram:dm:1", false],
    ["all", "agent:main:main", true],
    ["non-main", "agent:main:main", false],
    // Only the exact `agent:<id>:main` is the main session: a bare "main" is not, nor another case.
    ["non-main", "main", true],
    ["non-main", "Agent:Main:Main", true],
    ["non-main", "agent:main:irc:group:#x", true],
    ["non-main", "agent:other:main", true],
  ];
  for (const [mode, key, expected] of rows) {
    assert.equal(isSandboxed(sandbox({ mode }), "main", key), expected, `${mode} ${key}`);
  }
});

Deno.test("resolveExecTarget() follows the reference's host rules", () => {
  const rows: [string, string | undefined, boolean, string][] = [
    ["auto", undefined, true, "sandbox"],
    ["auto", undefined, false, "gateway"],
    ["auto", "auto", true, "sandbox"],
    ["auto", "sandbox", true, "sandbox"],
    ["auto", "gateway", false, "gateway"],
    ["gateway", undefined, true, "gateway"],
    ["sandbox", undefined, true, "sandbox"],
  ];
  for (const [configured, requested, active, host] of rows) {
    assert.deepEqual(
      resolveExecTarget(configured as "auto", requested, active),
      { host },
      `${configured} ${requested} ${active}`,
    );
  }
  const error = (configured: string, requested: string | undefined, active: boolean) => {
    const target = resolveExecTarget(configured as "auto", requested, active);
    return "error" in target ? target.error : "";
  };
  assert.equal(
    error("auto", "gateway", true),
    "exec host not allowed (requested gateway; configured host is auto; set tools.exec.host=gateway to allow this override).",
  );
  assert.equal(
    error("sandbox", "gateway", false),
    "exec host not allowed (requested gateway; configured host is sandbox; set tools.exec.host=gateway or auto to allow this override).",
  );
  assert.match(error("auto", "sandbox", false), /^exec host=sandbox requires a sandbox runtime for this session\./);
  assert.match(error("auto", "node", false), /paired node/);
  assert.match(error("auto", "example.com", false), /Invalid exec host/);
});

Deno.test("sandboxLayout() mounts the workspace per workspaceAccess and scope", async () => {
  const run = { agentId: "main", sessionKey: "agent:main:irc:group:#x", workspace: "/home/u/ws" };
  const rw = await sandboxLayout(sandbox({ workspaceAccess: "rw" }), run);
  assert.deepEqual(rw, {
    workspaceDir: "/home/u/ws",
    agentMount: undefined,
    readOnly: false,
    private: false,
    containerWorkdir: "/workspace",
  });
  const ro = await sandboxLayout(sandbox({ workspaceAccess: "ro" }), run);
  assert.equal(ro.agentMount, "/home/u/ws");
  assert.equal(ro.readOnly, true, "ro: /workspace and /agent both read-only, as the reference mounts them");
  assert.equal(ro.private, true);
  assert.match(ro.workspaceDir, /^\/state\/sandboxes\/agent-main-workspace-[0-9a-f]+-[0-9a-f]{8}$/);
  const none = await sandboxLayout(sandbox({ workspaceAccess: "none" }), run);
  assert.equal(none.agentMount, undefined);
  assert.equal(none.readOnly, false);
  assert.equal(none.workspaceDir, ro.workspaceDir, "agent scope: one private workspace per agent");
  const perSession = await sandboxLayout(sandbox({ scope: "session" }), run);
  const otherSession = await sandboxLayout(sandbox({ scope: "session" }), {
    ...run,
    sessionKey: "agent:main:irc:group:#y",
  });
  assert.notEqual(perSession.workspaceDir, otherSession.workspaceDir);
  assert.equal((await sandboxLayout(sandbox({ scope: "shared" }), run)).workspaceDir, "/state/sandboxes");
});

Deno.test("slugifyScopeKey() makes a bounded, safe directory name with a hash", async () => {
  assert.match(await slugifyScopeKey("Agent:Main:IRC/#x"), /^agent-main-irc-x-[0-9a-f]{8}$/);
  assert.match(await slugifyScopeKey("   "), /^session-[0-9a-f]{8}$/);
  assert.ok((await slugifyScopeKey("x".repeat(200))).length <= 32 + 9);
});

Deno.test("backendProblem() accepts bwrap (and docker/podman configs), refuses remote backends naming the fix", () => {
  for (const backend of ["bwrap", "docker", "podman"]) assert.equal(backendProblem(sandbox({ backend })), undefined);
  assert.match(backendProblem(sandbox({ backend: "ssh" }))!, /backend "ssh" is not available.*"bwrap"/);
});

Deno.test("sandboxNetwork() refuses host and container:* in the reference's words; none unshares, others share", () => {
  assert.deepEqual(sandboxNetwork(sandbox({ network: "none" })), { share: false });
  assert.deepEqual(sandboxNetwork(sandbox({ network: "bridge" })), { share: true });
  assert.deepEqual(sandboxNetwork(sandbox({ network: "host" })), {
    error:
      'Sandbox security: network mode "host" is blocked. Network "host" mode bypasses container network isolation. Use "bridge" or "none" instead.',
  });
  const joined = sandboxNetwork(sandbox({ network: "container:db" }));
  assert.ok("error" in joined);
  assert.match(joined.error, /^Sandbox security: network mode "container:db" is blocked by default\./);
});
