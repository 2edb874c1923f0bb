import assert from "node:assert/strict";
import type { AgentRuns } from "../../src/agent/runs.ts";
import { ChannelManager, type ChannelManagerDeps } from "../../src/channels/manager.ts";
import { getLogger } from "../../src/log/logger.ts";
import { LazyStateDb } from "../../src/server/state_db_handle.ts";

/** How many of this process's open files are under a directory (the database, its WAL and shm). */
function openFilesUnder(dir: string): number {
  let count = 0;
  for (const entry of Deno.readDirSync("/proc/self/fd")) {
    try {
      if (Deno.readLinkSync(`/proc/self/fd/${entry.name}`).startsWith(dir)) count++;
    } catch {
      // Closed while listing.
    }
  }
  return count;
}

function deps(stateDir: string, extra: Partial<ChannelManagerDeps> = {}): ChannelManagerDeps {
  return {
    stateDir,
    env: {} as ChannelManagerDeps["env"],
    config: () => ({ channels: {}, bindings: [], session: {} }) as unknown as ReturnType<ChannelManagerDeps["config"]>,
    defaultAgentId: () => "main",
    runs: {} as AgentRuns,
    log: getLogger("test/channels"),
    kinds: [],
    ...extra,
  };
}

Deno.test("ChannelManager.stop closes the DM pairing store's own connection: restarts leak none", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-channels-pairing-" });
  try {
    for (let start = 0; start < 3; start++) {
      const manager = new ChannelManager(deps(stateDir));
      assert.deepEqual(await manager.pairing.list("telegram"), []);
      assert.ok(openFilesUnder(stateDir) > 0);
      await manager.stop();
      assert.equal(openFilesUnder(stateDir), 0, `after stop ${start + 1}`);
    }
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("ChannelManager with the gateway's state database: pairing uses it, and its owner closes it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-channels-pairing-" });
  const shared = new LazyStateDb(stateDir, "write");
  try {
    const manager = new ChannelManager(deps(stateDir, { stateDb: () => shared.get() }));
    assert.equal((await manager.pairing.upsert("irc", { id: "a", accountId: "default", meta: {} })).created, true);
    await manager.stop();
    const db = await shared.get();
    assert.equal(db.isOpen, true, "the manager does not close a connection it does not own");
    assert.equal((db.prepare("SELECT count(*) AS n FROM channel_pairing_requests").get() as { n: number }).n, 1);
    await shared.close();
    assert.equal(openFilesUnder(stateDir), 0);
  } finally {
    await shared.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
