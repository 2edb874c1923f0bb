// Real commands through the exec and process tools: inside bubblewrap (workspace writable, the
// host's home and loopback network out of reach, abort kills the process tree) and on the host
// after a fake ExecApprovals allows them. The tools are called in process; the commands are real.
import assert from "node:assert/strict";
import { execFamily } from "../../src/agent/exec_family.ts";
import { ProcessRegistry } from "../../src/agent/process_registry.ts";
import type { AgentSpec } from "../../src/agent/agents_config.ts";
import {
  type AgentTool,
  type ExecApprovalAsk,
  type ExecApprovals,
  type ToolCall,
  ToolError,
  type ToolHost,
  type ToolResult,
} from "../../src/agent/tool.ts";
import { resolveExecSettings, resolveSandbox } from "../../src/config/resolve_exec.ts";
import { until } from "../support/until.ts";

interface Rig {
  exec: AgentTool;
  process: AgentTool;
  registry: ProcessRegistry;
  workspace: string;
  home: string;
  call(over?: Partial<ToolCall>): ToolCall;
  updates: ToolResult[];
  asks: ExecApprovalAsk[];
  [Symbol.asyncDispose](): Promise<void>;
}

/** A workspace, a fake home with a secret, a registry and the two tools; `sandbox` is `agents.defaults.sandbox`. */
async function rig(sandbox: Record<string, unknown> | undefined): Promise<Rig> {
  const root = await Deno.makeTempDir({ prefix: "exec-it-" });
  const workspace = `${root}/workspace`;
  const home = `${root}/home`;
  await Deno.mkdir(workspace);
  await Deno.mkdir(home);
  await Deno.writeTextFile(`${home}/secret.txt`, "host-secret-42");
  const spec: AgentSpec = {
    id: "main",
    isDefault: true,
    name: "main",
    model: undefined,
    fallbacks: [],
    embedding: undefined,
    workspace,
    sandbox: resolveSandbox(sandbox ? { sandbox } : {}, {}, `${root}/state`),
    exec: resolveExecSettings({}, {}),
  };
  const asks: ExecApprovalAsk[] = [];
  const approvals: ExecApprovals = {
    authorize(ask) {
      asks.push(ask);
      return Promise.resolve({ allowed: true, decision: "allow-once" });
    },
  };
  const registry = new ProcessRegistry();
  const facts = { env: () => ({ PATH: "/usr/bin:/bin", HOME: home }) };
  const [exec, process] = await execFamily(registry, facts)({ approvals } as unknown as ToolHost, spec);
  const updates: ToolResult[] = [];
  return {
    exec: exec!,
    process: process!,
    registry,
    workspace,
    home,
    updates,
    asks,
    call: (over = {}) => ({
      runId: "run-1",
      toolCallId: "call-1",
      agentId: "main",
      sessionKey: "agent:main:irc:group:#ops",
      workspace,
      signal: new AbortController().signal,
      senderIsOwner: true,
      update: (partial) => updates.push(partial),
      ...over,
    }),
    async [Symbol.asyncDispose]() {
      await registry.stop();
      await Deno.remove(root, { recursive: true });
    },
  };
}

function textOf(result: ToolResult): string {
  return result.content.map((block) => block.type === "text" ? block.text : "").join("");
}

