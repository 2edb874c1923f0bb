// The model policy through the real program (the "policy" config of tests/support/model_policy_cases.ts):
// sessions.patch allows and refuses in the reference's words, per agent; models.list shows each
// agent's allowed rows; `/model` over chat.send refuses with the repair path.
import assert from "node:assert/strict";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { policyConfig } from "../support/model_policy_cases.ts";

const TOKEN = "model-policy-token-0123456789ab";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

type Payload = Record<string, unknown>;

Deno.test("model policy: sessions.patch, models.list and /model follow each agent's allow list", async () => {
  const home = await tempHome({ ...policyConfig("policy"), gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const ui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES })
    .catch(async (error) => {
      await proc.stop();
      await home.cleanup();
      throw error;
    });
  try {
    const patch = (key: string, model: string) =>
      ui.request<{ entry: Payload }>("sessions.patch", { key, model }).then((r) =>
        `${r.entry.providerOverride}/${r.entry.modelOverride}`
      );
    // The defaults allow fake/*: an unlisted fake model too, an alias, nothing of `other`.
    assert.equal(await patch("agent:main:p1", "fake/m2-mini"), "fake/m2-mini");
    assert.equal(await patch("agent:main:p2", "one"), "fake/m1");
    await assert.rejects(patch("agent:main:p3", "other/o2"), /model not allowed: other\/o2/);
    await assert.rejects(patch("agent:main:p4", "two"), /model not allowed: other\/o2/);
    // ops replaces the defaults' list; free allows anything of a known provider.
    assert.equal(await patch("agent:ops:p1", "two"), "other/o2");
    await assert.rejects(patch("agent:ops:p2", "fake/m2-mini"), /model not allowed: fake\/m2-mini/);
    assert.equal(await patch("agent:free:p1", "other/o1"), "other/o1");
    await assert.rejects(
      patch("agent:free:p2", "unknown/x"),
      /Unknown provider "unknown"\. Use \/models to list providers\./,
    );

    const listed = async (agentId: string) =>
      (await ui.request<{ models: { provider: string; id: string }[] }>("models.list", { agentId })).models
        .map((m) => `${m.provider}/${m.id}`).sort();
    assert.deepEqual(await listed("main"), ["fake/gpt-large", "fake/m1", "fake/m2-mini"]);
    assert.deepEqual(await listed("ops"), ["fake/m1", "other/o2"]);
    assert.equal((await listed("free")).length, 7);

    const runId = "policy-cmd-1";
    await ui.request("chat.send", {
      sessionKey: "agent:main:c1",
      message: "/model two",
      deliver: false,
      idempotencyKey: runId,
    });
    const reply = () => {
      const final = ui.events.find((e) =>
        e.event === "chat" && (e.payload as Payload).runId === runId && (e.payload as Payload).state === "final"
      );
      return final
        ? ((final.payload as Payload).message as { content: { text: string }[] }).content[0]!.text
        : undefined;
    };
    await until(() => reply() !== undefined, "the /model reply");
    assert.equal(
      reply(),
      'Model "other/o2" is not allowed. Use /models to list providers, or /models <provider> to list models.\n' +
        'Add "other/o2" or its provider wildcard to agents.defaults.modelPolicy.allow.\n' +
        "Then retry: /model other/o2",
    );
  } finally {
    ui.stop();
    await proc.stop();
    await home.cleanup();
  }
});
