// Bootstrap files kept between runs (src/agent/bootstrap_cache.ts): an unchanged file is not read again,
// but an edit, a new file, a retargeted link or a file that links out of the workspace is seen by the next run.
import assert from "node:assert/strict";
import {
  type BootstrapCache,
  cachedWorkspaceText,
  directoryStamp,
  MAX_KEPT_BYTES,
} from "../../src/agent/bootstrap_cache.ts";
import { readBootstrapFiles } from "../../src/agent/workspace_files.ts";
import { readWorkspaceText, WorkspaceBoundaryError } from "../../src/agent/workspace_boundary.ts";

/** A clock far enough ahead that every file just written counts as settled. */
const later = () => Date.now() + 60_000;

async function workspace(): Promise<{ base: string; ws: string; cleanup: () => Promise<void> }> {
  const base = await Deno.makeTempDir();
  const ws = `${base}/ws`;
  await Deno.mkdir(ws);
  return { base, ws, cleanup: () => Deno.remove(base, { recursive: true }) };
}

/** Reads one file through the cache as a run does: the directory's stamp first, then the file. */
function read(cache: BootstrapCache, ws: string, name: string): Promise<string | undefined> {
  const dir = directoryStamp(ws);
  return cachedWorkspaceText(cache, ws, `${ws}/${name}`, () => Deno.realPath(ws), dir, later);
}

Deno.test("an unchanged bootstrap file is kept; an edit is read by the next run", async () => {
  const { ws, cleanup } = await workspace();
  try {
    const path = `${ws}/AGENTS.md`;
    await Deno.writeTextFile(path, "version one");
    const cache: BootstrapCache = new Map();
    assert.equal(await read(cache, ws, "AGENTS.md"), "version one");
    const kept = cache.get(path);
    assert.equal(kept?.kind, "file");
    assert.equal(await read(cache, ws, "AGENTS.md"), "version one");
    assert.equal(cache.get(path), kept, "the second run used the kept text, not a new read");
    // Same length, and an mtime set apart from the first so the coarse clock cannot hide the edit.
    await Deno.writeTextFile(path, "version two");
    await Deno.utime(path, new Date(), new Date(Date.now() - 10_000));
    assert.equal(await read(cache, ws, "AGENTS.md"), "version two");
    assert.notEqual(cache.get(path), kept);
  } finally {
    await cleanup();
  }
});

Deno.test("a missing bootstrap file stays missing only while the workspace directory is unchanged", async () => {
  const { ws, cleanup } = await workspace();
  try {
    // The directory's own mtime set in the past, so creating a file moves it whatever the clock's grain.
    await Deno.utime(ws, new Date(), new Date(Date.now() - 10_000));
    const cache: BootstrapCache = new Map();
    await assert.rejects(read(cache, ws, "SOUL.md"), Deno.errors.NotFound);
    assert.equal(cache.get(`${ws}/SOUL.md`)?.kind, "missing");
    assert.equal(await read(cache, ws, "SOUL.md"), undefined, "known missing: not looked up again");
    await Deno.writeTextFile(`${ws}/SOUL.md`, "a soul");
    assert.equal(await read(cache, ws, "SOUL.md"), "a soul");
  } finally {
    await cleanup();
  }
});

Deno.test("a dangling link is not kept as missing: its target appearing elsewhere is seen", async () => {
  const { ws, cleanup } = await workspace();
  try {
    await Deno.mkdir(`${ws}/docs`);
    await Deno.symlink("docs/agents.md", `${ws}/AGENTS.md`);
    await Deno.utime(ws, new Date(), new Date(Date.now() - 10_000));
    const cache: BootstrapCache = new Map();
    await assert.rejects(read(cache, ws, "AGENTS.md"), Deno.errors.NotFound);
    assert.equal(cache.has(`${ws}/AGENTS.md`), false);
    await Deno.writeTextFile(`${ws}/docs/agents.md`, "via the link");
    assert.equal(await read(cache, ws, "AGENTS.md"), "via the link");
  } finally {
    await cleanup();
  }
});

Deno.test("a kept file whose link is turned out of the workspace is refused, never served from the cache", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    await Deno.writeTextFile(`${base}/openclaw.json`, "GATEWAY-SECRET");
    await Deno.writeTextFile(`${ws}/inside.md`, "inside");
    await Deno.symlink("inside.md", `${ws}/AGENTS.md`);
    const cache: BootstrapCache = new Map();
    assert.equal(await read(cache, ws, "AGENTS.md"), "inside");
    await Deno.remove(`${ws}/AGENTS.md`);
    await Deno.symlink(`${base}/openclaw.json`, `${ws}/AGENTS.md`);
    await assert.rejects(read(cache, ws, "AGENTS.md"), WorkspaceBoundaryError);
  } finally {
    await cleanup();
  }
});