/** Whether any process on the host has `marker` in its command line. */
async function processWith(marker: string): Promise<boolean> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`);
      if (cmdline.includes(marker)) return true;
    } catch {
      // Gone while we looked.
    }
  }
  return false;
}

Deno.test("sandboxed exec writes in the bind-mounted workspace and streams its output", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const result = await t.exec.execute({ command: "echo made > made.txt && pwd && cat made.txt" }, t.call());
  assert.equal(textOf(result), "/workspace\nmade");
  assert.equal(result.details?.status, "completed");
  assert.equal(result.details?.exitCode, 0);
  assert.equal(typeof result.details?.durationMs, "number");
  assert.equal(await Deno.readTextFile(`${t.workspace}/made.txt`), "made\n");
  assert.ok(t.updates.length > 0, "output streamed through call.update()");
  assert.equal(t.updates.at(-1)?.details?.status, "running");
  assert.equal(t.asks.length, 0, "a sandboxed command asks no host approval");
});

Deno.test("sandboxed exec cannot read a file in the host's home, nor see the host's filesystem", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const result = await t.exec.execute({
    command: `cat ${t.home}/secret.txt; ls ${t.home}; ls /home /root; echo HOME=$HOME`,
  }, t.call());
  const text = textOf(result);
  assert.ok(!text.includes("host-secret-42"), text);
  assert.match(text, /No such file or directory/);
  assert.match(text, /HOME=\/workspace/);
  // The same command on the host (approved) does read it: the test can tell the difference.
  await using host = await rig(undefined);
  await Deno.writeTextFile(`${host.home}/secret.txt`, "host-secret-42");
  const onHost = await host.exec.execute(
    { command: `cat ${host.home}/secret.txt` },
    host.call({ sessionKey: "agent:main:main" }),
  );
  assert.equal(textOf(onHost), "host-secret-42");
});

Deno.test("sandboxed exec cannot reach a loopback server unless the network is allowed", async () => {
  let hits = 0;
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    hits++;
    return new Response("reached");
  });
  const url = `http://127.0.0.1:${server.addr.port}/`;
  const command = `curl -sS -m 5 ${url}`;
  {
    await using t = await rig({ mode: "all" });
    const result = await t.exec.execute({ command }, t.call());
    assert.notEqual(result.details?.exitCode, 0);
    assert.ok(!textOf(result).includes("reached"));
    assert.equal(hits, 0);
  }
  {
    // bwrap has no bridge: a network other than "none" shares the host's, loopback included (the
    // gateway warns at start, docs/sandbox.md says so).
    await using t = await rig({ mode: "all", docker: { network: "bridge" } });
    const result = await t.exec.execute({ command }, t.call());
    assert.equal(textOf(result), "reached");
    assert.equal(hits, 1);
  }
  for (const network of ["host", "container:db"]) {
    await using t = await rig({ mode: "all", docker: { network } });
    await assert.rejects(
      t.exec.execute({ command }, t.call()),
      (e) => e instanceof ToolError && e.message.startsWith(`Sandbox security: network mode "${network}" is blocked`),
    );
    assert.equal(hits, 1);
  }
});

Deno.test("ro workspace access: /agent and /workspace are both read-only, as the reference mounts them", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "ro" });
  await Deno.writeTextFile(`${t.workspace}/notes.md`, "agent notes");
  const result = await t.exec.execute({
    command:
      "exec 2>&1; cat /agent/notes.md; echo; echo x > /agent/new.txt || echo refused; echo y > mine.txt || echo private-refused; echo tmp > /tmp/t && echo tmp-ok",
  }, t.call());
  const text = textOf(result);
  assert.match(text, /^agent notes\n/);
  assert.match(text, /cannot create \/agent\/new\.txt: Read-only file system\nrefused\n/);
  assert.match(text, /cannot create mine\.txt: Read-only file system\nprivate-refused\ntmp-ok$/);
  await assert.rejects(Deno.stat(`${t.workspace}/new.txt`));
  await assert.rejects(Deno.stat(`${t.workspace}/mine.txt`));
});

Deno.test("non-main mode leaves the agent's main session on the host (approved) and sandboxes the others", async () => {
  await using t = await rig({ mode: "non-main", workspaceAccess: "rw" });
  const main = await t.exec.execute({ command: "pwd" }, t.call({ sessionKey: "agent:main:main" }));
  assert.equal(textOf(main), t.workspace);
  assert.equal(t.asks.length, 1);
  const group = await t.exec.execute({ command: "pwd" }, t.call());
  assert.equal(textOf(group), "/workspace");
  assert.equal(t.asks.length, 1);
});

Deno.test("aborting a sandboxed exec kills its whole process tree", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const marker = `${Math.floor(Math.random() * 1e6) + 1000}.${Date.now() % 1000}`;
  const abort = new AbortController();
  const running = t.exec.execute(
    { command: `sleep ${marker} & echo started; sleep ${marker}` },
    t.call({ signal: abort.signal }),
  );
  await until(() => t.updates.some((update) => textOf(update).includes("started")), "the command to start");
  // `sleep &` may exec just after `echo` printed: wait for the process itself.
  await until(() => processWith(`sleep\0${marker}`), "the sleep to run");
  abort.abort();
  await assert.rejects(running, (e) => e instanceof Error && e.name === "AbortError");
  await until(async () => !(await processWith(`sleep\0${marker}`)), "every sleep to be gone");
  assert.equal(t.registry.running, 0);
});

Deno.test("aborting a host exec kills the process group, grandchildren included", async () => {
  await using t = await rig(undefined);
  const marker = `${Math.floor(Math.random() * 1e6) + 1000}.${Date.now() % 1000}`;
  const abort = new AbortController();
  const running = t.exec.execute({ command: `sleep ${marker} & echo started; wait` }, t.call({ signal: abort.signal }));
  await until(() => t.updates.some((update) => textOf(update).includes("started")), "the command to start");
  abort.abort();
  await assert.rejects(running, (e) => e instanceof Error && e.name === "AbortError");
  await until(async () => !(await processWith(`sleep\0${marker}`)), "the backgrounded sleep to be gone");
});

