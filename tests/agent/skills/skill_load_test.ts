import assert from "node:assert/strict";
import { join } from "node:path";
import { loadSkills, skillRoots } from "../../../src/agent/skills/skill_load.ts";

async function write(path: string, text: string) {
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await Deno.writeTextFile(path, text);
}

const skillMd = (name: string, description = `${name} does things`) =>
  `---\nname: ${name}\ndescription: ${description}\n---\nBody of ${name}\n`;

Deno.test("discovery: precedence across roots, grouped folders, name from the folder, invalid files reported", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ws = join(root, "ws");
    const state = join(root, "state");
    await write(join(ws, "skills", "dup", "SKILL.md"), skillMd("dup", "from the workspace"));
    await write(join(state, "skills", "dup", "SKILL.md"), skillMd("dup", "from managed"));
    await write(join(state, "skills", "only-managed", "SKILL.md"), skillMd("only-managed"));
    await write(join(ws, "skills", "group", "nested", "SKILL.md"), skillMd("nested"));
    await write(join(ws, "skills", "noname", "SKILL.md"), "---\ndescription: folder names me\n---\n");
    await write(join(ws, "skills", "bad", "SKILL.md"), "---\nname: bad\n---\n");
    await write(join(ws, ".agents", "skills", "project", "SKILL.md"), skillMd("project"));
    await write(join(root, "extra", "x", "SKILL.md"), skillMd("extra-one"));
    // A SKILL.md ends the search below its folder.
    await write(join(ws, "skills", "nested-stop", "SKILL.md"), skillMd("outer"));
    await write(join(ws, "skills", "nested-stop", "inner", "SKILL.md"), skillMd("inner"));
    const roots = skillRoots({
      workspace: ws,
      stateDir: state,
      agentId: "main",
      home: root,
      extraDirs: [join(root, "extra")],
    });
    assert.deepEqual(roots.map((r) => r.source), [
      "openclaw-workspace",
      "agents-skills-project",
      "openclaw-managed",
      "openclaw-workshop",
      "openclaw-extra",
    ]);
    const { skills, diagnostics } = await loadSkills(roots);
    assert.deepEqual(skills.map((s) => [s.name, s.source]), [
      ["dup", "openclaw-workspace"],
      ["extra-one", "openclaw-extra"],
      ["nested", "openclaw-workspace"],
      ["noname", "openclaw-workspace"],
      ["only-managed", "openclaw-managed"],
      ["outer", "openclaw-workspace"],
      ["project", "agents-skills-project"],
    ]);
    assert.equal(skills[0]!.description, "from the workspace");
    assert.deepEqual(diagnostics.map((d) => d.message), ["description is required"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("discovery: ~/.agents/skills only with the default state dir", () => {
  const withDefault = skillRoots({
    workspace: "/w",
    stateDir: "/h/.openclaw",
    agentId: "a",
    home: "/h",
    extraDirs: [],
  });
  assert.ok(withDefault.some((r) => r.source === "agents-skills-personal"));
  const other = skillRoots({ workspace: "/w", stateDir: "/elsewhere", agentId: "a", home: "/h", extraDirs: ["~/x"] });
  assert.ok(!other.some((r) => r.source === "agents-skills-personal"));
  assert.equal(other.at(-1)!.dir, "/h/x");
});
