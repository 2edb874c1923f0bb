// What a client's bare session key ("main", "work": not `agent:<id>:…`) names, against the reference gateway
// (recorded by tools/record_reference_bare_session_keys.ts) or ours (tests/integration/bare_session_keys_test.ts):
// chat.send on "main", "work" and "agent:main:work", `agent` on "main", then bare keys with a non-default `agentId`;
// each ack, the session keys the run's chat and agent events carry, what chat.history answers for the bare and the
// full key, and which sessions sessions.list holds afterwards.
import { startFakeUpstream } from "./fake_upstream.ts";
import { connectReference, type ReferenceSession } from "./reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "./reference_gateway.ts";
import { runEnded } from "./read_state_steps.ts";
import { freePort } from "./spawn_gateway.ts";

const TOKEN = "bare-keys-token-0123456789";

/** One request of the scenario. */
interface BareKeyCase {
  step: string;
  method: "chat.send" | "agent";
  params: Record<string, unknown>;
}

/** The requests, in order; each has its own idempotency key (the run id). */
const CASES: BareKeyCase[] = [
  { step: "chat.send main", method: "chat.send", params: { sessionKey: "main" } },
  { step: "chat.send work", method: "chat.send", params: { sessionKey: "work" } },
  { step: "chat.send agent:main:work", method: "chat.send", params: { sessionKey: "agent:main:work" } },
  { step: "chat.send Work", method: "chat.send", params: { sessionKey: "Work" } },
  { step: "agent main", method: "agent", params: { sessionKey: "main" } },
  { step: "agent main, agentId ops", method: "agent", params: { sessionKey: "main", agentId: "ops" } },
  { step: "agent work, agentId ops", method: "agent", params: { sessionKey: "work", agentId: "ops" } },
  { step: "chat.send work, agentId ops", method: "chat.send", params: { sessionKey: "work", agentId: "ops" } },
  {
    step: "agent agent:main:work, agentId ops",
    method: "agent",
    params: { sessionKey: "agent:main:work", agentId: "ops" },
  },
  {
    step: "chat.send agent:main:work, agentId ops",
    method: "chat.send",
    params: { sessionKey: "agent:main:work", agentId: "ops" },
  },
];

/** The variant with `session.scope: "global"`: one session for every chat; what a bare or full key names then. */
const GLOBAL_CASES: BareKeyCase[] = [
  { step: "chat.send main", method: "chat.send", params: { sessionKey: "main" } },
  { step: "chat.send global", method: "chat.send", params: { sessionKey: "global" } },
  { step: "chat.send agent:main:main", method: "chat.send", params: { sessionKey: "agent:main:main" } },
  { step: "chat.send work", method: "chat.send", params: { sessionKey: "work" } },
  { step: "agent main", method: "agent", params: { sessionKey: "main" } },
];

/** The scenario's two variants: the default per-sender scope, and `session.scope: "global"`. */
export type BareKeysVariant = "per-sender" | "global";

/** What one request showed. */
export interface BareKeyStep {
  step: string;
  /** The ack's fields (run ids replaced by whether they equal the idempotency key), or the refusal. */
  ack: Record<string, unknown>;
  /** The distinct session keys the run's events carried, by event name. */
  eventKeys: Record<string, string[]>;
}

/** What the scenario saw. */
export interface BareKeysRecording {
  steps: BareKeyStep[];
  /** chat.history by key: its sessionKey field and the messages' roles and texts. */
  history: Record<string, unknown>;
  /** The keys sessions.list holds afterwards, sorted, and their count. */
  sessions: { count: number; keys: string[] };
}

/** An ack or final answer with its run id told as "the idempotency key" or not, so recordings compare. */
function ackOf(answer: Record<string, unknown>, idempotencyKey: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(answer).sort(([a], [b]) => a.localeCompare(b))) {
    if (k === "runId") out[k] = v === idempotencyKey ? "<idempotencyKey>" : typeof v;
    else if (k === "sessionKey" || k === "status" || k === "agentId" || k === "acceptedAt") {
      out[k] = k === "acceptedAt" ? typeof v : v;
    } else out[k] = typeof v === "object" ? "<object>" : typeof v;
  }
  return out;
}

/** A refusal as the reference client throws it: its code and message. */
function refusalOf(error: unknown): Record<string, unknown> {
  const e = error as { gatewayCode?: string; code?: string; message?: string };
  return { error: String(e.gatewayCode ?? e.code ?? "?"), message: String(e.message ?? "") };
}

