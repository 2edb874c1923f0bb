import assert from "node:assert/strict";
import { execFamily } from "../../src/agent/exec_family.ts";
import { hostEnvViolation, hostLaunch } from "../../src/agent/exec_launch.ts";
import { EXEC_DEFAULTS } from "../../src/agent/exec_tool.ts";
import { clampTimeoutSec, MAX_SAFE_TIMEOUT_DELAY_MS } from "../../src/agent/exec_session.ts";
import { parseExecArgs } from "../../src/agent/exec_args.ts";
import { ProcessRegistry } from "../../src/agent/process_registry.ts";
import type { AgentSpec } from "../../src/agent/agents_config.ts";
import {
  type ExecApprovalAsk,
  type ExecApprovals,
  type ToolCall,
  ToolError,
  type ToolHost,
} from "../../src/agent/tool.ts";
import { resolveExecSettings, resolveSandbox } from "../../src/config/resolve_exec.ts";

function agent(over: Partial<AgentSpec> = {}): AgentSpec {
  return {
    id: "main",
    isDefault: true,
    name: "main",
    model: undefined,
    fallbacks: [],
    embedding: undefined,
    workspace: "/nonexistent-ws",
    exec: resolveExecSettings({}, {}),
    sandbox: resolveSandbox({}, {}, "/nonexistent-state"),
    ...over,
  };
}

function call(over: Partial<ToolCall> = {}): ToolCall {
  return {
    runId: "run-1",
    toolCallId: "call-1",
    agentId: "main",
    sessionKey: "agent:main:main",
    workspace: "/nonexistent-ws",
    signal: new AbortController().signal,
    senderIsOwner: true,
    update() {},
    ...over,
  };
}

/** Approvals that record each ask and answer as told. */
class FakeApprovals implements ExecApprovals {
  asks: ExecApprovalAsk[] = [];
  constructor(private readonly answer: { allowed: true; decision: string } | { allowed: false; reason: string }) {}
  authorize(ask: ExecApprovalAsk): Promise<{ allowed: true; decision: string } | { allowed: false; reason: string }> {
    this.asks.push(ask);
    return Promise.resolve(this.answer);
  }
}

async function tools(host: Partial<ToolHost>, spec: AgentSpec, registry = new ProcessRegistry()) {
  const [exec, process] = await execFamily(registry, { env: () => ({ PATH: "/usr/bin:/bin" }) })(
    host as ToolHost,
    spec,
  );
  return { exec: exec!, process: process!, registry };
}

Deno.test("parseExecArgs() takes the reference's arguments and refuses wrong ones in words the model can act on", () => {
  assert.deepEqual(parseExecArgs({ command: "ls", workdir: "", env: { A: "1" }, yieldMs: 5, background: true }), {
    command: "ls",
    workdir: undefined,
    env: { A: "1" },
    yieldMs: 5,
    background: true,
    timeoutSeconds: undefined,
    pty: false,
    elevated: false,
    host: undefined,
    ask: undefined,
  });
  const refusals: [Record<string, unknown>, RegExp][] = [
    [{}, /^Provide a command to start\.$/],
    [{ command: "  " }, /^Provide a command to start\.$/],
    [{ command: "ls", workdir: "   " }, /whitespace-only/],
    [{ command: "ls", env: { A: 1 } }, /env values must be strings/],
    [{ command: "ls", env: [] }, /env must be an object/],
    [{ command: "ls", timeoutSeconds: -1 }, /timeoutSeconds must be a number/],
    [{ command: "ls", yieldMs: "soon" }, /yieldMs must be a number/],
  ];
  for (const [args, message] of refusals) {
    assert.throws(() => parseExecArgs(args), (e) => e instanceof ToolError && message.test(e.message));
  }
});

