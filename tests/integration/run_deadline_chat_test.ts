// A run's deadline through the real program: chat.send's `timeoutMs` and, when a request brings none,
// `agents.defaults.timeoutSeconds` end a run whose model never answers, as the reference's
// resolveAgentTimeoutMs decides them (before, chat.send's `timeoutMs` was accepted and ignored).
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "run-deadline-token-0123456789abcd";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

async function withStallingGateway(
  defaults: Record<string, unknown>,
  body: (client: ReferenceSession) => Promise<void>,
): Promise<void> {
  const upstream = startFakeUpstream();
  // Model "stall" never answers: only a deadline ends its run.
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["stall"] } } },
    agents: { defaults: { model: { primary: "fake/stall" }, ...defaults } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const client = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
  try {
    await body(client);
  } finally {
    client.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

/** What the reference recorded (tools/record_reference_run_deadline.ts). */
const RECORDED = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/run_deadline/reference_events.json", import.meta.url)),
) as Record<string, { waited: Record<string, unknown>; events: { event: string; payload: Record<string, unknown> }[] }>;

/**
 * The parts of a run's end both gateways must agree on: agent.wait's answer, the chat error, the lifecycle error and
 * the reply that follows them.
 */
function endOf(waited: Record<string, unknown>, events: { event: string; payload: unknown }[]) {
  const payloads = events.map((e) => ({ event: e.event, payload: e.payload as Record<string, unknown> }));
  const chat = payloads.find((e) =>
    e.event === "chat" && e.payload.state === "error" && e.payload.agentId !== undefined
  )?.payload;
  // The reply chat.send adds for a run that ended without one (no agent id): the timeout's words again.
  const reply = payloads.find((e) =>
    e.event === "chat" && e.payload.state === "error" && e.payload.agentId === undefined
  )?.payload;
  const lifecycle = payloads.find((e) =>
    e.event === "agent" && e.payload.stream === "lifecycle" &&
    (e.payload.data as { phase?: string }).phase === "error"
  )?.payload.data as Record<string, unknown> | undefined;
  return {
    wait: { status: waited.status, error: waited.error, terminalReply: waited.terminalReply },
    chat: chat &&
      { state: chat.state, errorMessage: chat.errorMessage, errorKind: chat.errorKind, errorDetail: chat.errorDetail },
    lifecycle: lifecycle && { phase: lifecycle.phase, error: lifecycle.error, aborted: lifecycle.aborted },
    reply: reply && { seq: reply.seq, errorMessage: reply.errorMessage },
  };
}

/** Sends `params` to the stalling model and returns the run's end as endOf sees it, with how long it took. */
async function runToEnd(client: ReferenceSession, params: Record<string, unknown>) {
  const started = performance.now();
  const sent = await client.request<{ runId: string }>("chat.send", {
    sessionKey: "agent:main:main",
    message: "think forever",
    idempotencyKey: crypto.randomUUID(),
    ...params,
  });
  const waited = await client.request<Record<string, unknown>>("agent.wait", { runId: sent.runId, timeoutMs: 30_000 });
  const tookMs = performance.now() - started;
  const errors = () =>
    client.events.filter((e) =>
      e.event === "chat" && (e.payload as { runId?: string; state?: string }).runId === sent.runId &&
      (e.payload as { state?: string }).state === "error"
    );
  await until(() => errors().length === 2, "the chat error event and the reply");
  return {
    end: endOf(waited, client.events.filter((e) => (e.payload as { runId?: string }).runId === sent.runId)),
    tookMs,
  };
}

Deno.test("chat.send's timeoutMs ends a run its model never answers, as the reference ends it", async () => {
  await withStallingGateway({}, async (client) => {
    const { end, tookMs } = await runToEnd(client, { timeoutMs: 300 });
    assert.ok(tookMs < 10_000, `ended by its 300 ms deadline, not the 48-hour default (${tookMs} ms)`);
    const recorded = RECORDED.withTimeoutMs!;
    assert.deepEqual(end, endOf(recorded.waited, recorded.events));
  });
});

Deno.test("agents.defaults.timeoutSeconds is the deadline of a chat.send that brings none", async () => {
  await withStallingGateway({ timeoutSeconds: 1 }, async (client) => {
    const { end } = await runToEnd(client, {});
    const recorded = RECORDED.withConfigured!;
    assert.deepEqual(end, endOf(recorded.waited, recorded.events));
  });
});
