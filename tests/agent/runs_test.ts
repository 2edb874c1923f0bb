import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns, type RunRequest } from "../../src/agent/runs.ts";
import { SessionStore, type TranscriptMessage } from "../../src/sessions/store.ts";
import type { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";

Deno.test("AgentRuns remembers the last 1,000 finished runs by idempotency key, forgetting the oldest first", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  try {
    // Model "fail" answers 400 at once: each run finishes in about a millisecond.
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: upstream.url, models: ["fail"] } } },
        agents: { defaults: { model: { primary: "fake/fail" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    const request = (key: string): RunRequest => ({
      agentId: "main",
      sessionKey: `agent:main:test:${key}`,
      message: "hi",
      idempotencyKey: key,
      ephemeral: true,
    });
    const finish = async (key: string) => {
      const started = runs.start(request(key));
      assert.equal(started.kind, "accepted");
      if (started.kind === "accepted") assert.equal((await started.done).status, "error");
    };
    for (let i = 0; i <= 1000; i++) await finish(`k${i}`);
    // 1,001 finished: the next start prunes k0, and keeps k1 and the newest.
    assert.equal(runs.start(request("k1")).kind, "done");
    const again = runs.start(request("k0"));
    assert.equal(again.kind, "accepted");
    if (again.kind === "accepted") await again.done;
    assert.equal(runs.start(request("k1000")).kind, "done");
    // A running entry is never pruned: a retry while it runs is still `in_flight`.
    const running = runs.start({ ...request("slow"), model: { provider: "fake", model: "stall" } });
    assert.equal(running.kind, "accepted");
    for (let i = 1001; i < 1010; i++) await finish(`k${i}`);
    assert.equal(runs.start(request("slow")).kind, "in_flight");
    assert.deepEqual(runs.abort({ runId: "slow" }), ["slow"]);
    if (running.kind === "accepted") assert.equal((await running.done).status, "aborted");
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a failed run tells its caller a kind, never upstream text, the provider's URL or OS errors", async () => {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  const key = "sk-run-provider-key-0123456789";
  try {
    // A workspace under a regular file: mkdir fails with OS text naming the path.
    await Deno.writeTextFile(`${stateDir}/blocker`, "");
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const deadPort = (closed.addr as Deno.NetAddr).port;
    closed.close();
    const agents = agentsFromConfig(
      {
        models: {
          providers: {
            keyed: { baseUrl: upstream.url, apiKey: key, models: ["echo-auth", "hangup"] },
            dead: { baseUrl: `http://127.0.0.1:${deadPort}/v1`, models: ["m1"] },
          },
        },
        agents: { list: [{ id: "main" }, { id: "blocked", workspace: `${stateDir}/blocker/ws` }] },
      } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({
      sessions: new SessionStore(stateDir),
      agents: () => agents,
      emit: () => {},
      // An unreachable provider and a dropped answer are transient: without retries they fail at once.
      providerRetry: () => Promise.resolve({ maxRetries: 0, maxRetryDelayMs: 60_000 }),
    });
    const run = async (agentId: string, model: { provider: string; model: string }) => {
      const started = runs.start({
        agentId,
        sessionKey: `agent:${agentId}:test`,
        message: "hi",
        idempotencyKey: crypto.randomUUID(),
        ephemeral: true,
        model,
      });
      assert.equal(started.kind, "accepted");
      return started.kind === "accepted" ? await started.done : undefined;
    };
    const echoed = await run("main", { provider: "keyed", model: "echo-auth" });
    assert.equal(echoed?.error, "401 the model provider refused the gateway's credentials");
    assert.equal(echoed?.upstreamStatus, 401);
    const dead = await run("main", { provider: "dead", model: "m1" });
    assert.equal(dead?.error, "Model provider dead is unreachable");
    // An answer whose connection drops mid-stream failed on the way, not by the provider's refusal.
    const broken = await run("main", { provider: "keyed", model: "hangup" });
    assert.equal(broken?.error, "Model provider keyed closed the connection before its answer was complete");
    assert.equal(broken?.upstreamStatus, undefined);
    const blocked = await run("blocked", { provider: "keyed", model: "echo-auth" });
    assert.equal(blocked?.error, "The agent run failed inside the gateway; the gateway log has the reason");
    for (const outcome of [echoed, dead, broken, blocked]) {
      assert.ok(
        !outcome?.error?.includes(key) && !outcome?.error?.includes("127.0.0.1") && !outcome?.error?.includes(stateDir),
      );
    }
  } finally {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  }
});

/**
 * Resolves once the run-end line of a run whose `done` just resolved is written: the line goes one
 * timer turn after the outcome (off a streamed answer's last step), and a timer set now runs after it.
 */
function afterRunEndLine(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A run engine over a fake upstream whose provider has a key, with events and log lines recorded. */
async function recordedRuns(store: (stateDir: string) => SessionStore = (dir) => new SessionStore(dir)) {
  const upstream = startFakeUpstream();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: upstream.url, apiKey: "sk-provider-secret-0123456789abcdef" } } },
      agents: { defaults: { model: { primary: "fake/m1" } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const lines: { level: string; line: string }[] = [];
  const log = {
    info: (line: string) => lines.push({ level: "info", line }),
    warn: (line: string) => lines.push({ level: "warn", line }),
  };
  const sessions = store(stateDir);
  const runs = new AgentRuns({
    sessions,
    agents: () => agents,
    emit: (event, payload) => events.push({ event, payload }),
    log,
  });
  const run = async (request: Partial<RunRequest> & { idempotencyKey: string }) => {
    const started = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "hi", ...request });
    assert.equal(started.kind, "accepted");
    if (started.kind !== "accepted") return assert.fail("not accepted");
    const outcome = await started.done;
    await afterRunEndLine();
    return outcome;
  };
  const cleanup = async () => {
    await upstream.stop();
    await Deno.remove(stateDir, { recursive: true });
  };
  return { run, runs, events, lines, sessions, stateDir, cleanup };
}

