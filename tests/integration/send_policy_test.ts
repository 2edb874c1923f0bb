// `session.sendPolicy` on our gateway, step by step as the reference's recording
// (tests/fixtures/send_policy/reference_send_policy.json, by tools/record_reference_send_policy.ts): chat.send refused
// or run by the rules and a session's own policy, a Telegram DM answered and a group kept quiet, `agent` refused only
// when it would deliver, and main's delivered reply reaching its DM.
import assert from "node:assert/strict";
import { runSendPolicyScenario, SEND_POLICY, type SendPolicyRecording } from "../support/send_policy_scenario.ts";

const FIXTURE: SendPolicyRecording & { sendPolicy: unknown } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/send_policy/reference_send_policy.json", import.meta.url)),
);

Deno.test("session.sendPolicy decides each send as the reference's gateway does", async () => {
  assert.deepEqual(FIXTURE.sendPolicy, SEND_POLICY, "the fixture was recorded with this policy");
  const root = await Deno.makeTempDir({ prefix: "oc-send-policy-" });
  try {
    const ours = await runSendPolicyScenario("ours", root);
    assert.deepEqual(ours.steps.map((s) => s.step), FIXTURE.steps.map((s) => s.step));
    for (const [i, step] of ours.steps.entries()) assert.deepEqual(step, FIXTURE.steps[i], step.step);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
