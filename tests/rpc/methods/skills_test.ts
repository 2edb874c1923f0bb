import assert from "node:assert/strict";
import { skillsMethods } from "../../../src/rpc/methods/skills.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

const report = {
  workspaceDir: "/state/workspace",
  managedSkillsDir: "/state/skills",
  agentId: "main",
  skills: [],
};
const table = skillsMethods({
  report: (agentId) => Promise.resolve(agentId === undefined || agentId === "main" ? report : undefined),
});

Deno.test("skills.status answers the agent's report; the library, workshop and search are off", async () => {
  assert.deepEqual(await payloadOf(table, "skills.status", { agentId: "main" }), report);
  const unknown = await callMethod(table, "skills.status", { agentId: "nobody" });
  assert.equal(!unknown.ok && unknown.error.message, 'unknown agent id "nobody"');
  const library = (await payloadOf(table, "skills.library.list", { scope: "all" })) as Record<string, unknown>;
  assert.deepEqual(library.entries, []);
  assert.deepEqual(await payloadOf(table, "skills.proposals.list", { agentId: "main" }), {
    schema: "openclaw.skill-workshop.proposals-manifest.v1",
    updatedAt: "1970-01-01T00:00:00.000Z",
    proposals: [],
    installedSkills: [],
  });
  assert.deepEqual(await payloadOf(table, "skills.search", { limit: 20 }), { results: [] });
});
