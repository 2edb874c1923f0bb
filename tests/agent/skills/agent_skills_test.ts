import assert from "node:assert/strict";
import { join } from "node:path";
import {
  agentSkillReport,
  agentSkillsSection,
  skillBins,
  skillRunEnv,
} from "../../../src/agent/skills/agent_skills.ts";
import type { SkillHost } from "../../../src/agent/skills/skill_status.ts";
import { resolveAgents } from "../../../src/config/resolve_agents.ts";

const host: SkillHost = {
  env: (name) => (name === "HOME" ? "/nohome" : name === "ALREADY" ? "set" : undefined),
  hasBinary: () => true,
  platform: "linux",
};

Deno.test("an agent's skills: report, prompt section and the run environment from skills.entries", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ws = join(root, "ws");
    const skill = (name: string, meta: unknown) =>
      `---\nname: ${name}\ndescription: ${name} desc\nmetadata: ${JSON.stringify({ openclaw: meta })}\n---\n`;
    await Deno.mkdir(join(ws, "skills", "keyed"), { recursive: true });
    await Deno.writeTextFile(
      join(ws, "skills", "keyed", "SKILL.md"),
      skill("keyed", { primaryEnv: "KEYED_KEY", requires: { env: ["KEYED_KEY"] } }),
    );
    await Deno.mkdir(join(root, "state", "skills", "hidden"), { recursive: true });
    await Deno.writeTextFile(join(root, "state", "skills", "hidden", "SKILL.md"), skill("hidden", {}));
    const agents = resolveAgents(
      {
        agents: { defaults: { workspace: ws, skills: ["keyed"] } },
        skills: { entries: { keyed: { apiKey: "sk-1", env: { EXTRA: "e", ALREADY: "no" } } } },
      } as never,
      join(root, "state"),
      "/home/test",
    );
    const agent = agents.agents[0]!;
    const report = await agentSkillReport(agent, join(root, "state"), host);
    assert.deepEqual(report.agentSkillFilter, ["keyed"]);
    assert.deepEqual(report.skills.map((s) => [s.name, s.eligible, s.modelVisible, s.source]), [
      ["hidden", true, false, "openclaw-managed"],
      ["keyed", true, true, "openclaw-workspace"],
    ]);
    const section = (await agentSkillsSection(agent, join(root, "state"), host)).join("\n");
    assert.ok(section.includes("<name>keyed</name>") && !section.includes("<name>hidden</name>"));
    assert.deepEqual(skillRunEnv(report, agent, host), { EXTRA: "e", KEYED_KEY: "sk-1" });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("skills.bins: every binary the agents' skills require or install, once, sorted", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ws = join(root, "ws");
    const skill = (name: string, meta: unknown) =>
      `---\nname: ${name}\ndescription: d\nmetadata: ${JSON.stringify({ openclaw: meta })}\n---\n`;
    for (
      const [name, meta] of [
        ["a", { requires: { bins: ["jq", "curl"] } }],
        ["b", { requires: { anyBins: ["rg", "jq"] }, install: [{ kind: "brew", formula: "x", bins: ["xbin"] }] }],
      ] as const
    ) {
      await Deno.mkdir(join(ws, "skills", name), { recursive: true });
      await Deno.writeTextFile(join(ws, "skills", name, "SKILL.md"), skill(name, meta));
    }
    const agents = resolveAgents(
      { agents: { defaults: { workspace: ws } } } as never,
      join(root, "state"),
      "/home/test",
    );
    assert.deepEqual(await skillBins(agents.agents), ["curl", "jq", "rg", "xbin"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