Deno.test("a file changed moments ago is not kept (its stamp could hide a second change) and runs see edits", async () => {
  const { ws, cleanup } = await workspace();
  try {
    const cache: BootstrapCache = new Map();
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "first");
    const names = ["AGENTS.md", "SOUL.md"];
    const first = await readBootstrapFiles(ws, names, cache);
    assert.deepEqual(first.map((f) => [f.name, f.content, f.missing ?? false]), [
      ["AGENTS.md", "first", false],
      ["SOUL.md", "", true],
    ]);
    assert.equal(cache.size, 0, "nothing settled yet on the real clock");
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "again");
    await Deno.writeTextFile(`${ws}/SOUL.md`, "soul");
    const second = await readBootstrapFiles(ws, names, cache);
    assert.deepEqual(second.map((f) => f.content), ["again", "soul"]);
    assert.deepEqual(second, await readBootstrapFiles(ws, names), "the same files as an uncached read");
  } finally {
    await cleanup();
  }
});

Deno.test("a kept file whose link's directory is moved out of the workspace is refused, as a fresh read refuses it", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    await Deno.mkdir(`${ws}/docs`);
    await Deno.writeTextFile(`${ws}/docs/agents.md`, "via docs");
    await Deno.symlink("docs/agents.md", `${ws}/AGENTS.md`);
    const cache: BootstrapCache = new Map();
    assert.equal(await read(cache, ws, "AGENTS.md"), "via docs");
    // The file itself is untouched (its stat is the kept one); the directory on the way now lies outside.
    await Deno.rename(`${ws}/docs`, `${base}/docs`);
    await Deno.symlink(`${base}/docs`, `${ws}/docs`);
    await assert.rejects(readWorkspaceText(ws, `${ws}/AGENTS.md`), WorkspaceBoundaryError);
    await assert.rejects(read(cache, ws, "AGENTS.md"), WorkspaceBoundaryError);
  } finally {
    await cleanup();
  }
});

Deno.test("the cache keeps at most MAX_KEPT_BYTES of files, the older going first, and never one file over it", async () => {
  const { ws, cleanup } = await workspace();
  try {
    const half = Math.floor(MAX_KEPT_BYTES / 2) + 1;
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "a".repeat(half));
    await Deno.writeTextFile(`${ws}/SOUL.md`, "s".repeat(half));
    await Deno.writeTextFile(`${ws}/MEMORY.md`, "m".repeat(MAX_KEPT_BYTES + 1));
    const cache: BootstrapCache = new Map();
    assert.equal((await read(cache, ws, "AGENTS.md"))?.length, half);
    assert.equal(cache.get(`${ws}/AGENTS.md`)?.kind, "file");
    // Two halves are over the bound: the older goes.
    assert.equal((await read(cache, ws, "SOUL.md"))?.length, half);
    assert.deepEqual([...cache.keys()], [`${ws}/SOUL.md`]);
    // A file over the bound on its own is read, never kept (nor does it push out what is kept).
    assert.equal((await read(cache, ws, "MEMORY.md"))?.length, MAX_KEPT_BYTES + 1);
    assert.deepEqual([...cache.keys()], [`${ws}/SOUL.md`]);
  } finally {
    await cleanup();
  }
});

Deno.test("a file with no entry is missing without a read, as a read finds it; every other case is left to the read", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    await Deno.writeTextFile(`${ws}/PLAIN.md`, "plain");
    await Deno.symlink(`${base}/nowhere`, `${ws}/DANGLING.md`);
    await Deno.writeTextFile(`${base}/outside.md`, "outside");
    await Deno.symlink(`${base}/outside.md`, `${ws}/OUT.md`);
    await Deno.mkdir(`${ws}/DIR.md`);
    await Deno.writeTextFile(`${ws}/FILE`, "a file, not a directory");
    const outcome = (read: Promise<string | undefined>) =>
      read.then((text) => `text:${text}`, (error) => `${error?.constructor?.name}`);
    // The workspace was just made: nothing is kept, every call decides afresh (the clock at its real time).
    for (const name of ["ABSENT.md", "PLAIN.md", "DANGLING.md", "OUT.md", "DIR.md", "FILE/SUB.md", "no/such/dir.md"]) {
      const cache: BootstrapCache = new Map();
      const path = `${ws}/${name}`;
      const cached = await outcome(cachedWorkspaceText(cache, ws, path, () => Deno.realPath(ws), directoryStamp(ws)));
      const fresh = await outcome(readWorkspaceText(ws, path));
      assert.equal(cached, fresh, name);
      assert.equal(cache.size, 0, `${name}: nothing kept from an unsettled workspace`);
    }
    // A missing file created afterwards is read by the next call.
    const cache: BootstrapCache = new Map();
    await assert.rejects(read(cache, ws, "NEW.md"), Deno.errors.NotFound);
    await Deno.writeTextFile(`${ws}/NEW.md`, "new");
    assert.equal(await read(cache, ws, "NEW.md"), "new");
  } finally {
    await cleanup();
  }
});

