import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { writeConfigFile, writeTextAtomic } from "../../src/config/write.ts";

Deno.test("writeConfigFile() replaces atomically, keeps a .bak and mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/sub/openclaw.json`;
  try {
    await writeConfigFile(path, { gateway: { mode: "local" } });
    await writeConfigFile(path, { gateway: { mode: "local", port: 1234 } });
    assert.equal(JSON.parse(await Deno.readTextFile(path)).gateway.port, 1234);
    assert.equal(JSON.parse(await Deno.readTextFile(`${path}.bak`)).gateway.port, undefined);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/sub`)).mode! & 0o777, 0o700);
    const leftovers = (await Array.fromAsync(Deno.readDir(`${dir}/sub`))).filter((e) => e.name.includes(".tmp-"));
    assert.deepEqual(leftovers, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeConfigFile() refuses a write when the file changed since it was read", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/openclaw.json`;
  try {
    await writeTextAtomic(path, "{}\n");
    const snapshot = await loadConfig(path, {});
    await Deno.writeTextFile(path, '{ gateway: { mode: "local" } }');
    await assert.rejects(
      writeConfigFile(path, { gateway: { port: 1 } }, { expectedHash: snapshot.hash }),
      /the file changed since it was read/,
    );
    assert.match(await Deno.readTextFile(path), /mode: "local"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