Deno.test("a backgrounded sandbox command is polled, logged and cleared through process", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const started = await t.exec.execute(
    { command: "echo one; read line; echo got $line; exit 4", yieldMs: 10 },
    t.call(),
  );
  assert.equal(started.details?.status, "running");
  const sessionId = String(started.details?.sessionId);
  assert.match(
    textOf(started),
    new RegExp(`^Command still running \\(session ${sessionId}, pid \\d+\\)\\. Use process`),
  );
  const listed = await t.process.execute({ action: "list" }, t.call());
  assert.match(textOf(listed), new RegExp(`^${sessionId} running `));
  const first = await t.process.execute({ action: "poll", sessionId, timeout: 10_000 }, t.call());
  assert.equal(textOf(first), "one\n\nProcess still running.");
  const wrote = await t.process.execute({ action: "write", sessionId, data: "hello\n" }, t.call());
  assert.equal(textOf(wrote), `Wrote 6 bytes to session ${sessionId}.`);
  let last = first;
  const seen: string[] = [];
  await until(async () => {
    last = await t.process.execute({ action: "poll", sessionId, timeout: 1000 }, t.call());
    seen.push(textOf(last));
    return last.details?.status !== "running";
  }, "the command to end");
  assert.match(seen.join("\n"), /got hello\n/, "each poll drains what came since the last one");
  assert.match(textOf(last), /\n\nProcess exited with code 4\.$/);
  assert.equal(last.details?.exitCode, 4);
  const log = await t.process.execute({ action: "log", sessionId }, t.call());
  assert.equal(textOf(log), "one\ngot hello");
  assert.equal(log.details?.totalLines, 2);
  const cleared = await t.process.execute({ action: "clear", sessionId }, t.call());
  assert.equal(textOf(cleared), `Cleared session ${sessionId}.`);
  assert.equal(textOf(await t.process.execute({ action: "list" }, t.call())), "No running or recent sessions.");
});

Deno.test("process kill stops a background command; the registry's stop kills what still runs", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const one = await t.exec.execute({ command: "sleep 600", background: true }, t.call());
  const two = await t.exec.execute({ command: "sleep 601", background: true }, t.call());
  const killed = await t.process.execute({ action: "kill", sessionId: one.details?.sessionId }, t.call());
  assert.equal(textOf(killed), `Termination requested for session ${one.details?.sessionId}.`);
  const polled = await t.process.execute(
    { action: "poll", sessionId: one.details?.sessionId, timeout: 10_000 },
    t.call(),
  );
  assert.match(textOf(polled), /Process stopped by request \(signal SIGKILL\)\.$/);
  assert.equal(polled.details?.status, "completed");
  assert.equal(t.registry.running, 1);
  await t.registry.stop();
  assert.equal(t.registry.running, 0);
  assert.ok(!(await processWith("sleep\x00601")));
  const refused = await t.exec.execute({ command: "true" }, t.call());
  assert.equal(refused.details?.status, "failed");
  assert.match(textOf(refused), /the gateway is stopping/);
  assert.ok(two.details?.sessionId);
});

Deno.test("a sandbox workdir that is not there is the reference's unavailable-workdir failure", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  for (const workdir of ["missing", "/nowhere/at/all"]) {
    const result = await t.exec.execute({ command: "pwd", workdir }, t.call());
    assert.equal(result.details?.status, "failed");
    assert.match(textOf(result), /^workdir "\/?[\w/]+" is unavailable or not a directory: command was not executed\./);
  }
  const tmp = await t.exec.execute({ command: "pwd", workdir: "/tmp" }, t.call());
  assert.equal(textOf(tmp), "/tmp");
});

Deno.test("a command past its timeoutSeconds is killed and reported as timed out", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const result = await t.exec.execute({ command: "echo begun; sleep 30", timeoutSeconds: 1 }, t.call());
  assert.equal(result.details?.status, "failed");
  assert.equal(result.details?.timedOut, true);
  assert.match(textOf(result), /^begun\n\nCommand timed out after 1 seconds\./);
});

