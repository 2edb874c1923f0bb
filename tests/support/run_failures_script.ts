// The failed runs a client sees, shared by tools/record_reference_run_failures.ts and
// tests/integration/run_failures_test.ts: a model answering HTTP 400 ("fail"), one answering 429 ("limited") and a
// run aborted with `chat.abort` mid-answer ("drip"), each in its own agent; per run its terminal `chat` events, its
// lifecycle end and `agent.wait`'s answer.
import type { ReferenceSession } from "./reference_client.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import { until } from "./until.ts";

/** The models run, and whether each run is aborted. */
export const FAILURES = [["fail", false], ["limited", false], ["drip", true]] as const;

/** One failed run as recorded. */
export interface FailedRun {
  model: string;
  aborted: boolean;
  chat: Record<string, unknown>[];
  lifecycleEnd: Record<string, unknown>[];
  wait: Record<string, unknown>;
}

/** Both gateways' config: agents `fail`, `limited` and `drip`, each on its fake model. */
export function failuresConfig(input: { port: number; token: string; upstreamUrl: string }) {
  const config = clientTestConfig({ ...input, model: "fail" }) as {
    models: { providers: { fake: { models: { id: string; name: string }[] } } };
    agents: Record<string, unknown>;
  };
  for (const id of ["limited", "drip"]) config.models.providers.fake.models.push({ id, name: id });
  config.agents = {
    defaults: { model: { primary: "fake/fail" } },
    list: [
      { id: "fail", default: true, model: { primary: "fake/fail" } },
      { id: "limited", model: { primary: "fake/limited" } },
      { id: "drip", model: { primary: "fake/drip" } },
    ],
  };
  return config;
}

/** The run's terminal chat event (final, error or aborted). */
const terminal = (runId: string) => (e: { event: string; payload: unknown }) => {
  const p = e.payload as { runId?: string; state?: string };
  return e.event === "chat" && p.runId === runId && ["final", "error", "aborted"].includes(p.state ?? "");
};

/** Runs one message on `model` (aborting it once its first delta arrives when `abort`) and records its end. */
export async function failure(session: ReferenceSession, model: string, abort: boolean): Promise<FailedRun> {
  const runId = `fail-${model}`;
  const sessionKey = `agent:${model}:main`;
  const from = session.events.length;
  await session.request("chat.send", { sessionKey, message: "Say something", idempotencyKey: runId });
  if (abort) {
    await until(
      () =>
        session.events.slice(from).some((e) =>
          e.event === "chat" && (e.payload as { state?: string; runId?: string }).state === "delta" &&
          (e.payload as { runId?: string }).runId === runId
        ),
      `${runId}'s first delta`,
      60_000,
    );
    await session.request("chat.abort", { sessionKey, runId });
  }
  await until(() => session.events.slice(from).some(terminal(runId)), `the end of ${runId}`, 180_000);
  await new Promise((r) => setTimeout(r, 500));
  const chat = session.events.slice(from).filter((e) =>
    e.event === "chat" && (e.payload as { runId?: string }).runId === runId &&
    !["delta", "status"].includes((e.payload as { state?: string }).state ?? "")
  ).map((e) => e.payload);
  const lifecycleEnd = session.events.slice(from).filter((e) =>
    e.event === "agent" && (e.payload as { runId?: string; stream?: string }).runId === runId &&
    (e.payload as { stream?: string }).stream === "lifecycle" &&
    ["error", "end"].includes(((e.payload as { data?: { phase?: string } }).data?.phase) ?? "")
  ).map((e) => (e.payload as { data: unknown }).data);
  const wait = await session.request("agent.wait", { runId, timeoutMs: 2000 }).catch((error) => ({
    error: String(error),
  }));
  return {
    model,
    aborted: abort,
    chat: chat as Record<string, unknown>[],
    lifecycleEnd: lifecycleEnd as Record<string, unknown>[],
    wait: wait as Record<string, unknown>,
  };
}
