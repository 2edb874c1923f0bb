// The transient model failures a run retries, shared by tools/record_reference_run_retries.ts and
// tests/integration/run_retries_test.ts. Each run is a chat.send to its own agent on its own scripted fake model:
// a 503 then the answer ("r503"), a 429 with `retry-after: 1` then the answer ("r429"), a dropped connection then the
// answer ("rdrop"), a 400 (never retried, "r400"), a 503 every time with the agent's `retry.provider.maxRetries` at 1
// ("rmax1": the retries run out) and at 0 ("rmax0": none), a 503 every time with a fallback model and two retries
// ("rfallback": retries first, then the fallback), a 429 every time with a fallback and one retry ("rlimfb"), and a
// 429 asking for a 120 s wait with a fallback ("rlongwait"). Plus an `agent` method run on a 503 then the answer
// ("ragent"). Then a retry-after given only in a 429's error words: "try again in 2.5s" then the answer
// ("rtextwait"), and "try again in 20m" with a fallback ("rtextlong"). Per run every frame (run_status_script.ts recordRun) and how many requests its models received.
import type { FakeUpstream, ScriptStep } from "./fake_upstream.ts";
import type { ReferenceSession } from "./reference_client.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import { type RecordedFrame, recordRun } from "./run_status_script.ts";
import { until } from "./until.ts";

/** What every recovering model answers once it works. */
export const RECOVERED = "Recovered after a retry.";

/** One scripted run: its agent, its models (primary first) and their scripts, the agent's provider retry settings. */
export interface RetryCase {
  agent: string;
  /** The agent's model and its fallbacks, each with its script. */
  models: { id: string; steps: ScriptStep[] }[];
  /** `<agentDir>/settings.json`'s `retry.provider`, the reference's per-agent knob, when the case sets it. */
  providerRetry?: { maxRetries?: number };
  /** The run is started with the `agent` method instead of chat.send. */
  agentMethod?: boolean;
  /** The least wait before a retry the provider asked (by header or in its error's words). */
  retryFloorMs?: number;
  /** chat.history is asked while the run waits for its retry (its `inFlightRun` recorded). */
  historyWhileRetrying?: boolean;
}

const answer: ScriptStep = { text: RECOVERED };
const unavailable: ScriptStep = { fail: { status: 503, message: "Service Unavailable", type: "server_error" } };
const limited: ScriptStep = {
  fail: { status: 429, message: "Rate limit reached", type: "rate_limit_error", retryAfter: "1" },
};

/** The cases, in the order they run. */
export const RETRY_CASES: readonly RetryCase[] = [
  { agent: "r503", models: [{ id: "r503", steps: [unavailable, answer] }] },
  { agent: "r429", models: [{ id: "r429", steps: [limited, answer] }], retryFloorMs: 1000 },
  { agent: "rdrop", models: [{ id: "rdrop", steps: [{ drop: true }, answer] }] },
  {
    agent: "r400",
    models: [{ id: "r400", steps: [{ fail: { status: 400, message: "bad request", type: "invalid_request_error" } }] }],
  },
  { agent: "rmax1", models: [{ id: "rmax1", steps: [unavailable] }], providerRetry: { maxRetries: 1 } },
  { agent: "rmax0", models: [{ id: "rmax0", steps: [unavailable] }], providerRetry: { maxRetries: 0 } },
  {
    agent: "rfallback",
    models: [{ id: "rdown", steps: [unavailable] }, { id: "rback", steps: [answer] }],
    providerRetry: { maxRetries: 2 },
  },
  {
    agent: "rlimfb",
    models: [{ id: "rlimited", steps: [limited] }, { id: "rlimback", steps: [answer] }],
    providerRetry: { maxRetries: 1 },
  },
  {
    agent: "rlongwait",
    models: [
      {
        id: "rlongwait",
        steps: [{ fail: { status: 429, message: "Rate limit reached", type: "rate_limit_error", retryAfter: "120" } }],
      },
      { id: "rlongback", steps: [answer] },
    ],
  },
  { agent: "ragent", models: [{ id: "ragent", steps: [unavailable, answer] }], agentMethod: true },
  {
    agent: "rtextwait",
    models: [{
      id: "rtextwait",
      steps: [{
        fail: { status: 429, message: "Rate limit reached. Please try again in 2.5s.", type: "rate_limit_error" },
      }, answer],
    }],
    retryFloorMs: 2500,
    historyWhileRetrying: true,
  },
  {
    agent: "rtextlong",
    models: [
      {
        id: "rtextlong",
        steps: [{
          fail: { status: 429, message: "Rate limit reached. Please try again in 20m.", type: "rate_limit_error" },
        }],
      },
      { id: "rtextback", steps: [answer] },
    ],
  },
];