Deno.test("a bwrap that cannot start fails the call with the fix named, never running the command on the host", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  // A stand-in for a host that refuses user namespaces: bwrap's own failure text and exit code.
  const fake = `${t.workspace}/../fake-bwrap`;
  await Deno.writeTextFile(fake, "#!/bin/sh\necho 'bwrap: setting up uid map: Permission denied' >&2\nexit 1\n");
  await Deno.chmod(fake, 0o755);
  const spec = await Deno.realPath(fake);
  const registry = new ProcessRegistry();
  const [exec] = await execFamily(registry, { env: () => ({}), bwrapPath: spec })(
    {} as ToolHost,
    {
      id: "main",
      isDefault: true,
      name: "main",
      model: undefined,
      fallbacks: [],
      embedding: undefined,
      workspace: t.workspace,
      sandbox: resolveSandbox({ sandbox: { mode: "all", workspaceAccess: "rw" } }, {}, `${t.workspace}/../state`),
    },
  );
  const result = await exec!.execute({ command: "touch ran-on-host" }, t.call());
  assert.equal(result.details?.status, "failed");
  assert.equal(result.details?.failureKind, "sandbox-unavailable");
  assert.match(
    textOf(result),
    /^bwrap: setting up uid map: Permission denied\n\nThe bubblewrap sandbox failed to start/,
  );
  assert.match(textOf(result), /unprivileged_userns_clone/);
  await assert.rejects(Deno.stat(`${t.workspace}/ran-on-host`));
  await registry.stop();
});

Deno.test("a symlink planted under a shared-scope root is never mounted as another agent's private workspace", async () => {
  const sandboxes = `${await Deno.makeTempDir({ prefix: "exec-it-root-" })}`;
  try {
    await using shared = await rig({ mode: "all", scope: "shared", workspaceRoot: sandboxes });
    await using ops = await rig({ mode: "all", workspaceRoot: sandboxes });
    // The agent-scoped sandbox's private directory: created owner-only, directly under the root.
    assert.equal(textOf(await ops.exec.execute({ command: "pwd" }, ops.call())), "/workspace");
    const [entry, ...rest] = await Array.fromAsync(Deno.readDir(sandboxes));
    assert.equal(rest.length, 0);
    assert.equal(entry!.isDirectory, true);
    assert.equal((await Deno.stat(`${sandboxes}/${entry!.name}`)).mode! & 0o777, 0o700);
    // The shared sandbox sees the whole root at /workspace: it replaces that directory with a link
    // to a host directory (here the fake home holding secret.txt).
    await Deno.remove(`${sandboxes}/${entry!.name}`);
    const planted = await shared.exec.execute(
      { command: `ln -s ${ops.home} /workspace/${entry!.name} && echo planted` },
      shared.call(),
    );
    assert.equal(textOf(planted), "planted");
    await assert.rejects(
      ops.exec.execute({ command: "cat /workspace/secret.txt" }, ops.call()),
      (e) => e instanceof ToolError && /is a symlink: command was not executed/.test(e.message),
    );
  } finally {
    await Deno.remove(sandboxes, { recursive: true });
  }
});

Deno.test("a sandbox workdir that is a link out of the workspace is unavailable", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  await Deno.symlink(t.home, `${t.workspace}/out`);
  const result = await t.exec.execute({ command: "pwd", workdir: "out" }, t.call());
  assert.equal(result.details?.status, "failed");
  assert.match(textOf(result), /^workdir "out" is unavailable or not a directory/);
});

Deno.test("a command's own 'bwrap: ' line and exit 1 are its output, not a sandbox failure", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const result = await t.exec.execute({
    command: `echo 'important result 42'; echo "bwrap: Can't chdir to x (quoted from docs)"; touch ran.txt; exit 1`,
  }, t.call());
  assert.notEqual(result.details?.failureKind, "sandbox-unavailable");
  assert.match(textOf(result), /^important result 42\nbwrap: Can't chdir to x \(quoted from docs\)/);
  assert.doesNotMatch(textOf(result), /unavailable or not a directory|failed to start/);
  assert.equal(result.details?.exitCode, 1);
  await Deno.stat(`${t.workspace}/ran.txt`);
});

Deno.test("a huge timeoutSeconds does not kill the command at once (the timer is bounded)", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  const result = await t.exec.execute({ command: "sleep 0.3; echo finished", timeoutSeconds: 3_000_000 }, t.call());
  assert.equal(textOf(result), "finished");
  assert.equal(result.details?.status, "completed");
});

Deno.test("an exec aborted while the sandbox was prepared starts nothing", async () => {
  await using t = await rig({ mode: "all", workspaceAccess: "rw" });
  let starts = 0;
  const start = t.registry.start.bind(t.registry);
  t.registry.start = (...args) => {
    starts++;
    return start(...args);
  };
  const controller = new AbortController();
  const running = t.exec.execute({ command: "touch started" }, t.call({ signal: controller.signal }));
  controller.abort(new Error("run stopped"));
  await assert.rejects(running, /run stopped/);
  assert.equal(starts, 0);
  await assert.rejects(Deno.stat(`${t.workspace}/started`), Deno.errors.NotFound);
});
