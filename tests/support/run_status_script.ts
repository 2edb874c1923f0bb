// The runs whose event frames a Control UI-like client sees, shared by tools/record_reference_run_status.ts and
// tests/integration/run_status_test.ts: (a) a plain answered chat.send ("plain", the fake model's streamed answer),
// (b) a run whose model calls `exec` with a command printing over ~1 s, then answers ("exec"), (c) a model answering
// HTTP 500 ("http500") and one whose connection drops mid-stream ("hangup"); each in its own agent. Per run, every
// event frame from its chat.send until a quiet moment after its terminal chat event: name, payload and frame seq.
import type { FakeUpstream, ScriptStep } from "./fake_upstream.ts";
import type { ReferenceSession } from "./reference_client.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import { until } from "./until.ts";

/** The command the exec run's model runs: three lines, 0.3 s apart. */
export const COUNT_COMMAND = "for i in 1 2 3; do echo $i; sleep 0.3; done";

/** What the exec run's model answers after its call. */
export const COUNT_ANSWER = "Counted to three.";

/** The runs, in order: agent id (and its fake model). */
export const RUN_STATUS_AGENTS = ["plain", "exec", "http500", "hangup"] as const;

/** Events that are the connection's, not a run's. */
const QUIET = new Set(["tick", "health", "presence", "heartbeat"]);

/** The scripted exec model: one `exec` call, then the answer. */
export function execSteps(): ScriptStep[] {
  return [
    { toolCalls: [{ id: "call_count", name: "exec", args: { command: COUNT_COMMAND } }] },
    { text: COUNT_ANSWER },
  ];
}

/** Both gateways' config: one agent per run on its fake model, exec on the gateway host without approvals. */
export function runStatusConfig(input: { port: number; token: string; upstream: FakeUpstream; workspace: string }) {
  input.upstream.script("exec", execSteps());
  const config = clientTestConfig({ port: input.port, token: input.token, upstreamUrl: input.upstream.url }) as {
    models: { providers: { fake: { models: { id: string; name: string }[] } } };
    agents: Record<string, unknown>;
    tools?: Record<string, unknown>;
  };
  config.models.providers.fake.models = RUN_STATUS_AGENTS.map((id) => ({ id: model(id), name: model(id) }));
  config.agents = {
    defaults: { model: { primary: "fake/m1" }, workspace: input.workspace },
    list: RUN_STATUS_AGENTS.map((id, i) => ({
      id,
      ...(i === 0 ? { default: true } : {}),
      model: { primary: `fake/${model(id)}` },
    })),
  };
  config.tools = { exec: { host: "gateway", security: "full", ask: "off" } };
  return config;
}

/** The fake model an agent runs on ("plain" is the default well-behaved one). */
function model(agent: string): string {
  return agent === "plain" ? "m1" : agent;
}

/** One frame as received. */
export interface RecordedFrame {
  event: string;
  seq?: number;
  payload: unknown;
}

/** Whether a frame is the run's terminal chat event. */
const terminal = (runId: string) => (e: RecordedFrame) => {
  const p = e.payload as { runId?: string; state?: string };
  return e.event === "chat" && p.runId === runId && ["final", "error", "aborted"].includes(p.state ?? "");
};

/** Sends one message to `agent`'s main session and returns every frame until 1 s after the run's end. */
export async function recordRun(session: ReferenceSession, agent: string): Promise<RecordedFrame[]> {
  const runId = `status-${agent}`;
  const from = session.events.length;
  await session.request("chat.send", {
    sessionKey: `agent:${agent}:main`,
    message: "Go on",
    idempotencyKey: runId,
  });
  await until(() => session.events.slice(from).some(terminal(runId)), `the end of ${runId}`, 180_000);
  await new Promise((r) => setTimeout(r, 1000));
  return session.events.slice(from).filter((e) => !QUIET.has(e.event)).map((e) => ({
    event: e.event,
    seq: e.seq,
    payload: e.payload,
  }));
}

/** A run's own `agent` and `chat` frames, in order (their payloads). */
export function runPayloads(frames: RecordedFrame[], runId: string): Record<string, unknown>[] {
  return frames.filter((f) =>
    (f.event === "agent" || f.event === "chat") && (f.payload as { runId?: string }).runId === runId &&
    // The chat events sent after the run's own (seq numbered afresh, no agent id: the reply to a run that failed
    // before replying, a fallback notice) are compared on their own (run_retries_test.ts, run_status_test.ts).
    !(f.event === "chat" && (f.payload as { agentId?: string }).agentId === undefined)
  ).map((f) => ({ event: f.event, ...(f.payload as Record<string, unknown>) }));
}

/** Fields that differ from run to run (times, process ids, directories), replaced by their kind. */
const VARYING = new Set(["ts", "startedAt", "endedAt", "durationMs", "pid", "sessionId", "cwd", "timestamp"]);

/** A payload with its varying fields normalized, so two runs of the same script compare equal. */
export function normalized(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalized);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, VARYING.has(k) ? typeof v : normalized(v)]),
  );
}

/** One frame in short: event, stream or state, phase, seq. */
export function short(p: Record<string, unknown>): unknown[] {
  const phase = (p.data as { phase?: unknown } | undefined)?.phase ?? p.phase ?? null;
  return [p.event, p.stream ?? p.state, phase, p.seq];
}

/** The frames from the first through the first `lifecycle` `model` event: the run's start-up. */
export function startUp(payloads: Record<string, unknown>[]): Record<string, unknown>[] {
  const model = payloads.findIndex((p) =>
    p.stream === "lifecycle" && (p.data as { phase?: string } | undefined)?.phase === "model"
  );
  return payloads.slice(0, model + 1);
}
