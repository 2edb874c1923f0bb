// Skill roots kept between runs (src/agent/skills/kept_skill_roots.ts): a root walked with only plain folders and
// files is not walked again while its stamps hold, and every change a fresh walk would see is seen by the next run.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { keptSkills } from "../../../src/agent/skills/kept_skill_roots.ts";
import { loadSkills, type SkillRoot } from "../../../src/agent/skills/skill_load.ts";

/** A clock far enough ahead that every stamp counts as settled. */
const LATER = () => Date.now() + 60_000;

const skillMd = (name: string, body = "") => `---\nname: ${name}\ndescription: ${name} does things\n---\n${body}\n`;

async function write(path: string, text: string) {
  await Deno.mkdir(dirname(path), { recursive: true });
  await Deno.writeTextFile(path, text);
}

Deno.test("a root of plain folders is kept: the next run shares its skills, frozen, without walking it", async () => {
  const base = await Deno.makeTempDir();
  try {
    const root: SkillRoot = { dir: join(base, "skills"), source: "openclaw-workspace" };
    await write(join(root.dir, "one", "SKILL.md"), skillMd("one"));
    await write(join(root.dir, "group", "two", "SKILL.md"), skillMd("two"));
    const kept = keptSkills(LATER);
    const first = await loadSkills([root], kept);
    assert.deepEqual(first.skills.map((s) => s.name), ["one", "two"]);
    assert.equal(kept.roots.size, 1);
    const second = await loadSkills([root], kept);
    assert.equal(second.skills[0], first.skills[0], "the kept entry itself, not a new read");
    assert.ok(Object.isFrozen(second.skills[0]) && Object.isFrozen(second.skills[0]!.frontmatter));
    // What it depended on: the root, the folder without a SKILL.md, and the two SKILL.md files.
    const trace = [...kept.roots.values()][0]!.trace;
    assert.deepEqual(trace.dirs.map((d) => d.path), [root.dir, join(root.dir, "group")]);
    assert.deepEqual(trace.files.map((f) => f.path).sort(), [
      join(root.dir, "group", "two", "SKILL.md"),
      join(root.dir, "one", "SKILL.md"),
    ]);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("a root with a link in it, or changed moments ago, is walked afresh on every run", async () => {
  const base = await Deno.makeTempDir();
  try {
    const linked: SkillRoot = { dir: join(base, "linked"), source: "openclaw-workspace" };
    await write(join(base, "elsewhere", "far", "SKILL.md"), skillMd("far"));
    await write(join(linked.dir, "near", "SKILL.md"), skillMd("near"));
    await Deno.symlink(join(base, "elsewhere"), join(linked.dir, "via"));
    const kept = keptSkills(LATER);
    await loadSkills([linked], kept);
    assert.equal(kept.roots.size, 0, "a link could be retargeted without any stamp below the root moving");
    const fresh: SkillRoot = { dir: join(base, "fresh"), source: "openclaw-workspace" };
    await write(join(fresh.dir, "new", "SKILL.md"), skillMd("new"));
    const now = keptSkills();
    assert.deepEqual((await loadSkills([fresh], now)).skills.map((s) => s.name), ["new"]);
    assert.equal(now.roots.size, 0, "stamps this recent could hide a second change");
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("kept skill roots answer as fresh walks through 400 seeded changes (add, edit, remove, rename, links, depth)", async () => {
  const base = await Deno.makeTempDir();
  try {
    const roots: SkillRoot[] = [
      { dir: join(base, "ws", "skills"), source: "openclaw-workspace" },
      { dir: join(base, "state", "skills"), source: "openclaw-managed" },
      // Only this root gets links: the others stay keepable, so kept results meet every other change.
      { dir: join(base, "extra"), source: "openclaw-extra" },
    ];
    await Deno.mkdir(join(base, "outside", "ext"), { recursive: true });
    await Deno.writeTextFile(join(base, "outside", "ext", "SKILL.md"), skillMd("ext"));
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
    // What a change moved gets an mtime of its own, set apart from the last (the clock counts everything as settled):
    // the entries whose stamp the kernel changed, and nothing else, so a kept root is tested against real changes.
    let stamp = Date.now() - 10_000_000;
    const signatures = async () => {
      const seen = new Map<string, string>();
      const walk = async (dir: string) => {
        for await (const entry of Deno.readDir(dir)) {
          const path = join(dir, entry.name);
          const info = await Deno.lstat(path);
          seen.set(
            path,
            `${info.ino}:${info.mtime?.getTime()}:${info.ctime?.getTime()}:${info.size}:${entry.isSymlink}`,
          );
          if (entry.isDirectory) await walk(path);
        }
      };
      await walk(base);
      return seen;
    };
    const touchChanged = async (before: Map<string, string>) => {
      stamp += 10_000;
      for (const [path, signature] of await signatures()) {
        if (before.get(path) === signature || signature.endsWith(":true")) continue;
        await Deno.utime(path, new Date(stamp), new Date(stamp));
      }
    };
    const folders = ["a", "b", "deep/c", "deep/er/d", ".hidden", "node_modules/m", "e"];
    const change = async (action: number, root: string, folder: string, file: string) => {
      if (action <= 2) {
        await write(file, skillMd(pick(["x", "y", "z", folder.split("/").at(-1)!]), "v".repeat(seed % 7)));
      } else if (action === 3) await Deno.remove(file);
      else if (action === 4) await Deno.remove(folder, { recursive: true });
      else if (action === 5) await Deno.rename(folder, join(root, pick(folders)));
      else if (action === 6 && root === roots[2]!.dir) {
        await Deno.mkdir(dirname(folder), { recursive: true });
        await Deno.remove(folder, { recursive: true }).catch(() => {});
        await Deno.symlink(pick([join(base, "outside", "ext"), join(root, "a")]), folder);
      } else if (action === 6) await Deno.remove(file);
      else if (action === 7) await write(file, "---\nname: broken\n---\n");
      else await Deno.mkdir(folder, { recursive: true });
    };
    const kept = keptSkills(LATER);
    const differences: string[] = [];
    let hits = 0;
    for (let step = 0; step < 400; step++) {
      const root = pick(roots).dir;
      const folder = join(root, pick(folders));
      const file = join(folder, "SKILL.md");
      const action = Math.floor(next() * 9);
      const tree = await signatures();
      // A change the tree's present shape refuses (a folder where a link is) is skipped, as a user's would fail.
      await change(action, root, folder, file).catch(() => {});
      await touchChanged(tree);
      const before = new Map([...kept.roots].map(([key, entry]) => [key, entry.result]));
      const cached = JSON.stringify(await loadSkills(roots, kept));
      const fresh = JSON.stringify(await loadSkills(roots));
      if (cached !== fresh) differences.push(`step ${step} (action ${action} on ${folder}): ${cached} != ${fresh}`);
      for (const [key, entry] of kept.roots) if (before.get(key) === entry.result) hits++;
    }
    assert.deepEqual(differences.slice(0, 3), []);
    assert.ok(hits > 300, `kept results were used (${hits} times)`);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("a root where a SKILL.md read threw (it may pass) is not kept: the next run reads it again", async () => {
  const base = await Deno.makeTempDir();
  const readTextFile = Deno.readTextFile;
  try {
    const root: SkillRoot = { dir: join(base, "skills"), source: "openclaw-workspace" };
    await write(join(root.dir, "one", "SKILL.md"), skillMd("one"));
    const kept = keptSkills(LATER);
    // One failed read, as too many open files or an I/O error on a network mount gives.
    let fail = true;
    Object.defineProperty(Deno, "readTextFile", {
      configurable: true,
      writable: true,
      value: (path: string | URL, options?: Deno.ReadFileOptions) => {
        if (!fail) return readTextFile(path, options);
        fail = false;
        return Promise.reject(new Error("Too many open files (os error 24)"));
      },
    });
    const first = await loadSkills([root], kept);
    assert.deepEqual(first.skills, []);
    assert.deepEqual(first.diagnostics.map((d) => d.message), ["Too many open files (os error 24)"]);
    assert.equal(kept.roots.size, 0);
    assert.deepEqual((await loadSkills([root], kept)).skills.map((s) => s.name), ["one"]);
    assert.equal(kept.roots.size, 1, "kept once read whole");
  } finally {
    Object.defineProperty(Deno, "readTextFile", { configurable: true, writable: true, value: readTextFile });
    await Deno.remove(base, { recursive: true });
  }
});
