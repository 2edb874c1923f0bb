// The session defaults and rows of a built-in catalog model (anthropic/claude-opus-5 after our own
// `onboard --auth-choice apiKey`), run as the binary runs it, against the reference OpenClaw 2026.9.6
// gateway's answers after its own onboard with the same key
// (tests/fixtures/model_defaults/gateway_session_defaults.json, README.md beside it): the catalog's
// context window and the anthropic plugin's thinking profile, not the configured-model fallbacks
// (200000, `off`).
import assert from "node:assert/strict";
import { onboardedHome } from "../support/onboarded_home.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway } from "../support/spawn_gateway.ts";

interface Run {
  method: string;
  params: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: string;
}

const RECORDED = new URL("../fixtures/model_defaults/gateway_session_defaults.json", import.meta.url);
const RUNS: Run[] = JSON.parse(await Deno.readTextFile(RECORDED)).runs;
const KEY = "agent:main:main";
/** The model fields of a session row the reference derives from the catalog. */
const ROW_FIELDS = ["modelProvider", "model", "contextTokens", "thinkingLevels", "thinkingOptions", "thinkingDefault"];

type Row = Record<string, unknown>;
type List = { defaults: Row; sessions: Row[] };

function pick(row: Row, keys: readonly string[]): Row {
  return Object.fromEntries(keys.map((key) => [key, row[key]]));
}

/** The recorded answers of one method, in order. */
function recorded<T = Row>(method: string): T[] {
  return RUNS.filter((run) => run.method === method).map((run) => run.result as T);
}

Deno.test("sessions.list, sessions.describe and chat.startup describe a built-in model as the reference does (window, thinking profile); models.list's provider-config view and provider refusal as recorded", async () => {
  const { home, env, token, cleanup } = await onboardedHome("sk-ant-stored-one");
  const { proc, port } = await startGateway({ home, env, args: ["--allow-unconfigured"] });
  const session = await connectReference({
    port,
    token,
    scopes: ["operator.read", "operator.write", "operator.admin"],
    caps: ["model-selection-policy"],
  });
  try {
    const [startupRef] = recorded("chat.startup");
    const lists = recorded<List>("sessions.list");
    const startup = await session.request<Row>("chat.startup", { sessionKey: KEY, limit: 80, maxBytes: 262144 });
    const expectedModel = pick(startupRef!.defaults as Row, ["modelProvider", "model", "contextTokens"]);
    assert.deepEqual(expectedModel, { modelProvider: "anthropic", model: "claude-opus-5", contextTokens: 1_000_000 });
    assert.deepEqual(pick(startup.defaults as Row, ["modelProvider", "model", "contextTokens"]), expectedModel);
    assert.equal((startup.sessionInfo as Row).contextTokens, (startupRef!.sessionInfo as Row).contextTokens);
    // The reference's recorded chat.startup lacked its thinking fields (its startup projection was not
    // ready); its code takes them from the same profile sessions.list shows, as ours does.
    assert.equal((startup.sessionInfo as Row).thinkingDefault, lists[0]!.defaults.thinkingDefault);
    assert.equal(startup.thinkingLevel, "high");

    // A fresh main session: the defaults word for word (the reference's later lists, without the
    // context-window choices its first list carried once: docs/compatibility.md).
    const fresh = await session.request<List>("sessions.list", {});
    assert.equal(JSON.stringify(fresh.defaults), JSON.stringify(lists[1]!.defaults));
    assert.deepEqual(await session.request("sessions.describe", { key: "main" }), { session: null });

    const labelPatch = await session.request<{ resolved: Row }>("sessions.patch", { key: KEY, label: "recorded" });
    // A patch that chose no model resolves no thinking, as recorded.
    const labelRef = RUNS.filter((r) => r.method === "sessions.patch")[0]!.result!.resolved as Row;
    assert.deepEqual(["thinkingLevel" in labelPatch.resolved, "thinkingLevel" in labelRef], [false, false]);
    const labelled = await session.request<List>("sessions.list", {});
    assert.equal(JSON.stringify(labelled.defaults), JSON.stringify(lists[1]!.defaults));
    assert.deepEqual(pick(labelled.sessions[0]!, ROW_FIELDS), pick(lists[1]!.sessions[0]!, ROW_FIELDS));
    const describedRef = recorded("sessions.describe")[1]!.session as Row;
    const described = await session.request<{ session: Row }>("sessions.describe", { key: "main" });
    assert.deepEqual(pick(described.session, ROW_FIELDS), pick(describedRef, ROW_FIELDS));

    // The session's own model choice brings that model's window and profile (sonnet-4-6: adaptive; haiku: 200k, medium).
    for (const [i, model] of [[2, "anthropic/claude-sonnet-4-6"], [3, "anthropic/claude-haiku-4-5"]] as const) {
      const patched = await session.request<{ resolved: Row }>("sessions.patch", { key: KEY, model });
      const patchedRef = RUNS.filter((r) => r.method === "sessions.patch")[i - 1]!.result!.resolved as Row;
      const thinking = ["modelProvider", "model", "runtimeSelectionLocked", "thinkingLevel", "thinkingLevels"];
      assert.deepEqual(pick(patched.resolved, thinking), pick(patchedRef, thinking), model);
      const list = await session.request<List>("sessions.list", {});
      assert.deepEqual(pick(list.sessions[0]!, ROW_FIELDS), pick(lists[i]!.sessions[0]!, ROW_FIELDS), model);
      assert.equal(JSON.stringify(list.defaults), JSON.stringify(lists[i]!.defaults), model);
    }

    // models.list as recorded on the same connection: the provider-config view (offline and with no configured
    // providers: no rows), a provider filter, and the refusal of a provider nobody declares.
    for (const run of RUNS.filter((r) => r.method === "models.list")) {
      const label = `models.list ${JSON.stringify(run.params)}`;
      if (run.error) {
        await assert.rejects(session.request("models.list", run.params), (error) => String(error) === run.error, label);
        continue;
      }
      const ours = await session.request("models.list", run.params);
      assert.equal(JSON.stringify(ours, null, 2), JSON.stringify(run.result, null, 2), label);
    }
  } finally {
    session.stop();
    await proc.stop();
    await cleanup();
  }
});
