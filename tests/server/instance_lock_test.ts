import assert from "node:assert/strict";
import { readLock } from "../../src/server/instance_lock.ts";

Deno.test("readLock returns a whole lock record, and undefined for a file that holds none", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/gateway.lock`;
    const record = { pid: 42, createdAt: "2026-01-01T00:00:00.000Z", configPath: "/c", stateDir: dir, port: 18789 };
    await Deno.writeTextFile(path, JSON.stringify(record));
    assert.deepEqual(await readLock(path), record);
    for (const text of ["", "null", "[]", '{"pid":"42"}', JSON.stringify({ ...record, port: "x" })]) {
      await Deno.writeTextFile(path, text);
      assert.equal(await readLock(path), undefined, text);
    }
    assert.equal(await readLock(`${dir}/missing.lock`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("InstanceLock.assertFree: quiet on a free state dir (no file, or one nobody holds), the lock's refusal on a held one, and it writes nothing", async () => {
  const { InstanceLock, lockPath } = await import("../../src/server/instance_lock.ts");
  const { StartupError } = await import("../../src/server/startup_error.ts");
  const dir = await Deno.makeTempDir();
  try {
    await InstanceLock.assertFree(dir);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(dir)), [], "no lock file is made");
    const lock = await InstanceLock.acquire({ stateDir: dir, configPath: `${dir}/openclaw.json`, port: 18789 });
    const held = await Deno.readTextFile(lockPath(dir));
    const refusal = await InstanceLock.assertFree(dir).then(() => undefined, (error) => error);
    assert.ok(refusal instanceof StartupError);
    assert.equal(refusal.kind, "locked");
    assert.match(
      refusal.message,
      new RegExp(`^gateway already running \\(pid ${Deno.pid}\\); it owns .* \\(port 18789\\)`),
    );
    assert.equal(await Deno.readTextFile(lockPath(dir)), held, "the holder's record is left as it was");
    await lock.release();
    await Deno.writeTextFile(lockPath(dir), held);
    await InstanceLock.assertFree(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
