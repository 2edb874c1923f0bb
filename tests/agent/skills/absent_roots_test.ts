// Skill roots known absent (src/state/absent_paths.ts): a run does not look an absent root up again
// while the directory above it is unchanged, but a root (or a folder on the way to it) created since, a
// retargeted link, or a directory that changed too recently to vouch for is seen by the next run.
import assert from "node:assert/strict";
import { join } from "node:path";
import { type AbsentPaths, knownAbsent, recordAbsent } from "../../../src/state/absent_paths.ts";
import { agentSkillsSection } from "../../../src/agent/skills/agent_skills.ts";
import { keptSkills } from "../../../src/agent/skills/kept_skill_roots.ts";
import type { SkillHost } from "../../../src/agent/skills/skill_status.ts";
import { resolveAgents } from "../../../src/config/resolve_agents.ts";

/** A clock far enough ahead that every directory just made counts as settled. */
const LATER = () => Date.now() + 60_000;

const host: SkillHost = {
  env: (name) => (name === "HOME" ? "/nohome" : undefined),
  hasBinary: () => true,
  platform: "linux",
};

/** The directory a kept root's absence hangs on; undefined when it is not kept (or only pending). */
const dirOf = (absent: AbsentPaths, root: string) => {
  const kept = absent.get(root);
  return kept && "dir" in kept ? kept.dir : undefined;
};

const skill = (name: string) => `---\nname: ${name}\ndescription: ${name} desc\n---\n`;

async function fixture() {
  const base = await Deno.makeTempDir();
  const ws = join(base, "ws");
  const state = join(base, "state");
  await Deno.mkdir(ws);
  await Deno.mkdir(state);
  const agent = resolveAgents({ agents: { defaults: { workspace: ws } } } as never, state, "/home/test").agents[0]!;
  // Past mtimes, so an entry created later moves them whatever the clock's grain.
  const age = async () => {
    for (const dir of [ws, state]) await Deno.utime(dir, new Date(), new Date(Date.now() - 10_000));
  };
  await age();
  return { base, ws, state, agent, age, cleanup: () => Deno.remove(base, { recursive: true }) };
}

Deno.test("an absent root is kept while the directory above it is unchanged; a root created since is read", async () => {
  const { ws, state, agent, cleanup } = await fixture();
  try {
    const kept = keptSkills();
    const absent = kept.absent;
    const roots = [join(ws, "skills"), join(ws, ".agents", "skills"), join(state, "skills")];
    for (const root of roots) recordAbsent(absent, root, LATER());
    assert.deepEqual([...absent.keys()], roots);
    assert.equal(dirOf(absent, join(ws, ".agents", "skills")), ws, "the nearest existing directory is the workspace");
    for (const root of roots) assert.ok(knownAbsent(absent, root));
    const section = () => agentSkillsSection(agent, state, host, kept);
    assert.deepEqual(await section(), await agentSkillsSection(agent, state, host), "same section as without it");
    // A skill in the workspace's skills/ (creating skills/ moves the workspace's mtime).
    await Deno.mkdir(join(ws, "skills", "fresh"), { recursive: true });
    await Deno.writeTextFile(join(ws, "skills", "fresh", "SKILL.md"), skill("fresh"));
    const after = (await section()).join("\n");
    assert.ok(after.includes("<name>fresh</name>"), after);
    assert.equal(absent.has(join(ws, "skills")), false, "the root is no longer kept as absent");
    // A folder two levels down: .agents/skills/deep.
    await Deno.mkdir(join(ws, ".agents", "skills", "deep"), { recursive: true });
    await Deno.writeTextFile(join(ws, ".agents", "skills", "deep", "SKILL.md"), skill("deep"));
    assert.ok((await section()).join("\n").includes("<name>deep</name>"));
    // The managed root in the state dir.
    await Deno.mkdir(join(state, "skills", "managed"), { recursive: true });
    await Deno.writeTextFile(join(state, "skills", "managed", "SKILL.md"), skill("managed"));
    assert.deepEqual(await section(), await agentSkillsSection(agent, state, host));
  } finally {
    await cleanup();
  }
});

Deno.test("a run keeps the roots it found absent once their directory has settled, and reads the same section", async () => {
  const { ws, state, agent, cleanup } = await fixture();
  try {
    const kept = keptSkills();
    const absent = kept.absent;
    const section = () => agentSkillsSection(agent, state, host, kept);
    // The fixture's directories were just made: their ctime is too recent for any to be kept by a run, which
    // keeps only when to walk to them again.
    assert.deepEqual(await section(), []);
    assert.ok(absent.size > 0);
    for (const [root, kept] of absent) {
      assert.ok("retryAfter" in kept, `${root}: a directory changed within the settling time vouches for nothing`);
      assert.equal(knownAbsent(absent, root), false);
    }
    // Before that time a run does not walk again: a change in the directory meanwhile leaves the entry as it was.
    const wsRoot = join(ws, "skills");
    const pending = absent.get(wsRoot);
    await Deno.mkdir(join(ws, "other"));
    recordAbsent(absent, wsRoot, Date.now());
    assert.equal(absent.get(wsRoot), pending);
    // Once the time has come it walks again and keeps the root (the later clock counts every stamp as settled).
    recordAbsent(absent, wsRoot, LATER());
    assert.equal(dirOf(absent, wsRoot), ws);
    assert.ok(knownAbsent(absent, wsRoot));
    absent.clear();
    // Recorded with a later clock, as a run would a few seconds on.
    for (const root of [join(ws, "skills"), join(state, "skills")]) recordAbsent(absent, root, LATER());
    assert.deepEqual(await section(), []);
    assert.deepEqual([...absent.keys()].filter((root) => dirOf(absent, root)), [
      join(ws, "skills"),
      join(state, "skills"),
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("a root that exists, dangles as a link, or sits under a link is never kept as absent", async () => {
  const { base, ws, cleanup } = await fixture();
  try {
    const absent: AbsentPaths = new Map();
    await Deno.mkdir(join(ws, "present"));
    recordAbsent(absent, join(ws, "present"), LATER());
    await Deno.symlink(join(base, "nowhere"), join(ws, "dangling"));
    recordAbsent(absent, join(ws, "dangling"), LATER());
    await Deno.symlink(join(base, "nowhere"), join(ws, "linkdir"));
    recordAbsent(absent, join(ws, "linkdir", "skills"), LATER());
    assert.deepEqual([...absent.keys()], []);
    // A kept root whose directory is reached through a link that is then retargeted is looked up again.
    await Deno.mkdir(join(base, "a", "sub"), { recursive: true });
    await Deno.mkdir(join(base, "b", "sub"), { recursive: true });
    await Deno.symlink(join(base, "a"), join(base, "via"));
    const root = join(base, "via", "sub", "x", "skills");
    recordAbsent(absent, root, LATER());
    assert.equal(dirOf(absent, root), join(base, "via", "sub"), "kept: the nearest entry is a real directory");
    assert.ok(knownAbsent(absent, root));
    await Deno.remove(join(base, "via"));
    await Deno.symlink(join(base, "b"), join(base, "via"));
    assert.equal(knownAbsent(absent, root), false);
    assert.equal(absent.size, 0);
  } finally {
    await cleanup();
  }
});