/** The distinct session keys of a run's events, by event name. */
function eventKeysOf(client: ReferenceSession, runId: string, from: number): Record<string, string[]> {
  const keys: Record<string, Set<string>> = {};
  for (const e of client.events.slice(from)) {
    const p = e.payload as { runId?: string; sessionKey?: unknown } | undefined;
    if (p?.runId !== runId) continue;
    (keys[e.event] ??= new Set()).add(String(p.sessionKey));
  }
  return Object.fromEntries(Object.entries(keys).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v]]));
}

/** Sends one case and waits until its run ended; answers what it showed. */
async function sendCase(client: ReferenceSession, c: BareKeyCase, i: number): Promise<BareKeyStep> {
  const idempotencyKey = `bare-keys-${i}`;
  const from = client.events.length;
  const params = { message: `hello ${c.step}`, idempotencyKey, ...c.params };
  let ack: Record<string, unknown>;
  try {
    if (c.method === "chat.send") {
      ack = ackOf(await client.request<Record<string, unknown>>("chat.send", params), idempotencyKey);
      await runEnded(client, idempotencyKey);
    } else {
      let accepted: Record<string, unknown> = {};
      const final = await client.request<Record<string, unknown>>("agent", params, {
        expectFinal: true,
        timeoutMs: 60_000,
        onAccepted: (p) => accepted = p as Record<string, unknown>,
      });
      ack = { accepted: ackOf(accepted, idempotencyKey), final: ackOf(final, idempotencyKey) };
    }
  } catch (error) {
    ack = refusalOf(error);
  }
  return { step: c.step, ack, eventKeys: eventKeysOf(client, idempotencyKey, from) };
}

/** What chat.history answers for `sessionKey`: its key and each message's role and text. */
async function historyOf(client: ReferenceSession, params: Record<string, unknown>): Promise<unknown> {
  try {
    const answer = await client.request<{ sessionKey?: string; messages?: Record<string, unknown>[] }>(
      "chat.history",
      { ...params, limit: 50 },
    );
    const messages = (answer.messages ?? []).map((m) => {
      const content = m.content;
      const text = typeof content === "string"
        ? content
        : Array.isArray(content)
        ? content.map((part) => (part as { text?: string }).text ?? "").join("")
        : "";
      return `${m.role}: ${text}`;
    });
    return { sessionKey: answer.sessionKey, messages };
  } catch (error) {
    return refusalOf(error);
  }
}

/** Runs the scenario against `target` ("ref": the reference under `root`; any other: ours), stopping all it started. */
export async function runBareSessionKeysScenario(
  target: string,
  root: string,
  variant: BareKeysVariant = "per-sender",
): Promise<BareKeysRecording> {
  const upstream = startFakeUpstream();
  const port = freePort();
  const global = variant === "global";
  const config = {
    ...clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }),
    agents: {
      defaults: { model: { primary: "fake/m1" } },
      list: [{ id: "main", default: true }, { id: "ops" }],
    },
    ...(global ? { session: { scope: "global" } } : {}),
  };
  const gateway = await startRecordedGateway(target, { root, port, config });
  let client: ReferenceSession | undefined;
  try {
    client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin", "operator.write"] });
    const steps: BareKeyStep[] = [];
    for (const [i, c] of (global ? GLOBAL_CASES : CASES).entries()) steps.push(await sendCase(client, c, i));
    const history: Record<string, unknown> = {};
    const keys = global
      ? ["main", "global", "agent:main:main", "work", "agent:main:work"]
      : ["main", "agent:main:main", "work", "agent:main:work", "agent:ops:main", "agent:ops:work"];
    for (const key of keys) history[key] = await historyOf(client, { sessionKey: key });
    if (!global) {
      history["work, agentId ops"] = await historyOf(client, { sessionKey: "work", agentId: "ops" });
      history["agent:main:work, agentId ops"] = await historyOf(client, {
        sessionKey: "agent:main:work",
        agentId: "ops",
      });
    }
    const listed = await client.request<{ sessions: { key: string }[] }>("sessions.list", {});
    const rows = listed.sessions.map((s) => s.key).sort();
    return { steps, history, sessions: { count: rows.length, keys: rows } };
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    client?.stop();
    await gateway.stop();
    await upstream.stop();
  }
}
