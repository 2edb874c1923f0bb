import assert from "node:assert/strict";
import { promptSkillPath, skillsCatalog, skillsSection } from "../../../src/agent/skills/skill_prompt.ts";
import { renderSystemPrompt } from "../../../src/agent/workspace_prompt.ts";

const weather = {
  name: "weather",
  description: "Get the weather & forecast <fast>",
  filePath: "/ws/skills/weather/SKILL.md",
};

Deno.test("the skills block, word for word as the reference renders one skill", () => {
  const { prompt, admitted } = skillsCatalog([weather]);
  assert.deepEqual(admitted, [weather]);
  assert.equal(
    skillsSection(prompt).join("\n"),
    [
      "## Skills",
      "Scan <available_skills>. Clear match: read exact <location> with `read`; obey.",
      "Several: most specific. None: read none.",
      "Up-front max one. Never invent paths.",
      "External writes: batch safely; no tight loops; honor 429/Retry-After.",
      "The following skills provide specialized instructions for specific tasks.",
      "Read a skill's file at its listed location when the task matches its description.",
      "When a skill file references a relative path, resolve it against the skill directory (parent of SKILL.md / dirname of the path) and use that absolute path in tool commands.",
      "",
      "<available_skills>",
      "  <skill>",
      "    <name>weather</name>",
      "    <description>Get the weather &amp; forecast &lt;fast&gt;</description>",
      "    <location>/ws/skills/weather/SKILL.md</location>",
      "  </skill>",
      "</available_skills>",
      "",
    ].join("\n"),
  );
  assert.deepEqual(skillsSection(skillsCatalog([]).prompt), []);
});

Deno.test("the block sits after the identity line and before ## Workspace", () => {
  const prompt = renderSystemPrompt({
    workspace: "/ws",
    files: [],
    truncated: [],
    sections: skillsSection(skillsCatalog([weather]).prompt),
  });
  const lines = prompt.split("\n");
  assert.equal(lines[0], "You are a personal assistant running inside OpenClaw.");
  assert.equal(lines[1], "## Skills");
  assert.ok(lines.indexOf("## Workspace") > lines.indexOf("</available_skills>"));
  assert.ok(prompt.includes("tool commands.\n\n<available_skills>"), "the blank line before the catalog is kept");
});

Deno.test("limits: sorted by name, count cap with the truncation note, compact descriptions within the char budget", () => {
  const many = ["zeta", "alpha", "mid"].map((name) => ({
    name,
    description: `${name} `.repeat(40).trim(),
    filePath: `/ws/skills/${name}/SKILL.md`,
  }));
  const capped = skillsCatalog(many, { maxSkillsInPrompt: 2 });
  assert.deepEqual(capped.admitted.map((s) => s.name), ["alpha", "mid"]);
  assert.ok(capped.prompt.startsWith("⚠️ Skills truncated: included 2 of 3. Run `openclaw skills check` to audit."));
  const compact = skillsCatalog(many, { maxSkillsPromptChars: 1200 });
  assert.ok(compact.prompt.length <= 1200);
  assert.equal(compact.admitted.length, 3);
  assert.match(compact.prompt, /^⚠️ Skills catalog using compact format \(descriptions (shortened|omitted)\)/);
  assert.match(compact.prompt, /when the task matches its name/);
});

Deno.test("prompt paths: home shortened to ~, the managed dir kept absolute", () => {
  assert.equal(
    promptSkillPath("/home/u/ws/skills/a/SKILL.md", "/home/u", ["/home/u/.openclaw/skills"]),
    "~/ws/skills/a/SKILL.md",
  );
  assert.equal(
    promptSkillPath("/home/u/.openclaw/skills/a/SKILL.md", "/home/u", ["/home/u/.openclaw/skills"]),
    "/home/u/.openclaw/skills/a/SKILL.md",
  );
  assert.equal(promptSkillPath("/srv/a/SKILL.md", "/home/u", []), "/srv/a/SKILL.md");
});