/** Both gateways' config: one agent per case on its scripted models (the first its primary, the rest fallbacks). */
export function retriesConfig(input: { port: number; token: string; upstream: FakeUpstream }) {
  const config = clientTestConfig({ port: input.port, token: input.token, upstreamUrl: input.upstream.url }) as {
    models: { providers: { fake: { models: { id: string; name: string }[] } } };
    agents: Record<string, unknown>;
  };
  config.models.providers.fake.models = RETRY_CASES.flatMap((c) => c.models.map((m) => ({ id: m.id, name: m.id })));
  config.agents = {
    defaults: { model: { primary: "fake/r503" } },
    list: RETRY_CASES.map((c, i) => ({
      id: c.agent,
      ...(i === 0 ? { default: true } : {}),
      model: {
        primary: `fake/${c.models[0]!.id}`,
        ...(c.models.length > 1 ? { fallbacks: c.models.slice(1).map((m) => `fake/${m.id}`) } : {}),
      },
    })),
  };
  return config;
}

/** Scripts every case's models on the fake upstream. */
export function scriptRetryModels(upstream: FakeUpstream): void {
  for (const c of RETRY_CASES) for (const m of c.models) upstream.script(m.id, m.steps);
}

/**
 * Writes an agent's `<stateDir>/agents/<id>/agent/settings.json` with `retry.provider` (the reference's knob, read at
 * each run): a test whose model fails transiently sets `maxRetries: 0` to fail at once, as the reference then does.
 */
export async function writeProviderRetry(
  stateDir: string,
  agentId: string,
  providerRetry: { maxRetries?: number; maxRetryDelayMs?: number },
): Promise<void> {
  const dir = `${stateDir}/agents/${agentId}/agent`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/settings.json`, JSON.stringify({ retry: { provider: providerRetry } }));
}

/** Writes each case's retry settings, where it sets some. */
export async function writeRetrySettings(stateDir: string): Promise<void> {
  for (const c of RETRY_CASES) if (c.providerRetry) await writeProviderRetry(stateDir, c.agent, c.providerRetry);
}

/** One case as recorded: its frames and how many requests each of its models received. */
export interface RecordedRetry {
  frames: RecordedFrame[];
  requests: Record<string, number>;
  /** chat.history's `inFlightRun` (null when absent) while the run waited for its retry, where the case asks it. */
  retryingInFlight?: unknown;
}

/** Runs one case: chat.send (or `agent`) to its agent's main session, every frame until 1 s after its end. */
export async function recordRetry(
  session: ReferenceSession,
  upstream: FakeUpstream,
  c: RetryCase,
): Promise<RecordedRetry> {
  const history = c.historyWhileRetrying ? historyWhileRetrying(session, c.agent) : undefined;
  const frames = c.agentMethod ? await recordAgentRun(session, c.agent) : await recordRun(session, c.agent);
  const requests = Object.fromEntries(c.models.map((m) => [m.id, upstream.requestsOf(m.id).length]));
  return { frames, requests, ...(history ? { retryingInFlight: await history } : {}) };
}

/** Once the case's run announces a retry, chat.history's `inFlightRun` for its session (null when absent). */
async function historyWhileRetrying(session: ReferenceSession, agent: string): Promise<unknown> {
  const runId = `status-${agent}`;
  const from = session.events.length;
  const retrying = (e: { event: string; payload: unknown }) => {
    const p = e.payload as { runId?: string; stream?: string; data?: { phase?: string } };
    return e.event === "agent" && p.runId === runId && p.stream === "run_status" && p.data?.phase === "retrying";
  };
  await until(() => session.events.slice(from).some(retrying), `the retry of ${runId}`, 60_000);
  const history = await session.request("chat.history", { sessionKey: `agent:${agent}:main` }) as {
    inFlightRun?: unknown;
  };
  return history.inFlightRun ?? null;
}

/** Events that are the connection's, not a run's. */
const QUIET = new Set(["tick", "health", "presence", "heartbeat"]);

/** An `agent` method run: every frame until 1 s after its lifecycle end or error. */
async function recordAgentRun(session: ReferenceSession, agent: string): Promise<RecordedFrame[]> {
  const runId = `status-${agent}`;
  const from = session.events.length;
  await session.request("agent", { sessionKey: `agent:${agent}:main`, message: "Go on", idempotencyKey: runId });
  const ended = (e: RecordedFrame) => {
    const p = e.payload as { runId?: string; stream?: string; data?: { phase?: string } };
    return e.event === "agent" && p.runId === runId && p.stream === "lifecycle" &&
      ["end", "error"].includes(p.data?.phase ?? "");
  };
  await until(() => session.events.slice(from).some(ended), `the end of ${runId}`, 180_000);
  await new Promise((r) => setTimeout(r, 1000));
  return session.events.slice(from).filter((e) => !QUIET.has(e.event)).map((e) => ({
    event: e.event,
    seq: e.seq,
    payload: e.payload,
  }));
}
