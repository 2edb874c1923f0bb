// Where an `agent` request with `deliver: true` sends its reply when it names no usable target, on our gateway, step by
// step as the reference's recording (tests/fixtures/agent_delivery/reference_agent_delivery.json, by
// tools/record_reference_agent_delivery.ts): refused before the run without a channel or target, run and reported with
// `bestEffortDeliver`, unknown channels refused always, explicit targets sent to the fake Bot API.
import assert from "node:assert/strict";
import { type AgentDeliveryRecording, runAgentDeliveryScenario } from "../support/agent_delivery_scenario.ts";

const FIXTURE: AgentDeliveryRecording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/agent_delivery/reference_agent_delivery.json", import.meta.url)),
);

Deno.test("agent deliver plans its target as the reference's gateway does", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-agent-delivery-" });
  try {
    const ours = await runAgentDeliveryScenario("ours", root);
    assert.deepEqual(ours.steps.map((s) => s.step), FIXTURE.steps.map((s) => s.step));
    for (const [i, step] of ours.steps.entries()) assert.deepEqual(step, FIXTURE.steps[i], step.step);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
