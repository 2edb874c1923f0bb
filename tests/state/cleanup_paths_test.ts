import assert from "node:assert/strict";
import {
  agentSessionDirs,
  cleanupPlan,
  isWithin,
  removePreserving,
  removeTarget,
  shortenHome,
  unsafeReason,
} from "../../src/state/cleanup_paths.ts";

const quiet = () => {
  const lines: string[] = [];
  return { lines, out: { log: (l: string) => lines.push(l), error: (l: string) => lines.push(`E ${l}`) } };
};

Deno.test("unsafe targets: root, the home, anything containing the home or the cwd", () => {
  assert.equal(unsafeReason("/", "/home/a", "/tmp"), "the filesystem root");
  assert.match(unsafeReason("/home/a", "/home/a", "/tmp")!, /home/);
  assert.match(unsafeReason("/home", "/home/a", "/tmp")!, /home/);
  assert.match(unsafeReason("/home/a/../a", "/home/a", "/tmp")!, /home/);
  assert.match(unsafeReason("/srv/x", "/home/a", "/srv/x/sub")!, /current directory/);
  assert.equal(unsafeReason("relative", "/home/a", "/tmp"), "not an absolute path");
  assert.equal(unsafeReason("/home/a/.openclaw", "/home/a", "/tmp"), undefined);
  assert.ok(isWithin("/a/b", "/a") && !isWithin("/ab", "/a"));
  assert.equal(shortenHome("/home/a/.openclaw", "/home/a"), "~/.openclaw");
});

Deno.test("the plan names every configured agent's workspace and whether config/credentials sit in the state dir", () => {
  const paths = {
    home: "/h",
    profile: undefined,
    dev: false,
    stateDir: "/h/.openclaw",
    configPath: "/etc/oc.json",
    configPathFromEnv: true,
  };
  const plan = cleanupPlan(paths, {}, {
    agents: {
      ownership: "explicit",
      defaults: { workspace: "~/ws" },
      list: [{ id: "main" }, { id: "ops", workspace: "/srv/ops" }],
    },
  });
  assert.deepEqual(plan.workspaceDirs, ["/h/ws/main", "/srv/ops"]);
  assert.equal(plan.configInsideState, false);
  assert.equal(plan.credsInsideState, true);
  assert.deepEqual(cleanupPlan(paths, {}, undefined).workspaceDirs, ["/h/.openclaw/workspace"]);
});

Deno.test("removal unlinks a symlink without touching its target; a dry run and an unsafe path remove nothing", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/state/keep`, { recursive: true });
    await Deno.writeTextFile(`${root}/target.txt`, "t");
    await Deno.mkdir(`${root}/outdir`);
    await Deno.writeTextFile(`${root}/outdir/f`, "f");
    await Deno.symlink(`${root}/target.txt`, `${root}/state/link`);
    await Deno.symlink(`${root}/outdir`, `${root}/state/dirlink`);
    await Deno.symlink(`${root}/outdir`, `${root}/toplink`);
    const { lines, out } = quiet();
    const context = { home: "/nonexistent-home", cwd: "/", dryRun: true, out };
    assert.equal(await removeTarget(`${root}/state`, { ...context, cwd: "/tmp/elsewhere" }), true);
    assert.ok((await Deno.stat(`${root}/state`)).isDirectory, "dry run kept it");
    assert.equal(await removeTarget(root, { ...context, cwd: `${root}/state` }), false, "contains the cwd");
    const live = { ...context, cwd: "/tmp/elsewhere", dryRun: false };
    assert.equal(await removePreserving(`${root}/state`, [`${root}/state/keep`], live), true);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(`${root}/state`))).map((e) => e.name), ["keep"]);
    assert.equal(await removeTarget(`${root}/toplink`, live), true);
    assert.equal(await Deno.readTextFile(`${root}/outdir/f`), "f", "a linked dir's content survives");
    assert.equal(await Deno.readTextFile(`${root}/target.txt`), "t");
    assert.ok(lines.some((l) => l.startsWith("[dry-run] remove ")));
    assert.ok(lines.some((l) => l.startsWith("E Refusing to remove unsafe path: ")));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a target reaching the home through a symlinked parent, or a link named with a trailing slash, removes nothing behind it", async () => {
  // Fails without the physical-path check and the normalization: both emptied the home.
  const root = await Deno.realPath(await Deno.makeTempDir());
  const home = `${root}/home`;
  await Deno.mkdir(`${home}/precious`, { recursive: true });
  await Deno.writeTextFile(`${home}/precious/a`, "keep");
  await Deno.symlink(root, `${root}/P`);
  await Deno.symlink(home, `${root}/L`);
  const { lines, out } = quiet();
  const context = { home, cwd: "/", dryRun: false, out };
  assert.equal(await removeTarget(`${root}/P/home`, context), false);
  assert.equal(await removePreserving(`${root}/P/home`, [`${home}/ws`], context), false);
  assert.deepEqual(lines, [
    `E Refusing to remove unsafe path: ${root}/P/home`,
    `E Refusing to remove unsafe path: ${root}/P/home`,
  ]);
  assert.equal(await removeTarget(`${root}/L/`, context), true);
  assert.equal(await Deno.readTextFile(`${home}/precious/a`), "keep");
  await assert.rejects(() => Deno.lstat(`${root}/L`));
  await Deno.remove(root, { recursive: true });
});

Deno.test("agentSessionDirs lists the agents' session dirs and follows no agents link out of the state dir", async () => {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    const state = `${root}/state`;
    await Deno.mkdir(`${state}/agents/main/sessions`, { recursive: true });
    await Deno.mkdir(`${state}/agents/work`, { recursive: true });
    assert.deepEqual(await agentSessionDirs(state), {
      dirs: [`${state}/agents/main/sessions`, `${state}/agents/work/sessions`],
    });
    await Deno.mkdir(`${root}/elsewhere/x/sessions`, { recursive: true });
    await Deno.remove(`${state}/agents`, { recursive: true });
    await Deno.symlink(`${root}/elsewhere`, `${state}/agents`);
    assert.deepEqual(await agentSessionDirs(state), { dirs: [], outside: `${state}/agents` });
    assert.deepEqual(await agentSessionDirs(`${root}/none`), { dirs: [] });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
