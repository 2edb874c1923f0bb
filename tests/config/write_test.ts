import assert from "node:assert/strict";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigChangedError, writeConfigFile, writeTextAtomic } from "../../src/config/write.ts";

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

Deno.test("writeTextAtomic() writes through a symlink: the link stays, its target gets the content", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/dotfiles`);
    await Deno.writeTextFile(`${dir}/dotfiles/openclaw.json`, "{}\n");
    await Deno.mkdir(`${dir}/state`);
    await Deno.symlink("../dotfiles/openclaw.json", `${dir}/state/openclaw.json`);
    await writeConfigFile(`${dir}/state/openclaw.json`, { gateway: { port: 4321 } });
    assert.ok((await Deno.lstat(`${dir}/state/openclaw.json`)).isSymlink, "the link is still a link");
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/dotfiles/openclaw.json`)).gateway.port, 4321);
    assert.equal(await Deno.readTextFile(`${dir}/state/openclaw.json.bak`), "{}\n");
    const strays = (await Array.fromAsync(Deno.readDir(`${dir}/dotfiles`))).map((e) => e.name);
    assert.deepEqual(strays, ["openclaw.json"], "the temp file lived beside the target and is gone");
    // A dangling link: the file it names is created, the link kept.
    await Deno.symlink(`${dir}/dotfiles/new.json`, `${dir}/state/new.json`);
    await writeTextAtomic(`${dir}/state/new.json`, "{}\n");
    assert.ok((await Deno.lstat(`${dir}/state/new.json`)).isSymlink);
    assert.equal(await Deno.readTextFile(`${dir}/dotfiles/new.json`), "{}\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeTextAtomic() with expectedHash refuses when the file no longer holds that content", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/openclaw.json`;
  try {
    await writeTextAtomic(path, "{}\n");
    const base = (await loadConfig(path, {})).hash;
    await writeTextAtomic(path, "{ a: 1 }\n", { expectedHash: base });
    await assert.rejects(writeTextAtomic(path, "{ b: 2 }\n", { expectedHash: base }), ConfigChangedError);
    assert.equal(await Deno.readTextFile(path), "{ a: 1 }\n");
    const leftovers = (await Array.fromAsync(Deno.readDir(dir))).filter((e) => e.name.includes(".tmp-"));
    assert.deepEqual(leftovers, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