Deno.test("AgentRuns logs each run's end with its outcome, and a failure without the provider's text or key", async () => {
  const ctx = await recordedRuns();
  try {
    await ctx.run({ idempotencyKey: "ok-1" });
    await ctx.run({ idempotencyKey: "fail-1", model: { provider: "fake", model: "fail" } });
    await ctx.run({ idempotencyKey: "unknown-1", model: { provider: "nope", model: "x" } });
    const slow = ctx.runs.start({
      agentId: "main",
      sessionKey: "agent:main:other",
      message: "hi",
      idempotencyKey: "abort-1",
      model: { provider: "fake", model: "stall" },
    });
    while (
      !ctx.events.some((e) =>
        e.payload.runId === "abort-1" && (e.payload.data as { phase?: string })?.phase === "model"
      )
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    ctx.runs.abort({ runId: "abort-1" });
    if (slow.kind === "accepted") await slow.done;
    await afterRunEndLine();
    const ended = ctx.lines.filter((l) => l.line.startsWith("agent run ended:"));
    assert.equal(ended.length, 4, JSON.stringify(ctx.lines));
    assert.equal(ended[0]!.level, "info");
    assert.match(
      ended[0]!.line,
      /^agent run ended: runId="ok-1" agent=main session="agent:main:main" status=ok durationMs=\d+ model=fake\/m1$/,
    );
    assert.equal(ended[1]!.level, "warn");
    assert.match(
      ended[1]!.line,
      /runId="fail-1" .* status=error durationMs=\d+ model=fake\/fail kind=upstream status=400 /,
    );
    assert.match(
      ended[2]!.line,
      /runId="unknown-1" .* status=error .*kind=unsupported status=404 reason="Unknown model: nope\/x/,
    );
    assert.match(ended[3]!.line, /runId="abort-1" agent=main session="agent:main:other" status=aborted .*kind=aborted/);
    for (const { line } of ended) {
      assert.doesNotMatch(line, /sk-provider-secret|mock failure/, "no key and no upstream text in the log");
    }
  } finally {
    await ctx.cleanup();
  }
});

Deno.test("AgentRuns writes a run's end line after the callers of done have run (a streamed answer's last events go first)", async () => {
  const ctx = await recordedRuns();
  try {
    const ended = () => ctx.lines.filter((l) => l.line.startsWith("agent run ended:")).length;
    const started = ctx.runs.start({
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "hi",
      idempotencyKey: "after-1",
    });
    if (started.kind !== "accepted") return assert.fail("not accepted");
    const atDone = await started.done.then(() => ended());
    assert.equal(atDone, 0, "the line is not written before done's callers run");
    await afterRunEndLine();
    assert.equal(ended(), 1);
  } finally {
    await ctx.cleanup();
  }
});

Deno.test("AgentRuns.abortAll (gateway stop) writes the waiting run-end lines at once, and a run ending after it its own at once", async () => {
  const ctx = await recordedRuns();
  try {
    const ended = () => ctx.lines.filter((l) => l.line.startsWith("agent run ended:")).map((l) => l.line);
    const slow = ctx.runs.start({
      agentId: "main",
      sessionKey: "agent:main:other",
      message: "hi",
      idempotencyKey: "stop-slow",
      model: { provider: "fake", model: "stall" },
    });
    while (
      !ctx.events.some((e) =>
        e.payload.runId === "stop-slow" && (e.payload.data as { phase?: string })?.phase === "model"
      )
    ) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const quick = ctx.runs.start({
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "hi",
      idempotencyKey: "stop-1",
    });
    if (quick.kind !== "accepted" || slow.kind !== "accepted") return assert.fail("not accepted");
    await quick.done;
    assert.deepEqual(ended(), [], "the line waits for its timer turn");
    // Logging shuts down right after the gateway stops: a line still on its timer then is lost.
    ctx.runs.abortAll();
    assert.equal(ended().length, 1, "the stop writes the waiting line");
    assert.match(ended()[0]!, /runId="stop-1" .*status=ok/);
    await slow.done;
    assert.equal(ended().length, 2, "a run ending after the stop writes its line before done resolves");
    assert.match(ended()[1]!, /runId="stop-slow" .*status=aborted/);
  } finally {
    await ctx.cleanup();
  }
});

/** A store whose database refuses every write (read-only, as on a failing disk) just before the answer. */
class DiskFullForAnswers extends SessionStore {
  #db: DatabaseSync | undefined;
  constructor(stateDir: string) {
    super(stateDir, {
      log: { error: () => {} } as never,
      openDb: (dir, agentId) => (this.#db = openAgentDb(dir, agentId)),
    });
  }
  override async append(key: string, agentId: string, messages: TranscriptMessage[]): Promise<void> {
    if (messages[0]?.role === "assistant") this.#db!.exec("PRAGMA query_only = ON");
    return await super.append(key, agentId, messages);
  }
}

Deno.test("AgentRuns: an answer the transcript could not keep ends the run as an error, in events, outcome, log and health", async () => {
  const ctx = await recordedRuns((dir) => new DiskFullForAnswers(dir));
  try {
    const outcome = await ctx.run({ idempotencyKey: "full-1" });
    assert.equal(outcome.status, "error");
    assert.match(outcome.error ?? "", /Cannot append session agent:main:main: the session store could not be written/);
    assert.equal(outcome.text.length > 0, true, "the answer itself is kept in the outcome");
    const chat = ctx.events.filter((e) => e.event === "chat").at(-1)!.payload;
    assert.equal(chat.state, "error");
    assert.match(String(chat.errorMessage), /session store could not be written/);
    const lifecycle = ctx.events.filter((e) => e.event === "agent" && e.payload.stream === "lifecycle").at(-1)!;
    assert.equal((lifecycle.payload.data as { phase: string }).phase, "error");
    assert.match(ctx.lines.at(-1)!.line, /runId="full-1" .*status=error .*kind=storage/);
    assert.equal(ctx.sessions.storage.ok, false);
    assert.match(ctx.sessions.storage.lastWriteError?.error ?? "", /readonly database/);
  } finally {
    await ctx.cleanup();
  }
});

Deno.test("a run whose model names no provider fails naming that, not 'No model configured'", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-runs-" });
  try {
    const agents = agentsFromConfig(
      { agents: { defaults: { model: { primary: "m1" } } } } as never,
      stateDir,
      "/home/test",
    );
    const runs = new AgentRuns({ sessions: new SessionStore(stateDir), agents: () => agents, emit: () => {} });
    const started = runs.start({
      agentId: "main",
      sessionKey: "agent:main:test:bare",
      message: "hi",
      idempotencyKey: "bare",
      ephemeral: true,
    });
    assert.equal(started.kind, "accepted");
    if (started.kind !== "accepted") return;
    const outcome = await started.done;
    assert.equal(outcome.status, "error");
    assert.match(outcome.error!, /Model "m1" \(agents\.defaults\.model\) names no provider/);
    assert.doesNotMatch(outcome.error!, /No model configured/);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

/** A model run's own session key, as `openclaw infer model run --gateway` names it. */
const MODEL_RUN_KEY = "agent:main:explicit:model-run-0b9b2c4e-7d3a-4f7e-9a51-6c1f0e2d3b4a";

Deno.test("a run with discardSession answers, emits its end, and its session is gone when done resolves", async () => {
  const { runs, sessions, events, cleanup } = await recordedRuns();
  try {
    const other = runs.start({ agentId: "main", sessionKey: "agent:main:main", message: "hi", idempotencyKey: "o-1" });
    assert.equal(other.kind, "accepted");
    if (other.kind === "accepted") await other.done;
    const started = runs.start({
      agentId: "main",
      sessionKey: MODEL_RUN_KEY,
      message: "hello",
      idempotencyKey: "model-run-1",
      discardSession: true,
    });
    if (started.kind !== "accepted") return assert.fail(started.kind);
    const outcome = await started.done;
    assert.deepEqual([outcome.status, outcome.text], ["ok", FAKE_ANSWER]);
    assert.ok(
      events.some((e) =>
        e.event === "agent" && e.payload.runId === "model-run-1" && e.payload.stream === "lifecycle" &&
        (e.payload.data as { phase?: string }).phase === "end"
      ),
      "the run's lifecycle end went out",
    );
    assert.equal(await sessions.get(MODEL_RUN_KEY, "main"), undefined);
    assert.deepEqual((await sessions.list(["main"])).map((r) => r.key), ["agent:main:main"]);
  } finally {
    await cleanup();
  }
});

Deno.test("a failed run with discardSession leaves no session either", async () => {
  const { runs, sessions, cleanup } = await recordedRuns();
  try {
    const started = runs.start({
      agentId: "main",
      sessionKey: MODEL_RUN_KEY,
      message: "hello",
      idempotencyKey: "model-run-2",
      model: { provider: "fake", model: "fail" },
      discardSession: true,
    });
    if (started.kind !== "accepted") return assert.fail(started.kind);
    assert.equal((await started.done).status, "error");
    assert.equal(await sessions.get(MODEL_RUN_KEY, "main"), undefined);
  } finally {
    await cleanup();
  }
});
