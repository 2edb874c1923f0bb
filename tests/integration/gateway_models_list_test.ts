// The gateway's `models.list` after our own `onboard --auth-choice apiKey`, run as the binary runs
// it, against the reference OpenClaw 2026.9.6 gateway's answers after its own onboard with the same
// key (tests/fixtures/model_catalog/gateway_models_list.json, README.md beside it). Both gateways are
// offline: the reference's anthropic discovery failed, ours has none; each publishes the manifest's
// rows and says so (`providerOutcomes` `unavailable`, `refreshFailed`: docs/compatibility.md). No
// normalisation: the answers are compared as recorded, key order included.
import assert from "node:assert/strict";
import { onboardedHome } from "../support/onboarded_home.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway } from "../support/spawn_gateway.ts";

interface Run {
  params: Record<string, unknown>;
  result: { models: Record<string, unknown>[] } & Record<string, unknown>;
}

const RECORDED = new URL("../fixtures/model_catalog/gateway_models_list.json", import.meta.url);
const RUNS: Run[] = JSON.parse(await Deno.readTextFile(RECORDED)).runs;

Deno.test("models.list after our onboard answers the reference's four recorded views word for word; chat.metadata lists the configured view", async () => {
  const { home, env, token, cleanup } = await onboardedHome("sk-ant-stored-one");
  const { proc, port } = await startGateway({ home, env, args: ["--allow-unconfigured"] });
  const session = await connectReference({ port, token, scopes: ["operator.read"] });
  try {
    assert.equal(RUNS.length, 4);
    for (const run of RUNS) {
      const ours = await session.request<Run["result"]>("models.list", run.params);
      const label = `models.list ${JSON.stringify(run.params)}`;
      assert.deepEqual(ours, run.result, label);
      // Word for word: the keys in the reference's order too.
      assert.equal(JSON.stringify(ours, null, 2), JSON.stringify(run.result, null, 2), label);
    }
    // The chat metadata lists what the configured view lists (the reference reads the same view for it;
    // not recorded, read from its chat-metadata projection).
    const configured = RUNS.find((run) => run.params.view === "configured")!.result.models;
    const metadata = await session.request<{ models: unknown[] }>("chat.metadata", { sessionKey: "main" });
    assert.deepEqual(metadata.models, configured, "chat.metadata models");
  } finally {
    session.stop();
    await proc.stop();
    await cleanup();
  }
});
