import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";

/** Counts the failed lookups (NotFound) of paths under `dir` until the returned function puts the originals back. */
function countNotFound(dir: string, count: () => void): () => void {
  const stat = Deno.statSync;
  const lstat = Deno.lstatSync;
  const counting = (original: typeof Deno.statSync) => (path: string | URL) => {
    try {
      return original(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound && String(path).startsWith(dir)) count();
      throw error;
    }
  };
  Deno.statSync = counting(stat);
  Deno.lstatSync = counting(lstat);
  return () => {
    Deno.statSync = stat;
    Deno.lstatSync = lstat;
  };
}

/** Sets each directory's times in the past, so its stamp has settled (with the stores' clock ahead), as a user's has. */
async function settled(...dirs: string[]): Promise<void> {
  for (const dir of dirs) await Deno.utime(dir, 1_000_000, 1_000_000);
}

/** A clock far enough ahead that a stamp set in the past counts as settled. */
const ahead = () => Date.now() + 10_000;

/** How many lookups under `stateDir` failed while `read` ran. */
async function failedLookups(stateDir: string, read: () => Promise<void>): Promise<number> {
  let failed = 0;
  const restore = countNotFound(stateDir, () => failed++);
  try {
    await read();
  } finally {
    restore();
  }
  return failed;
}

/** Another writer (the reference sharing the state dir) makes the agent's first session. */
async function writeFirstSession(stateDir: string): Promise<void> {
  const writer = new SessionStore(stateDir, { now: ahead });
  await writer.ensure("agent:main:main", "main");
  await writer.close();
}

Deno.test("an agent with no sessions is known absent between reads, until a session appears", async () => {
  const stateDir = await Deno.makeTempDir();
  await settled(stateDir);
  const reader = new SessionStore(stateDir, { now: ahead });
  try {
    assert.deepEqual(await reader.list(["main"]), []);
    const later = await failedLookups(stateDir, async () => {
      for (let i = 0; i < 5; i++) {
        assert.deepEqual(await reader.list(["main"]), []);
        assert.equal(await reader.get("agent:main:main", "main"), undefined);
      }
    });
    assert.equal(later, 0, "reads after the first looked the database and the earlier index up again");

    await writeFirstSession(stateDir);
    assert.deepEqual((await reader.list(["main"])).map((row) => row.key), ["agent:main:main"]);
    assert.equal((await reader.get("agent:main:main", "main"))?.key, "agent:main:main");
  } finally {
    await reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("the earlier layout's index appearing is seen by the next read", async () => {
  const stateDir = await Deno.makeTempDir();
  await Deno.mkdir(`${stateDir}/agents/main/sessions`, { recursive: true });
  await settled(stateDir, `${stateDir}/agents`, `${stateDir}/agents/main`, `${stateDir}/agents/main/sessions`);
  const reader = new SessionStore(stateDir, { now: ahead });
  try {
    assert.deepEqual(await reader.list(["main"]), []);
    const later = await failedLookups(stateDir, async () => assert.deepEqual(await reader.list(["main"]), []));
    assert.equal(later, 0, "the second read looked the database and the earlier index up again");
    const updatedAt = Date.now();
    await Deno.writeTextFile(
      `${stateDir}/agents/main/sessions/sessions.json`,
      JSON.stringify({ "agent:main:main": { sessionId: "s-1", updatedAt } }),
    );
    assert.deepEqual((await reader.list(["main"])).map((row) => row.key), ["agent:main:main"]);
  } finally {
    await reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("an agent whose own directory exists (auth profiles) but has no database sees the one created there", async () => {
  const stateDir = await Deno.makeTempDir();
  const agentDir = `${stateDir}/agents/main/agent`;
  await Deno.mkdir(agentDir, { recursive: true });
  await Deno.writeTextFile(`${agentDir}/auth-profiles.json`, "{}");
  await settled(stateDir, `${stateDir}/agents`, `${stateDir}/agents/main`, agentDir);
  const reader = new SessionStore(stateDir, { now: ahead });
  try {
    assert.deepEqual(await reader.list(["main"]), []);
    const later = await failedLookups(stateDir, async () => assert.deepEqual(await reader.list(["main"]), []));
    assert.equal(later, 0, "the second read looked the database and the earlier index up again");
    await writeFirstSession(stateDir);
    assert.deepEqual((await reader.list(["main"])).map((row) => row.key), ["agent:main:main"]);
  } finally {
    await reader.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
