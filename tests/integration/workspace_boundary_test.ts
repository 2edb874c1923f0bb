// A FIFO a sandboxed command planted as a bootstrap file is refused, not opened (which would block the run).
import assert from "node:assert/strict";
import { readBootstrapFiles } from "../../src/agent/workspace_files.ts";

Deno.test("a FIFO planted as a bootstrap file is refused instead of blocking the run", async () => {
  const ws = await Deno.makeTempDir();
  try {
    const made = await new Deno.Command("mkfifo", { args: [`${ws}/AGENTS.md`] }).output();
    assert.equal(made.success, true);
    const [file] = await readBootstrapFiles(ws, ["AGENTS.md"]);
    assert.match(file!.content, /^\[UNREADABLE: Not a regular file inside workspace root: /);
  } finally {
    await Deno.remove(ws, { recursive: true });
  }
});
