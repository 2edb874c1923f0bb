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

Deno.test("moveToTrash never moves a directory holding the state dir or the config, nor the home itself", async () => {
  const root = await Deno.makeTempDir();
  try {
    const home = `${root}/home`;
    await Deno.mkdir(`${home}/.openclaw/agents/x`, { recursive: true });
    await Deno.writeTextFile(`${home}/.openclaw/openclaw.json`, "{}");
    const keep = [`${home}/.openclaw`, `${home}/.openclaw/openclaw.json`, home];
    for (const path of [`${home}/.openclaw`, `${home}/.openclaw/`, home, root, "/"]) {
      const outcome = await moveToTrash(path, home, keep);
      assert.ok("failed" in outcome && outcome.failed.reason.startsWith(`Refusing to move ${path} to the Trash`), path);
    }
    await Deno.stat(`${home}/.openclaw/openclaw.json`);
    assert.deepEqual(await moveToTrash(`${home}/.openclaw/agents/x`, home, keep), {
      removed: { path: `${home}/.openclaw/agents/x`, method: "trash" },
    });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
