import assert from "node:assert/strict";
import { moveToTrash } from "../../src/state/trash.ts";

Deno.test("moveToTrash refuses a Trash that is a symlink (the move would leave home), leaving the path in place", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/home/ws`, { recursive: true });
    await Deno.mkdir(`${root}/elsewhere`);
    await Deno.symlink(`${root}/elsewhere`, `${root}/home/.Trash`);
    const outcome = await moveToTrash(`${root}/home/ws`, `${root}/home`);
    assert.deepEqual(outcome, {
      failed: {
        path: `${root}/home/ws`,
        reason: `Refusing to use non-directory/symlink trash directory: ${root}/home/.Trash`,
      },
    });
    await Deno.stat(`${root}/home/ws`);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(`${root}/elsewhere`)), []);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
