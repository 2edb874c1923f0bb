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
