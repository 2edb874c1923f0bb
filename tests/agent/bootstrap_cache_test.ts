import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type BootstrapCache,
  bootstrapPath,
  cachedBootstrapFiles,
  readAndRemember,
} from "../../src/agent/bootstrap_cache.ts";
import { readWorkspaceText } from "../../src/agent/workspace_boundary.ts";
import { readBootstrapFiles } from "../../src/agent/workspace_files.ts";
import { bootstrapNamesFor } from "../../src/agent/workspace_prompt.ts";

const NAMES = bootstrapNamesFor("main");
/** A clock far enough ahead that files written by the test count as settled. */
const later = () => Date.now() + 60_000;

/** Fills `cache` as a run long after the files were written would. */
async function remember(cache: BootstrapCache, ws: string): Promise<void> {
  for (const name of NAMES) {
    const path = bootstrapPath(ws, name);
    await readAndRemember(cache, path, () => readWorkspaceText(ws, path), later).catch(() => {});
  }
}

async function workspace(): Promise<{ root: string; ws: string }> {
  const root = await Deno.makeTempDir();
  const ws = join(root, "ws");
  await Deno.mkdir(ws);
  await Deno.writeTextFile(join(ws, "AGENTS.md"), "# Agents\nbe brief\n");
  await Deno.writeTextFile(join(ws, "SOUL.md"), "calm\n");
  await Deno.writeTextFile(join(root, "secret.txt"), "token=abc\n");
  return { root, ws };
}

Deno.test("bootstrap cache: a hit is exactly a fresh read (present, expected-missing and skipped files)", async () => {
  const { root, ws } = await workspace();
  try {
    const cache: BootstrapCache = new Map();
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined, "nothing remembered yet");
    await remember(cache, ws);
    const fresh = await readBootstrapFiles(ws, NAMES);
    assert.deepEqual(cachedBootstrapFiles(cache, ws, NAMES), fresh);
    assert.deepEqual(await readBootstrapFiles(ws, NAMES, cache), fresh);
    assert.ok(fresh.some((file) => file.missing) && fresh.some((file) => file.content === "calm\n"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bootstrap cache: an edited, added or removed file is read again", async () => {
  const { root, ws } = await workspace();
  try {
    const cache: BootstrapCache = new Map();
    await remember(cache, ws);
    // Same size: the modification time moves (a file put back to its old mtime is told by its
    // change time, which the two settled seconds guarantee has moved: not testable without waiting).
    const before = await Deno.stat(join(ws, "SOUL.md"));
    await Deno.writeTextFile(join(ws, "SOUL.md"), "wild\n");
    await Deno.utime(join(ws, "SOUL.md"), before.atime!, new Date(before.mtime!.getTime() - 5_000));
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined);
    const read = await readBootstrapFiles(ws, NAMES, cache);
    assert.equal(read.find((file) => file.name === "SOUL.md")?.content, "wild\n");

    await remember(cache, ws);
    assert.ok(cachedBootstrapFiles(cache, ws, NAMES));
    await Deno.writeTextFile(join(ws, "USER.md"), "Ada\n");
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined, "a new file is not in the cache");
    await remember(cache, ws);
    await Deno.remove(join(ws, "USER.md"));
    assert.deepEqual(cachedBootstrapFiles(cache, ws, NAMES), await readBootstrapFiles(ws, NAMES));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bootstrap cache: a file swapped for a link out of the workspace is never served from the cache", async () => {
  const { root, ws } = await workspace();
  try {
    const cache: BootstrapCache = new Map();
    await remember(cache, ws);
    await Deno.remove(join(ws, "AGENTS.md"));
    await Deno.symlink(join(root, "secret.txt"), join(ws, "AGENTS.md"));
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined);
    const read = await readBootstrapFiles(ws, NAMES, cache);
    const agents = read.find((file) => file.name === "AGENTS.md")!;
    assert.match(agents.content, /^\[UNREADABLE: Symlink escapes workspace root/);
    assert.deepEqual(read, await readBootstrapFiles(ws, NAMES));
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined, "the refused file was not remembered");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("bootstrap cache: a file changed in the last two seconds is not remembered", async () => {
  const { root, ws } = await workspace();
  try {
    const cache: BootstrapCache = new Map();
    await readBootstrapFiles(ws, NAMES, cache);
    assert.equal(cache.size, 0);
    assert.equal(cachedBootstrapFiles(cache, ws, NAMES), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