Deno.test("exec refuses any host command when the gateway lends no approvals, and starts nothing", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const { exec, registry } = await tools({}, agent({ workspace }));
    await assert.rejects(
      exec.execute({ command: `touch ${workspace}/ran` }, call({ workspace })),
      (e) => e instanceof ToolError && /exec approvals are not available/.test(e.message),
    );
    assert.equal(registry.running, 0);
    await assert.rejects(Deno.stat(`${workspace}/ran`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("exec asks the approvals for a host command and returns their refusal to the model", async () => {
  const approvals = new FakeApprovals({ allowed: false, reason: "exec denied: allowlist miss" });
  const workspace = await Deno.makeTempDir();
  try {
    const { exec, registry } = await tools({ approvals }, agent({ workspace }));
    await assert.rejects(
      exec.execute(
        { command: "echo hi", ask: "always", env: { TERM: "dumb", FOO: "1" } },
        call({ workspace, origin: { channel: "irc", to: "#x" } }),
      ),
      (e) => e instanceof ToolError && e.message === "exec denied: allowlist miss",
    );
    assert.deepEqual(approvals.asks, [{
      command: "echo hi",
      cwd: workspace,
      agentId: "main",
      sessionKey: "agent:main:main",
      runId: "run-1",
      host: "gateway",
      origin: { channel: "irc", to: "#x" },
      toolCallId: "call-1",
      ask: "always",
      path: "/usr/bin:/bin",
      envKeys: ["FOO", "TERM"],
    }]);
    assert.equal(registry.running, 0);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("exec refuses PATH and loader overrides on the host before asking anyone", async () => {
  assert.equal(
    hostEnvViolation({ PATH: "/evil" }),
    "Security Violation: Custom 'PATH' variable is forbidden during host execution.",
  );
  assert.equal(
    hostEnvViolation({ LD_PRELOAD: "x" }),
    "Security Violation: Environment variable 'LD_PRELOAD' is forbidden during host execution.",
  );
  assert.equal(hostEnvViolation({ FOO: "1" }), undefined);
  // The reference's tables: shell start-up hooks, exported functions, git and pager hooks, HOME.
  for (const key of ["BASH_ENV", "ENV", "SHELLOPTS", "PS4", "NODE_OPTIONS", "GIT_SSH_COMMAND", "HOME", "SHELL"]) {
    assert.equal(
      hostEnvViolation({ [key]: "x" }),
      `Security Violation: Environment variable '${key}' is forbidden during host execution.`,
    );
  }
  assert.equal(
    hostEnvViolation({ "BASH_FUNC_ls%%": "() { :; }", GIT_CONFIG_COUNT: "1", PAGER: "less" }),
    "Security Violation: blocked override keys: GIT_CONFIG_COUNT, PAGER; invalid non-portable override keys: BASH_FUNC_ls%%.",
  );
  assert.equal(
    hostEnvViolation({ PATH: "/x", bash_env: "y" }),
    "Security Violation: Custom 'PATH' variable is forbidden during host execution (blocked override keys: BASH_ENV, PATH).",
  );
  assert.equal(hostEnvViolation({ PAGER: "cat", GIT_PAGER: "" }), undefined);
  const approvals = new FakeApprovals({ allowed: true, decision: "allow-once" });
  const { exec } = await tools({ approvals }, agent());
  await assert.rejects(exec.execute({ command: "ls", env: { LD_PRELOAD: "x" } }, call()), /LD_PRELOAD/);
  assert.equal(approvals.asks.length, 0);
});

Deno.test("a host command inherits the gateway's environment without its credentials and start-up hooks", async () => {
  const workspace = await Deno.makeTempDir();
  try {
    const gateway = {
      PATH: "/usr/bin:/bin",
      HOME: "/home/gw",
      SHELL: "/bin/bash",
      LANG: "C.UTF-8",
      GITHUB_TOKEN: "ghp_secret",
      AWS_SECRET_ACCESS_KEY: "aws",
      NPM_TOKEN: "npm",
      NODE_OPTIONS: "--require /x",
      BASH_ENV: "/evil.sh",
      "BASH_FUNC_ls%%": "() { :; }",
      LD_PRELOAD: "/x.so",
      GIT_ALLOW_PROTOCOL: "ext:https",
      // Ours, stricter than the reference: the gateway's own secrets and credential-named variables.
      OPENCLAW_GATEWAY_TOKEN: "gw-token",
      OPENAI_API_KEY: "sk-x",
      TELEGRAM_BOT_TOKEN: "123:abc",
      SMTP_PASSWORD: "pw",
    };
    const launch = await hostLaunch({
      command: "true",
      workdir: undefined,
      env: { FOO: "1" },
      settings: EXEC_DEFAULTS,
      workspace,
      agentId: "main",
      sessionKey: "agent:main:main",
    }, { env: () => gateway });
    assert.equal(launch.ok, true);
    assert.deepEqual(launch.ok && launch.env, {
      PATH: "/usr/bin:/bin",
      HOME: "/home/gw",
      LANG: "C.UTF-8",
      GIT_ALLOW_PROTOCOL: "https",
      FOO: "1",
      OPENCLAW_SHELL: "exec",
    });
    assert.deepEqual(launch.ok && launch.argv, ["/bin/bash", "-c", "true"]);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("exec answers a missing workdir with the reference's failed result, not a run", async () => {
  const approvals = new FakeApprovals({ allowed: true, decision: "allow-once" });
  const workspace = await Deno.makeTempDir();
  try {
    const { exec } = await tools({ approvals }, agent({ workspace }));
    const result = await exec.execute({ command: "ls", workdir: "nope" }, call({ workspace }));
    assert.equal(result.details?.status, "failed");
    assert.match(
      (result.content[0] as { text: string }).text,
      /^workdir "nope" is unavailable or not a directory: command was not executed\./,
    );
    assert.equal(approvals.asks.length, 0);
  } finally {
    await Deno.remove(workspace, { recursive: true });
  }
});

Deno.test("exec refuses elevated, host=node, and a sandbox backend it cannot run", async () => {
  const { exec } = await tools({}, agent());
  await assert.rejects(
    exec.execute({ command: "ls", elevated: true }, call()),
    /^ToolError: elevated is not available right now \(runtime=direct\)\.$/,
  );
  await assert.rejects(exec.execute({ command: "ls", host: "node" }, call()), /paired node/);
  const ssh = agent({ sandbox: resolveSandbox({ sandbox: { mode: "all", backend: "ssh" } }, {}, "/s") });
  const { exec: sshExec } = await tools({}, ssh);
  await assert.rejects(sshExec.execute({ command: "ls" }, call()), /Sandbox backend "ssh" is not available/);
});

Deno.test("exec in a sandboxed session names the fix when bubblewrap is missing, never running on the host", async () => {
  const approvals = new FakeApprovals({ allowed: true, decision: "allow-once" });
  const sandboxed = agent({ sandbox: resolveSandbox({ sandbox: { mode: "all" } }, {}, "/nonexistent-state") });
  const registry = new ProcessRegistry();
  const [exec] = await execFamily(registry, { env: () => ({}), bwrapPath: "/nonexistent/bwrap" })(
    { approvals } as unknown as ToolHost,
    sandboxed,
  );
  await assert.rejects(
    exec!.execute({ command: "ls" }, call()),
    (e) =>
      e instanceof ToolError &&
      /needs bubblewrap, which was not found at \/nonexistent\/bwrap.*apt-get install bubblewrap/.test(e.message),
  );
  assert.equal(approvals.asks.length, 0);
  assert.equal(registry.running, 0);
});

Deno.test("process answers list, unknown sessions and bad actions in the reference's words", async () => {
  const { process } = await tools({}, agent());
  const list = await process.execute({ action: "list" }, call());
  assert.deepEqual(list, {
    content: [{ type: "text", text: "No running or recent sessions." }],
    details: { status: "completed", sessions: [] },
  });
  const text = async (args: Record<string, unknown>) =>
    ((await process.execute(args, call())).content[0] as { text: string }).text;
  assert.equal(await text({ action: "poll" }), "sessionId is required for this action.");
  assert.equal(await text({ action: "poll", sessionId: "x" }), "No session found for x");
  assert.equal(await text({ action: "kill", sessionId: "x" }), "No active session found for x");
  assert.equal(await text({ action: "clear", sessionId: "x" }), "No finished session found for x");
  assert.match(await text({ action: "dance" }), /^Invalid process action\. Expected one of: list, poll, log/);
});

Deno.test("clampTimeoutSec() keeps a timeout a timer can hold: 0 never, past 2^31-1 ms bounded", () => {
  assert.equal(clampTimeoutSec(0), 0);
  assert.equal(clampTimeoutSec(30), 30);
  assert.equal(clampTimeoutSec(3_000_000), 2_147_483);
  assert.ok(clampTimeoutSec(3_000_000) * 1000 <= MAX_SAFE_TIMEOUT_DELAY_MS);
});
