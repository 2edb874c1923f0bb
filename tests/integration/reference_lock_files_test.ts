// The reference's lock files on disk and the process probe behind them: in process, but each probe spawns `cat`
// (process_probe.ts), so these live with the integration tests.
import assert from "node:assert/strict";
import { ownStartTime, probeProcess } from "../../src/state/process_probe.ts";
import { ReferenceLock, resolveReferenceLockPaths } from "../../src/server/reference_lock.ts";
import { StartupError } from "../../src/server/startup_error.ts";

async function withStateDir(body: (stateDir: string, configPath: string) => Promise<void>): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-reflock-" });
  try {
    await body(stateDir, `${stateDir}/openclaw.json`);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
}

function lockOf(pid: number, extra: Record<string, unknown> = {}): string {
  return `${
    JSON.stringify({ pid, createdAt: new Date().toISOString(), configPath: "/c", port: 4321, ...extra }, null, 2)
  }\n`;
}

Deno.test("ReferenceLock: held from acquire to release, both files, with this process's pid, port and start time", async () => {
  await withStateDir(async (stateDir, configPath) => {
    const startTime = await ownStartTime();
    const lock = await ReferenceLock.acquire({ stateDir, configPath, port: 18789, startTime });
    const paths = await resolveReferenceLockPaths({ stateDir, configPath });
    for (const path of [paths.stateLock, paths.configLock]) {
      const payload = JSON.parse(await Deno.readTextFile(path));
      assert.equal(payload.pid, Deno.pid);
      assert.equal(payload.port, 18789);
      assert.equal(payload.startTime, startTime);
      assert.equal(payload.stateDir, await Deno.realPath(stateDir));
    }
    await lock.release();
    await lock.release();
    assert.deepEqual(await Array.fromAsync(Deno.readDir(paths.dir)), []);
  });
});

Deno.test({
  name:
    "ReferenceLock: a live owner's lock refuses the start, naming its pid and port; a dead or reused pid's is taken over",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    // The live owner: another process (this one's own pid counts as a leftover of ours), stopped by its PID below.
    const owner = new Deno.Command("sleep", { args: ["60"], stdin: "null", stdout: "null", stderr: "null" }).spawn();
    try {
      await withStateDir(async (stateDir, configPath) => {
        const paths = await resolveReferenceLockPaths({ stateDir, configPath });
        await Deno.mkdir(paths.dir, { recursive: true });
        const live = lockOf(owner.pid, { startTime: (await probeProcess(owner.pid))?.startTime });
        await Deno.writeTextFile(paths.configLock, live);
        const refusal = await ReferenceLock.assertFree({ stateDir, configPath }).then(() => undefined, (e) => e);
        assert.ok(refusal instanceof StartupError);
        assert.equal(refusal.kind, "locked");
        assert.match(
          refusal.message,
          new RegExp(`^gateway already running \\(pid ${owner.pid}\\); it owns .* \\(port 4321\\)`),
        );
        const acquired = await ReferenceLock.acquire({ stateDir, configPath, port: 1, startTime: undefined })
          .then(() => undefined, (e) => e);
        assert.ok(acquired instanceof StartupError, "acquire refuses too");
        assert.equal(await Deno.readTextFile(paths.configLock), live, "the live owner's lock is left as it was");
        assert.equal(
          await Deno.stat(paths.stateLock).then(() => true, () => false),
          false,
          "the state lock taken before the refusal is given back",
        );

        await Deno.writeTextFile(paths.configLock, lockOf(4_194_305));
        await Deno.writeTextFile(paths.stateLock, lockOf(owner.pid, { startTime: 1 }));
        await ReferenceLock.assertFree({ stateDir, configPath });
        const lock = await ReferenceLock.acquire({ stateDir, configPath, port: 2, startTime: undefined });
        assert.equal(JSON.parse(await Deno.readTextFile(paths.configLock)).port, 2);
        assert.equal(JSON.parse(await Deno.readTextFile(paths.stateLock)).port, 2);
        await lock.release();
      });
    } finally {
      owner.kill("SIGKILL");
      await owner.status;
    }
  },
});

Deno.test("ReferenceLock: a leftover lock naming this very pid (an earlier run of ours, same pid) is taken over", async () => {
  await withStateDir(async (stateDir, configPath) => {
    const paths = await resolveReferenceLockPaths({ stateDir, configPath });
    await Deno.mkdir(paths.dir, { recursive: true });
    // As the binary writes it: no start time, so only the argv could judge it, and ours is a live gateway's.
    await Deno.writeTextFile(paths.stateLock, lockOf(Deno.pid));
    await Deno.writeTextFile(paths.configLock, lockOf(Deno.pid));
    const lock = await ReferenceLock.acquire({ stateDir, configPath, port: 5, startTime: undefined });
    assert.match(await Deno.readTextFile(paths.stateLock), /"port": 5/);
    await lock.release();
  });
});

Deno.test("ReferenceLock.release() leaves a lock another owner has put in its place", async () => {
  await withStateDir(async (stateDir, configPath) => {
    const lock = await ReferenceLock.acquire({ stateDir, configPath, port: 3, startTime: undefined });
    const paths = await resolveReferenceLockPaths({ stateDir, configPath });
    const foreign = lockOf(999_999_999);
    await Deno.writeTextFile(paths.stateLock, foreign);
    await lock.release();
    assert.equal(await Deno.readTextFile(paths.stateLock), foreign);
    assert.equal(await Deno.stat(paths.configLock).then(() => true, () => false), false);
  });
});

Deno.test({
  name: "probeProcess() knows this process by its start time, and a pid no process has as dead",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const self = await probeProcess(Deno.pid);
    assert.equal(self?.alive, true);
    assert.equal(self?.startTime, await ownStartTime());
    assert.ok(typeof self?.startTime === "number");
    // Above the kernel's largest pid (PID_MAX_LIMIT, 2^22): no process has it.
    assert.deepEqual(await probeProcess(4_194_305), { alive: false });
  },
});
