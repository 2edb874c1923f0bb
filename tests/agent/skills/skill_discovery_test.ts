import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSkills } from "../../../src/agent/skills/skill_load.ts";
import { discoverSkillDirs, MAX_CANDIDATES_PER_ROOT } from "../../../src/agent/skills/skill_discovery.ts";

async function write(path: string, text: string) {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
}

const skillMd = (name: string) => `---\nname: ${name}\ndescription: ${name} does things\n---\nBody\n`;
const ESCAPED = "Skill path resolves outside its configured root.";

Deno.test("discovery: symlinks leaving the root are refused (a link to / is not walked); links inside are followed", async () => {
  const root = await Deno.makeTempDir();
  try {
    const skills = join(root, "ws", "skills");
    await write(join(skills, "real", "SKILL.md"), skillMd("real"));
    await write(join(root, "outside", "far", "SKILL.md"), skillMd("far"));
    await write(join(root, "outside", "loose.md"), skillMd("loose"));
    await Deno.symlink("/", join(skills, "everything"));
    await Deno.symlink(join(root, "outside"), join(skills, "group"));
    await Deno.symlink(join(skills, "real"), join(skills, "alias"));
    await Deno.mkdir(join(skills, "sneaky"));
    await Deno.symlink(join(root, "outside", "loose.md"), join(skills, "sneaky", "SKILL.md"));
    const started = performance.now();
    const { skills: loaded, diagnostics } = await loadSkills([{ dir: skills, source: "openclaw-workspace" }]);
    assert.ok(performance.now() - started < 5_000, "nothing outside the root is walked");
    assert.deepEqual(loaded.map((s) => s.filePath), [join(skills, "alias", "SKILL.md")], "alias sorts before real");
    assert.deepEqual(
      diagnostics.map((d) => [d.path, d.message]),
      [
        [join(skills, "everything"), ESCAPED],
        [join(skills, "group"), ESCAPED],
        [join(skills, "sneaky", "SKILL.md"), ESCAPED],
      ],
    );
    // The managed root is the user's own: its links are followed (within the caps), as the reference does.
    const managed = join(root, "state", "skills");
    await Deno.mkdir(managed, { recursive: true });
    await Deno.symlink(join(root, "outside"), join(managed, "linked"));
    const fromManaged = await discoverSkillDirs(managed, { enforceContainment: false });
    assert.deepEqual(fromManaged.dirs, [join(managed, "linked", "far")]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("discovery: at most 300 candidates per directory (with the reference's diagnostic), 200 skills per source", async () => {
  const root = await Deno.makeTempDir();
  try {
    const skills = join(root, "skills");
    for (let i = 0; i < MAX_CANDIDATES_PER_ROOT + 5; i += 1) {
      await write(join(skills, `s${String(i).padStart(3, "0")}`, "SKILL.md"), skillMd(`s${i}`));
    }
    const found = await discoverSkillDirs(skills, { enforceContainment: true });
    assert.equal(found.dirs.length, MAX_CANDIDATES_PER_ROOT);
    assert.equal(found.dirs.at(-1), join(skills, "s299"));
    assert.deepEqual(found.diagnostics, [{
      path: skills,
      message: "Skill inventory reached its discovery limit; inspect the remaining skills separately.",
    }]);
    const { skills: loaded } = await loadSkills([{ dir: skills, source: "openclaw-workspace" }]);
    assert.equal(loaded.length, 200);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("discovery: a SKILL.md over the reference's 256,000 bytes is refused", async () => {
  const root = await Deno.makeTempDir();
  try {
    const skills = join(root, "skills");
    const text = skillMd("big");
    await write(join(skills, "big", "SKILL.md"), text + "x".repeat(256_001 - text.length));
    await write(join(skills, "fits", "SKILL.md"), skillMd("fits") + "y".repeat(200_000));
    const { skills: loaded, diagnostics } = await loadSkills([{ dir: skills, source: "openclaw-workspace" }]);
    assert.deepEqual(loaded.map((s) => s.name), ["fits"]);
    assert.deepEqual(diagnostics, [{ path: join(skills, "big", "SKILL.md"), message: "file too large" }]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
