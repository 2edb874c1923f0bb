// The process registry with real children: finished records are bounded (oldest dropped first, the
// newest always kept), each session sees only its own, and stop() kills what runs and refuses more.
import assert from "node:assert/strict";
import { ProcessRegistry } from "../../src/agent/process_registry.ts";
import { processTool } from "../../src/agent/process_tool.ts";

const MAIN = { agentId: "main", sessionKey: "agent:main:main" };

function spawn(command: string, agentId = "main", sessionKey = `agent:${agentId}:main`) {
  return {
    argv: ["/bin/sh", "-c", command],
    env: { PATH: "/usr/bin:/bin" },
    cwd: "/",
    command,
    displayCwd: "/",
    agentId,
    sessionKey,
    timeoutSec: 0,
  };
}

Deno.test("ProcessRegistry keeps at most maxFinished finished sessions, dropping the oldest", async () => {
  const registry = new ProcessRegistry({ maxFinished: 2 });
  try {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const session = registry.start(spawn(`echo ${n}`), { cleanupMs: 60_000 });
      ids.push(session.id);
      await session.done;
    }
    assert.deepEqual(registry.list(MAIN).map((s) => s.id), ids.slice(1));
    assert.equal(registry.get(ids[0]!, MAIN), undefined);
  } finally {
    await registry.stop();
  }
});

Deno.test("ProcessRegistry bounds finished output in all, but always keeps the newest session", async () => {
  const registry = new ProcessRegistry({ maxFinishedChars: 10 });
  try {
    const first = registry.start(spawn("printf 12345678"), { cleanupMs: 60_000 });
    await first.done;
    const second = registry.start(spawn("printf abcdefghijkl"), { cleanupMs: 60_000 });
    await second.done;
    assert.deepEqual(registry.list(MAIN).map((s) => s.aggregated), ["abcdefghijkl"]);
  } finally {
    await registry.stop();
  }
});

Deno.test("ProcessRegistry shows a session only its own commands (not its agent's other sessions')", async () => {
  const registry = new ProcessRegistry();
  try {
    const mine = registry.start(spawn("true", "main"), { cleanupMs: 60_000 });
    const theirs = registry.start(spawn("true", "ops"), { cleanupMs: 60_000 });
    const group = { agentId: "main", sessionKey: "agent:main:irc:group:#x" };
    const sibling = registry.start(spawn("true", "main", group.sessionKey), { cleanupMs: 60_000 });
    await Promise.all([mine.done, theirs.done, sibling.done]);
    assert.deepEqual(registry.list(MAIN).map((s) => s.id), [mine.id]);
    assert.deepEqual(registry.list(group).map((s) => s.id), [sibling.id]);
    assert.equal(registry.get(mine.id, group), undefined);
    assert.equal(registry.get(theirs.id, MAIN), undefined);
    assert.equal(registry.get(theirs.id, { agentId: "ops", sessionKey: "agent:ops:main" }), theirs);
  } finally {
    await registry.stop();
  }
});

/** Whether a process still runs (a zombie waiting for its reaper has ended). */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

Deno.test("ProcessRegistry.stop() kills every running command, its children too, and refuses new ones", async () => {
  const registry = new ProcessRegistry();
  const session = registry.start(spawn("sleep 300 & echo $!; sleep 300"), { cleanupMs: 60_000 });
  const printed = Promise.withResolvers<void>();
  const off = session.onOutput(() => /\d+\n/.test(session.aggregated) && printed.resolve());
  const deadline = setTimeout(() => printed.reject(new Error("the command never printed its child's pid")), 5000);
  await printed.promise.finally(() => {
    off();
    clearTimeout(deadline);
  });
  const grandchild = Number(session.aggregated.trim());
  assert.equal(await alive(grandchild), true);
  assert.equal(registry.running, 1);
  await registry.stop();
  assert.equal(session.exited, true);
  assert.equal(session.exit?.exitSignal, "SIGKILL");
  assert.equal(registry.running, 0);
  assert.equal(await alive(grandchild), false);
  assert.throws(() => registry.start(spawn("true"), { cleanupMs: 1 }), /gateway is stopping/);
});

Deno.test("process: another session of the same agent cannot list, poll, write or kill the main session's command", async () => {
  const registry = new ProcessRegistry();
  try {
    const host = registry.start(spawn("cat"), { cleanupMs: 60_000 });
    host.backgrounded = true;
    const tool = processTool(registry);
    const call = {
      runId: "r",
      toolCallId: "t",
      agentId: "main",
      sessionKey: "agent:main:irc:group:#x",
      workspace: "/tmp",
      signal: new AbortController().signal,
      senderIsOwner: false,
      update() {},
    };
    const say = async (args: Record<string, unknown>) =>
      ((await tool.execute(args, call)).content[0] as { text: string }).text;
    assert.equal(await say({ action: "list" }), "No running or recent sessions.");
    for (const action of ["poll", "log", "write", "kill"]) {
      assert.match(await say({ action, sessionId: host.id, data: "x\n" }), /^No (active )?session found for /);
    }
    assert.equal(host.exited, false);
    const own = await tool.execute({ action: "list" }, { ...call, sessionKey: "agent:main:main" });
    assert.match((own.content[0] as { text: string }).text, new RegExp(`^${host.id} running`));
  } finally {
    await registry.stop();
  }
});

Deno.test("process write gives up when the call is aborted while the command does not read its stdin", async () => {
  const registry = new ProcessRegistry();
  try {
    const session = registry.start(spawn("sleep 300"), { cleanupMs: 60_000 });
    session.backgrounded = true;
    const controller = new AbortController();
    const call = {
      runId: "r",
      toolCallId: "t",
      ...MAIN,
      workspace: "/tmp",
      signal: controller.signal,
      senderIsOwner: true,
      update() {},
    };
    // Far more than a pipe holds: the write blocks until the abort.
    const writing = processTool(registry).execute(
      { action: "write", sessionId: session.id, data: "x".repeat(4 * 1024 * 1024) },
      call,
    );
    controller.abort(new Error("run stopped"));
    await assert.rejects(writing, /run stopped/);
  } finally {
    await registry.stop();
  }
});
