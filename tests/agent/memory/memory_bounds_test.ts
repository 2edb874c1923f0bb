import assert from "node:assert/strict";
import { join } from "node:path";
import { openAgentDb } from "../../../src/state/agent_db.ts";
import { listMemoryFiles, MAX_MEMORY_FILE_BYTES, syncMemoryIndex } from "../../../src/agent/memory/memory_index.ts";
import { MemoryPathError, readMemoryFile } from "../../../src/agent/memory/memory_read.ts";
import { searchMemoryIndex } from "../../../src/agent/memory/memory_search.ts";

const signal = new AbortController().signal;

async function tempRoot(): Promise<{ root: string; ws: string; outside: string }> {
  const root = await Deno.makeTempDir();
  const ws = join(root, "ws");
  const outside = join(root, "outside");
  await Deno.mkdir(ws, { recursive: true });
  await Deno.mkdir(outside, { recursive: true });
  await Deno.writeTextFile(join(outside, "secret.md"), "the outside secret\n");
  return { root, ws, outside };
}

Deno.test("memory_get: a symlinked memory/, subfolder or file leading out of the workspace is refused", async () => {
  const { root, ws, outside } = await tempRoot();
  try {
    await Deno.symlink(outside, join(ws, "memory"));
    await assert.rejects(readMemoryFile({ workspace: ws, path: "memory/secret.md" }), MemoryPathError);
    await Deno.remove(join(ws, "memory"));
    await Deno.mkdir(join(ws, "memory"));
    await Deno.symlink(outside, join(ws, "memory", "sub"));
    await assert.rejects(readMemoryFile({ workspace: ws, path: "memory/sub/secret.md" }), MemoryPathError);
    await Deno.symlink(join(outside, "secret.md"), join(ws, "memory", "link.md"));
    await assert.rejects(readMemoryFile({ workspace: ws, path: "memory/link.md" }), MemoryPathError);
    await Deno.symlink(join(outside, "secret.md"), join(ws, "MEMORY.md"));
    await assert.rejects(readMemoryFile({ workspace: ws, path: "MEMORY.md" }), MemoryPathError);
    await Deno.writeTextFile(join(ws, "memory", "real.md"), "inside\n");
    assert.equal((await readMemoryFile({ workspace: ws, path: "memory/real.md" })).text, "inside");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory index: a symlinked memory/ root is not walked; nested symlinks are skipped", async () => {
  const { root, ws, outside } = await tempRoot();
  try {
    await Deno.symlink(outside, join(ws, "memory"));
    assert.deepEqual(await listMemoryFiles(ws), []);
    await Deno.remove(join(ws, "memory"));
    await Deno.mkdir(join(ws, "memory"));
    await Deno.writeTextFile(join(ws, "memory", "own.md"), "own\n");
    await Deno.symlink(outside, join(ws, "memory", "sub"));
    await Deno.symlink(join(outside, "secret.md"), join(ws, "memory", "link.md"));
    assert.deepEqual((await listMemoryFiles(ws)).map((f) => f.path), ["memory/own.md"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory index: a file over the size cap is skipped, with the reason in the sync result", async () => {
  const { root, ws } = await tempRoot();
  const db = openAgentDb(join(root, "state"), "main");
  try {
    await Deno.mkdir(join(ws, "memory"));
    await Deno.writeTextFile(join(ws, "memory", "small.md"), "teal is the colour\n");
    const big = join(ws, "memory", "huge.md");
    await Deno.writeTextFile(big, "findme\n");
    await Deno.truncate(big, MAX_MEMORY_FILE_BYTES + 1);
    const sync = await syncMemoryIndex(db, ws, { signal });
    assert.deepEqual([sync.files, sync.indexed, sync.skipped], [2, 1, ["memory/huge.md"]]);
    assert.equal(searchMemoryIndex(db, "findme", { maxResults: 5, minScore: 0 }).length, 0);
    assert.equal(searchMemoryIndex(db, "teal", { maxResults: 5, minScore: 0 }).length, 1);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("memory index: syncing (and dropping) a large file never stalls the event loop for long", async () => {
  const { root, ws } = await tempRoot();
  const db = openAgentDb(join(root, "state"), "main");
  try {
    const line = "- note about the project and some words here to fill the line\n";
    await Deno.mkdir(join(ws, "memory"));
    await Deno.writeTextFile(join(ws, "memory", "big.md"), line.repeat(Math.floor(4_000_000 / line.length)));
    // A stall is our own work between two timer turns: the CPU time the event loop's thread spent in it, not the
    // wall clock, which also counts the time a busy machine gives other processes (429 ms seen in CI), nor the
    // process's CPU, which also counts Deno's file-reading and collector threads (846 ms seen in CI under load).
    const threadCpuMs = () => {
      const fields = Deno.readTextFileSync("/proc/thread-self/stat").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10;
    };
    let longest = 0;
    let last = threadCpuMs();
    const cpuSince = (from: number) => threadCpuMs() - from;
    const timer = setInterval(() => {
      longest = Math.max(longest, cpuSince(last));
      last = threadCpuMs();
    }, 5);
    try {
      const sync = await syncMemoryIndex(db, ws, { signal });
      assert.ok(sync.chunks > 3_000, `${sync.chunks} chunks`);
      await Deno.remove(join(ws, "memory", "big.md"));
      assert.equal((await syncMemoryIndex(db, ws, { signal })).removed, 1);
    } finally {
      clearInterval(timer);
    }
    longest = Math.max(longest, cpuSince(last));
    // Slices are ~20 ms; the bound is generous, far below the seconds of one transaction.
    assert.ok(longest < 250, `longest event-loop stall ${longest.toFixed(0)} ms of CPU`);
    assert.equal(Number(db.prepare("SELECT COUNT(*) AS n FROM memory_index_chunks").get()?.n), 0);
  } finally {
    db.close();
    await Deno.remove(root, { recursive: true });
  }
});
