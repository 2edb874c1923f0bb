// The process registry with real children: finished records are bounded (oldest dropped first, the
// newest always kept), each agent sees only its own, and stop() kills what runs and refuses more.
import assert from "node:assert/strict";
import { ProcessRegistry } from "../../src/agent/process_registry.ts";

function spawn(command: string, agentId = "main") {
  return {
    argv: ["/bin/sh", "-c", command],
    env: { PATH: "/usr/bin:/bin" },
    cwd: "/",
    command,
    displayCwd: "/",
    agentId,
    sessionKey: `agent:${agentId}:main`,
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
    assert.deepEqual(registry.list("main").map((s) => s.id), ids.slice(1));
    assert.equal(registry.get(ids[0]!, "main"), undefined);
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
    assert.deepEqual(registry.list("main").map((s) => s.aggregated), ["abcdefghijkl"]);
  } finally {
    await registry.stop();
  }
});

Deno.test("ProcessRegistry shows an agent only its own sessions", async () => {
  const registry = new ProcessRegistry();
  try {
    const mine = registry.start(spawn("true", "main"), { cleanupMs: 60_000 });
    const theirs = registry.start(spawn("true", "ops"), { cleanupMs: 60_000 });
    await Promise.all([mine.done, theirs.done]);
    assert.deepEqual(registry.list("main").map((s) => s.id), [mine.id]);
    assert.equal(registry.get(theirs.id, "main"), undefined);
    assert.equal(registry.get(theirs.id, "ops"), theirs);
  } finally {
    await registry.stop();
  }
});

Deno.test("ProcessRegistry.stop() kills every running command, its children too, and refuses new ones", async () => {
  const registry = new ProcessRegistry();
  const session = registry.start(spawn("sleep 300 & sleep 300"), { cleanupMs: 60_000 });
  assert.equal(registry.running, 1);
  await registry.stop();
  assert.equal(session.exited, true);
  assert.equal(session.exit?.exitSignal, "SIGKILL");
  assert.equal(registry.running, 0);
  assert.throws(() => registry.start(spawn("true"), { cleanupMs: 1 }), /gateway is stopping/);
});
