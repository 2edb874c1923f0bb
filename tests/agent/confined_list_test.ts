import assert from "node:assert/strict";
import { listDirectoryWithin } from "../../src/agent/confined_list.ts";
import { ToolError } from "../../src/agent/tool.ts";

async function workspace(): Promise<string> {
  return await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-list-" }));
}

const sorted = (entries: { name: string; isDirectory: boolean }[]) =>
  entries.map((entry) => `${entry.name}${entry.isDirectory ? "/" : ""}`).sort();

Deno.test("a confined listing holds every name as Deno.readDir does, odd ones too", async () => {
  const ws = await workspace();
  const names = [
    "plain.txt",
    "-n",
    "--",
    "*",
    ".[!.]x",
    "..x",
    ".hidden",
    "a\nb",
    "%s",
    "back\\slash",
    "sp ace",
    "ünï",
  ];
  for (const name of names) await Deno.writeTextFile(`${ws}/${name}`, "");
  await Deno.mkdir(`${ws}/sub`);
  await Deno.mkdir(`${ws}/.dotdir`);
  await Deno.symlink(`${ws}/sub`, `${ws}/link-to-dir`);
  await Deno.symlink(`${ws}/missing`, `${ws}/dangling`);
  const expected = sorted(
    (await Array.fromAsync(Deno.readDir(ws))).map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory })),
  );
  assert.deepEqual(sorted(await listDirectoryWithin(ws, ws)), expected);
  assert.deepEqual(sorted(await listDirectoryWithin(ws, undefined)), expected);
  assert.ok(expected.includes("sub/") && expected.includes("link-to-dir") && expected.includes("dangling"));
  await Deno.remove(ws, { recursive: true });
});

Deno.test("a confined listing of an empty directory, a missing one, a file, and a link leading outside", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.mkdir(`${ws}/empty`);
  await Deno.writeTextFile(`${ws}/file.txt`, "");
  await Deno.symlink(outside, `${ws}/out`);
  assert.deepEqual(await listDirectoryWithin(`${ws}/empty`, ws), []);
  await assert.rejects(listDirectoryWithin(`${ws}/missing`, ws), Deno.errors.NotFound);
  await assert.rejects(listDirectoryWithin(`${ws}/file.txt`, ws), Deno.errors.NotADirectory);
  await assert.rejects(listDirectoryWithin(`${ws}/out`, ws), (error: unknown) => {
    assert.ok(error instanceof ToolError);
    assert.equal(error.message, `Path escapes sandbox root (${ws}): ${ws}/out`);
    return true;
  });
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});

Deno.test("a directory swapped for a symlink outside and back while listed: never the outside names", async () => {
  const ws = await workspace();
  const outside = await workspace();
  await Deno.writeTextFile(`${outside}/secret-name.txt`, "");
  const dir = `${ws}/d`;
  let running = true;
  // Swaps by rename, so the directory comes back with its own inode: checks of the path before and
  // after a listing cannot see the swap in between.
  await Deno.mkdir(dir);
  await Deno.writeTextFile(`${dir}/inside.txt`, "");
  const flipper = (async () => {
    let flips = 0;
    while (running) {
      await Deno.rename(dir, `${ws}/held`);
      await Deno.symlink(outside, dir);
      await Deno.remove(dir);
      await Deno.rename(`${ws}/held`, dir);
      flips++;
    }
    return flips;
  })();
  const seen = { inside: 0, refused: 0, leaked: 0 };
  const started = Date.now();
  try {
    while (Date.now() - started < 2_000 || seen.inside < 5) {
      if (Date.now() - started > 60_000) break;
      const names = await listDirectoryWithin(dir, ws).then(
        (entries) => entries.map((entry) => entry.name),
        (): string[] => [],
      );
      if (names.includes("secret-name.txt")) seen.leaked++;
      else if (names.includes("inside.txt")) seen.inside++;
      else seen.refused++;
    }
  } finally {
    running = false;
  }
  const flips = await flipper;
  assert.ok(flips > 20, `raced enough (${flips} swaps)`);
  assert.equal(seen.leaked, 0, `no listing of the outside directory (${JSON.stringify(seen)})`);
  assert.ok(seen.inside >= 5, `the inside directory is still listed between swaps (${JSON.stringify(seen)})`);
  await Deno.remove(ws, { recursive: true });
  await Deno.remove(outside, { recursive: true });
});
