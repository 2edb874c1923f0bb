// What a client's bare session key names on our gateway, step by step as the reference's recording
// (tests/fixtures/bare_session_keys/reference_bare_session_keys.json, by tools/record_reference_bare_session_keys.ts):
// "main" and "work" are the agent's `agent:<id>:main` and `agent:<id>:work` (events, acks, history and rows carry the
// qualified key), a non-default agentId owns the bare key, and an agentId that is not a scoped key's agent is refused.
import assert from "node:assert/strict";
import { type BareKeysRecording, runBareSessionKeysScenario } from "../support/bare_session_keys_scenario.ts";

const FIXTURE: BareKeysRecording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/bare_session_keys/reference_bare_session_keys.json", import.meta.url)),
);

Deno.test("bare session keys name the agent's qualified session, as on the reference's gateway", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-bare-keys-" });
  try {
    const ours = await runBareSessionKeysScenario("ours", root);
    assert.deepEqual(ours.steps.map((s) => s.step), FIXTURE.steps.map((s) => s.step));
    for (const [i, step] of ours.steps.entries()) assert.deepEqual(step, FIXTURE.steps[i], step.step);
    assert.deepEqual(ours.history, FIXTURE.history);
    assert.deepEqual(ours.sessions, FIXTURE.sessions);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});

const GLOBAL: BareKeysRecording = JSON.parse(
  await Deno.readTextFile(
    new URL("../fixtures/bare_session_keys/reference_bare_session_keys_global.json", import.meta.url),
  ),
);

Deno.test('under session.scope "global", "main" and the default agent\'s main key are the global session', async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-bare-keys-global-" });
  try {
    const ours = await runBareSessionKeysScenario("ours", root, "global");
    for (const [i, step] of ours.steps.entries()) assert.deepEqual(step, GLOBAL.steps[i], step.step);
    assert.equal(ours.steps.length, GLOBAL.steps.length);
    assert.deepEqual(ours.history, GLOBAL.history);
    // The reference's sessions.list leaves the global session's row out; ours lists it (docs/compatibility.md).
    assert.deepEqual(ours.sessions.keys.filter((key) => key !== "global"), GLOBAL.sessions.keys);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
});