Deno.test("a kept plain file is served on its lstat alone: no real path of the workspace or the file", async () => {
  const { ws, cleanup } = await workspace();
  try {
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "plain");
    const cache: BootstrapCache = new Map();
    let resolved = 0;
    const realRoot = () => (resolved++, Deno.realPath(ws));
    const path = `${ws}/AGENTS.md`;
    assert.equal(await cachedWorkspaceText(cache, ws, path, realRoot, directoryStamp(ws), later), "plain");
    assert.equal(resolved, 1, "the first read resolves the workspace");
    assert.equal(await cachedWorkspaceText(cache, ws, path, realRoot, directoryStamp(ws), later), "plain");
    assert.equal(await cachedWorkspaceText(cache, `${ws}/`, path, realRoot, directoryStamp(ws), later), "plain");
    assert.equal(resolved, 1, "a kept plain file needs no real path");
  } finally {
    await cleanup();
  }
});

Deno.test("a kept plain file turned into a link out of the workspace is refused, never served from the cache", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    await Deno.writeTextFile(`${base}/openclaw.json`, "GATEWAY-SECRET");
    await Deno.writeTextFile(`${ws}/AGENTS.md`, "plain");
    const cache: BootstrapCache = new Map();
    assert.equal(await read(cache, ws, "AGENTS.md"), "plain");
    // The kept file moved out and linked back: the same inode and stamp, now behind a link that leaves.
    await Deno.rename(`${ws}/AGENTS.md`, `${base}/moved.md`);
    await Deno.symlink(`${base}/moved.md`, `${ws}/AGENTS.md`);
    await assert.rejects(read(cache, ws, "AGENTS.md"), WorkspaceBoundaryError);
  } finally {
    await cleanup();
  }
});

Deno.test("kept bootstrap files answer as fresh reads through edits, links, hard links and a retargeted workspace (seeded)", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    // The workspace is reached through a link the steps retarget between two directories.
    const other = `${base}/ws2`;
    await Deno.mkdir(other);
    await Deno.mkdir(`${base}/out`);
    await Deno.writeTextFile(`${base}/out/secret.md`, "OUTSIDE");
    const root = `${base}/root`;
    await Deno.symlink(ws, root);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const names = ["AGENTS.md", "SOUL.md", "USER.md"];
    const dirs = [ws, other];
    let stamp = Date.now() - 10_000_000;
    let kept = 0;
    const cache: BootstrapCache = new Map();
    const outcome = (read: Promise<string | undefined>) =>
      read.then((text) => `text:${text}`, (error) => `${error?.constructor?.name}`);
    const differences: string[] = [];
    for (let step = 0; step < 300; step++) {
      const dir = dirs[Math.floor(next() * 2)]!;
      const name = names[Math.floor(next() * names.length)]!;
      const path = `${dir}/${name}`;
      const action = Math.floor(next() * 7);
      await Deno.remove(path).catch(() => {});
      if (action <= 2) await Deno.writeTextFile(path, `text ${step} ${"x".repeat(step % 5)}`);
      else if (action === 3) await Deno.symlink(`${base}/out/secret.md`, path);
      else if (action === 4) await Deno.link(`${base}/out/secret.md`, path);
      else if (action === 5) await Deno.symlink(names[(names.indexOf(name) + 1) % names.length]!, path);
      else {
        await Deno.remove(root);
        await Deno.symlink(dir, root);
      }
      // Every change gets an mtime of its own (the clock below counts everything as settled).
      stamp += 10_000;
      for (const d of dirs) {
        for (const n of names) await Deno.utime(`${d}/${n}`, new Date(stamp), new Date(stamp)).catch(() => {});
        await Deno.utime(d, new Date(stamp), new Date(stamp));
      }
      for (const n of names) {
        const dirStamp = directoryStamp(root);
        const cached = await outcome(
          cachedWorkspaceText(cache, root, `${root}/${n}`, () => Deno.realPath(root), dirStamp, later),
        );
        const fresh = await outcome(readWorkspaceText(root, `${root}/${n}`));
        if (cached !== fresh) differences.push(`step ${step} ${n}: cached ${cached}, fresh ${fresh}`);
      }
      kept = Math.max(kept, cache.size);
    }
    assert.deepEqual(differences, []);
    assert.ok(kept >= 3, `files were kept along the way (${kept} at most)`);
  } finally {
    await cleanup();
  }
});

Deno.test("a kept file below a folder of the workspace is checked through its real path: the folder may become a link out", async () => {
  const { base, ws, cleanup } = await workspace();
  try {
    await Deno.mkdir(`${ws}/sub`);
    await Deno.writeTextFile(`${ws}/sub/AGENTS.md`, "in a folder");
    const cache: BootstrapCache = new Map();
    const path = `${ws}/sub/AGENTS.md`;
    const readSub = () => cachedWorkspaceText(cache, ws, path, () => Deno.realPath(ws), directoryStamp(ws), later);
    assert.equal(await readSub(), "in a folder");
    // The folder moves out and is linked back: the file's own entry is still a plain file with the kept stamp.
    await Deno.rename(`${ws}/sub`, `${base}/sub`);
    await Deno.symlink(`${base}/sub`, `${ws}/sub`);
    await assert.rejects(readSub(), WorkspaceBoundaryError);
  } finally {
    await cleanup();
  }
});
