import assert from "node:assert/strict";
import { preflightAgentDatabase } from "../../src/state/agent_preflight.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { AGENT_SCHEMA_SQL } from "../../src/state/agent_schema.ts";

Deno.test("preflightAgentDatabase() checks the id, then the owner, then the schema, in the reference's words", () => {
  const dir = Deno.realPathSync(Deno.makeTempDirSync());
  try {
    openAgentDb(dir, "main").close();
    const copy = `${dir}/agent.sqlite`;
    Deno.copyFileSync(`${dir}/agents/main/agent/openclaw-agent.sqlite`, copy);
    const exact = preflightAgentDatabase(copy, "main", AGENT_SCHEMA_SQL);
    assert.deepEqual([exact.status, exact.foundVersion, exact.reason], ["exact", 23, undefined]);
    const other = preflightAgentDatabase(copy, "ops", AGENT_SCHEMA_SQL);
    assert.equal(other.status, "incompatible");
    assert.equal(other.reason, `OpenClaw agent database ${copy} belongs to agent main; requested agent ops.`);
    const statePath = `${dir}/state/openclaw.sqlite`;
    const state = preflightAgentDatabase(statePath, "main", AGENT_SCHEMA_SQL);
    assert.deepEqual([state.status, state.foundVersion], ["incompatible", 18]);
    assert.equal(state.reason, `OpenClaw agent database ${statePath} has schema role global; expected agent.`);
    const badId = preflightAgentDatabase(copy, "Main", AGENT_SCHEMA_SQL);
    assert.deepEqual([badId.status, badId.foundVersion], ["indeterminate", null]);
    assert.equal(badId.reason, "Agent preflight requires an explicit canonical agent ID.");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
