import assert from "node:assert/strict";
import { seedAgentWorkspace } from "../../src/state/agent_workspace.ts";
import { moveToTrash } from "../../src/state/trash.ts";

Deno.test("a new workspace gets the profile files, BOOTSTRAP.md and a git repository; an existing file is kept", async () => {
  const root = await Deno.makeTempDir();
  try {
    const fresh = await seedAgentWorkspace(`${root}/ws`);
    assert.deepEqual(fresh.created, ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md"]);
    assert.equal(fresh.bootstrapPending, true);
    assert.ok((await Deno.stat(`${root}/ws/.git`)).isDirectory, "git init, as the reference (git is on this host)");
    assert.equal((await Deno.stat(`${root}/ws/SOUL.md`)).mode! & 0o022, 0, "no group/other write");
    const names = (await Array.fromAsync(Deno.readDir(`${root}/ws`))).map((entry) => entry.name).sort();
    assert.ok(names.every((name) => !name.endsWith(".tmp")), names.join());

    await Deno.mkdir(`${root}/own`);
    await Deno.writeTextFile(`${root}/own/SOUL.md`, "mine");
    const existing = await seedAgentWorkspace(`${root}/own`);
    assert.deepEqual(existing.created, ["AGENTS.md", "IDENTITY.md", "USER.md"], "no BOOTSTRAP.md: not brand new");
    assert.equal(await Deno.readTextFile(`${root}/own/SOUL.md`), "mine");
    assert.equal(existing.bootstrapPending, false);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("moveToTrash puts a directory under ~/.Trash (0700); a missing path counts as removed", async () => {
  const home = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${home}/ws`);
    await Deno.writeTextFile(`${home}/ws/a.md`, "a");
    assert.deepEqual(await moveToTrash(`${home}/ws`, home), { removed: { path: `${home}/ws`, method: "trash" } });
    assert.deepEqual(await moveToTrash(`${home}/ws`, home), { removed: { path: `${home}/ws`, method: "missing" } });
    assert.equal((await Deno.stat(`${home}/.Trash`)).mode! & 0o777, 0o700);
    const [container] = await Array.fromAsync(Deno.readDir(`${home}/.Trash`));
    assert.match(container!.name, /^\.fs-safe-trash-\d+-[A-Za-z0-9]{6}$/);
    assert.equal(await Deno.readTextFile(`${home}/.Trash/${container!.name}/ws/a.md`), "a");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
