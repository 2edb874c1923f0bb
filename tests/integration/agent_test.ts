import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { type OpenclawProcess, runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "agent-token-0123456789abcdef";

function agentConfig(upstreamUrl: string) {
  return {
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: { fake: { baseUrl: upstreamUrl, api: "openai-completions", models: ["m1", "slow", "fail"] } },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

async function withAgentGateway(
  body: (ctx: { session: ReferenceSession; stateDir: string; port: number; proc: OpenclawProcess }) => Promise<void>,
  configure: (url: string) => unknown = agentConfig,
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome(configure(upstream.url));
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await body({ session, stateDir: home.stateDir, port, proc });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("agent: accepted at once, streamed agent and chat events in order, then ok with the answer", async () => {
  await withAgentGateway(async ({ session, stateDir }) => {
    let accepted: Record<string, unknown> | undefined;
    const final = await session.request<{ status: string; runId: string; result: { payloads: { text: string }[] } }>(
      "agent",
      { message: "Say hello", sessionKey: "agent:main:main", idempotencyKey: "idem-1" },
      { expectFinal: true, onAccepted: (p) => accepted = p as Record<string, unknown> },
    );
    assert.equal(accepted?.status, "accepted");
    assert.equal(accepted?.runId, "idem-1");
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, FAKE_ANSWER);

    const runEvents = session.events.filter((e) => e.event === "agent").map((e) =>
      e.payload as Record<string, unknown>
    );
    const seqs = runEvents.map((e) => e.seq as number);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1), "per-run seq counts up from 1");
    assert.deepEqual((runEvents[0]!.data as { phase: string }).phase, "start");
    assert.deepEqual((runEvents.at(-1)!.data as { phase: string }).phase, "end");
    const deltas = runEvents.filter((e) => e.stream === "assistant").map((e) => (e.data as { delta: string }).delta);
    assert.equal(deltas.join(""), FAKE_ANSWER);
    const chat = session.events.filter((e) => e.event === "chat").map((e) => e.payload as { state: string });
    assert.equal(chat.at(-1)!.state, "final");

    const waited = await session.request<{ status: string; terminalReply: { text: string } }>("agent.wait", {
      runId: "idem-1",
      timeoutMs: 1000,
    });
    assert.equal(waited.status, "ok");
    assert.equal(waited.terminalReply.text, FAKE_ANSWER);

    const retry = await session.request<{ status: string; runId: string }>("agent", {
      message: "Say hello",
      sessionKey: "agent:main:main",
      idempotencyKey: "idem-1",
    });
    assert.equal(retry.status, "ok", "an idempotent retry gets the cached outcome, no new run");

    const history = await session.request<{ messages: { role: string }[] }>("chat.history", {
      sessionKey: "agent:main:main",
    });
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant"]);
    const list = await session.request<{ sessions: { key: string; sessionId: string }[] }>("sessions.list", {});
    assert.deepEqual(list.sessions.map((s) => s.key), ["agent:main:main"]);
    assert.equal(list.sessions[0]!.sessionId, (history as { sessionId?: string }).sessionId);
    assert.equal(
      (await Deno.stat(`${stateDir}/workspace`)).mode! & 0o777,
      0o700,
      "the agent's workspace exists, private",
    );
  });
});

Deno.test("chat.send streams chat events; chat.abort stops a run mid-stream", async () => {
  await withAgentGateway(async ({ session }) => {
    const started = await session.request<{ status: string }>("chat.send", {
      sessionKey: "agent:main:slow",
      message: "Talk slowly",
      idempotencyKey: "slow-1",
    });
    assert.equal(started.status, "started");
    await session.waitForEvent("chat");
    const aborted = await session.request<{ aborted: boolean; runIds: string[] }>("chat.abort", {
      sessionKey: "agent:main:slow",
    });
    assert.deepEqual(aborted, { ok: true, aborted: true, runIds: ["slow-1"] } as unknown);
    const waited = await session.request<{ status: string; error: string }>("agent.wait", {
      runId: "slow-1",
      timeoutMs: 3000,
    });
    assert.equal(waited.status, "error");
    await until(
      () => session.events.some((e) => e.event === "chat" && (e.payload as { state: string }).state === "aborted"),
      "the aborted chat event",
    );
  }, (url) => ({ ...agentConfig(url), agents: { defaults: { model: { primary: "fake/slow" } } } }));
});

Deno.test("an upstream failure ends the run with a clear error after accepted", async () => {
  await withAgentGateway(async ({ session }) => {
    await assert.rejects(
      session.request("agent", { message: "x", sessionKey: "agent:main:main", idempotencyKey: "err-1" }, {
        expectFinal: true,
      }),
      /400 the model provider rejected the request/,
    );
    const chat = session.events.filter((e) => e.event === "chat").map((e) =>
      e.payload as { state: string; errorMessage?: string }
    );
    assert.equal(chat.at(-1)!.state, "error");
  }, (url) => ({ ...agentConfig(url), agents: { defaults: { model: { primary: "fake/fail" } } } }));
});

Deno.test("a kill -9 mid-turn leaves a readable transcript with every finished turn", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    ...agentConfig(upstream.url),
    agents: { defaults: { model: { primary: "fake/slow" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const session = await connectReference({ port, token: TOKEN });
    await session.request("agent", { message: "first", sessionKey: "agent:main:main", idempotencyKey: "k1" }, {
      expectFinal: true,
    });
    await session.request("chat.send", { message: "second", sessionKey: "agent:main:main", idempotencyKey: "k2" });
    // Kill once the second run is streaming: its user message is on disk, its answer is not.
    await until(
      () =>
        session.events.some((e) =>
          e.event === "chat" && (e.payload as { runId: string; state: string }).runId === "k2" &&
          (e.payload as { state: string }).state === "delta"
        ),
      "the second run's first chat delta (its start-up statuses come before its user message is written)",
    );
    proc.kill("SIGKILL");
    await proc.exited();
    session.stop();
    // Every write was one SQLite transaction: a crash leaves whole messages or none (the WAL rolls back).

    const again = await spawnOpenclaw(["gateway", "run", "--port", String(port)], { home: home.home });
    await again.waitForLine(/listening on/);
    const reader = await connectReference({ port, token: TOKEN });
    const history = await reader.request<{ messages: { role: string; content: string | { text: string }[] }[] }>(
      "chat.history",
      {
        sessionKey: "agent:main:main",
      },
    );
    assert.deepEqual(
      // The user's text is a string, the answer text parts, as the reference sends them.
      history.messages.map((m) =>
        `${m.role}:${(typeof m.content === "string" ? m.content : m.content[0]!.text).slice(0, 6)}`
      ),
      ["user:first", "assistant:Hello ", "user:second"],
    );
    reader.stop();
    assert.equal(await again.stop(), 0);
  } finally {
    proc.kill("SIGKILL");
    await proc.exited();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("an Anthropic Messages provider streams through the same run", async () => {
  await withAgentGateway(async ({ session }) => {
    const final = await session.request<{ result: { payloads: { text: string }[] } }>(
      "agent",
      { message: "hi", idempotencyKey: "anthropic-1" },
      { expectFinal: true },
    );
    assert.equal(final.result.payloads[0]!.text, FAKE_ANSWER);
  }, (url) => ({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: {
      providers: { claude: { baseUrl: url, api: "anthropic-messages", apiKey: "sk-ant-test", models: ["claude-x"] } },
    },
    agents: { defaults: { model: { primary: "claude/claude-x" } } },
  }));
});

Deno.test("a stalled upstream ends the run with a timeout error instead of hanging", async () => {
  await withAgentGateway(async ({ session, stateDir }) => {
    // A timed-out call is retried as the reference retries it (run_retries_test.ts); with the agent's
    // `retry.provider.maxRetries` at 0 the first timeout ends the run.
    await writeProviderRetry(stateDir, "main", { maxRetries: 0 });
    // The run's own timeout ended it (its message says so); no clock reading on a loaded machine.
    await assert.rejects(
      session.request("agent", { message: "hi", idempotencyKey: "stall-1" }, { expectFinal: true }),
      /did not answer within 500ms/,
    );
    const chat = session.events.filter((e) => e.event === "chat").map((e) =>
      e.payload as { state: string; errorKind?: string }
    );
    assert.deepEqual([chat.at(-1)!.state, chat.at(-1)!.errorKind], ["error", "timeout"]);
  }, (url) => ({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: url, timeoutMs: 500, models: ["stall"] } } },
    agents: { defaults: { model: { primary: "fake/stall" } } },
  }));
});

Deno.test("agent runs on params.model; health lists the agent and its session; heartbeats and run ends say what happened", async () => {
  await withAgentGateway(async ({ session, proc }) => {
    const final = await session.request<{ result: { meta: { agentMeta: { provider: string; model: string } } } }>(
      "agent",
      { message: "hi", sessionKey: "agent:main:main", idempotencyKey: "model-1", model: "fake/other" },
      { expectFinal: true },
    );
    assert.deepEqual(final.result.meta.agentMeta.model, "other", "the requested model, not the agent's m1");
    const health = await session.request<{
      defaultAgentId: string;
      agents: { agentId: string; isDefault: boolean; sessions: { count: number; recent: { key: string }[] } }[];
      sessions: { count: number };
    }>("health");
    assert.deepEqual(
      health.agents.map((a) => [a.agentId, a.isDefault, a.sessions.count, a.sessions.recent[0]?.key]),
      [["main", true, 1, "agent:main:main"]],
    );
    assert.equal(health.sessions.count, 1);
    const status = await session.request<
      { sessions: { count: number; byAgent: { agentId: string; count: number }[] } }
    >(
      "status",
    );
    assert.deepEqual([status.sessions.count, status.sessions.byAgent.map((a) => [a.agentId, a.count])], [1, [[
      "main",
      1,
    ]]]);
    await proc.waitForLine(
      /agent run ended: runId="model-1" agent=main session="agent:main:main" status=ok .*model=fake\/other/,
    );

    await assert.rejects(
      session.request("agent", { message: "x", idempotencyKey: "fail-2", model: "fake/fail" }, { expectFinal: true }),
    );
    const failed = await proc.waitForLine(/agent run ended: runId="fail-2" .*status=error/);
    assert.match(failed, /kind=upstream status=400/);
    assert.doesNotMatch(failed, /mock failure/, "the upstream's own text stays out of the log line");

    await session.request("wake", { mode: "now", text: "ping" });
    const beat = (await session.waitForEvent("heartbeat")).payload as { status: string; message: string };
    assert.equal(beat.status, "skipped");
    assert.doesNotMatch(beat.message, /no agent is configured/i);
  });
});

Deno.test("a transcript that cannot be written fails the run, is logged, and shows in health", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(agentConfig(upstream.url));
  // The agent database's directory is a file: every session write fails (chmod cannot stop root, this can).
  await Deno.mkdir(`${home.stateDir}/agents/main`, { recursive: true });
  await Deno.writeTextFile(`${home.stateDir}/agents/main/agent`, "in the way");
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    await assert.rejects(
      session.request("agent", { message: "hi", idempotencyKey: "store-1" }, { expectFinal: true }),
      /Cannot create session agent:main:main: the session store could not be written/,
    );
    await proc.waitForLine(/session write failed \(create agent:main:main, agent main\)/);
    await proc.waitForLine(/agent run ended: runId="store-1" .*status=error .*kind=storage/);
    const health = await session.request<{ storage: { ok: boolean; writeFailures: number } }>("health");
    assert.deepEqual([health.storage.ok, health.storage.writeFailures], [false, 1]);
    const cli = await runOpenclaw(["health", "--port", String(port)], { home: home.home });
    assert.match(cli.stdout, /^Session store write failed: .* \(agent:main:main\)$/m);
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
