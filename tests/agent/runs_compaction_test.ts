// Compactions outside a turn (post-turn maintenance, `/compact`) can be cancelled: by abort (/stop,
// /new, sessions.reset) and, for the optional post-turn one, by the session's next message.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { AgentRuns } from "../../src/agent/runs.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const KEY = "agent:main:main";

/** Settles with `promise`, or rejects after `ms` (a bounded wait, never a sleep). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * An OpenAI-compatible upstream whose first summary call hangs until released; the answer to "second
 * turn" reports a prompt near the 2000-token window, so that turn's post-turn compaction starts.
 */
async function setup() {
  const gate = Promise.withResolvers<void>();
  const summaryBegun = Promise.withResolvers<void>();
  const bodies: string[] = [];
  let summaries = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const body = await req.text();
    bodies.push(body);
    const summary = body.includes("summarize conversations");
    const large = !summary && body.includes("second turn") && !body.includes("third turn");
    if (summary && !summaries++) {
      summaryBegun.resolve();
      await gate.promise;
    }
    const chunk = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
    const base = { id: "x", object: "chat.completion.chunk", created: 1, model: "m" };
    const sse = chunk({
      ...base,
      choices: [{ index: 0, delta: { role: "assistant", content: summary ? "SUMMARY" : "ok" }, finish_reason: null }],
    }) +
      chunk({
        ...base,
        choices: [{ index: 0, delta: {}, finish_reason: "stop" }],
        usage: { prompt_tokens: large ? 1900 : 10, completion_tokens: 5, total_tokens: large ? 1905 : 15 },
      }) + "data: [DONE]\n\n";
    return new Response(sse, { headers: { "content-type": "text/event-stream" } });
  });
  const url = `http://127.0.0.1:${(server.addr as Deno.NetAddr).port}/v1`;
  const stateDir = await Deno.makeTempDir({ prefix: "runs-compaction-" });
  const sessions = new SessionStore(stateDir);
  const agents = agentsFromConfig(
    {
      models: {
        providers: { fake: { baseUrl: url, api: "openai-completions", models: [{ id: "m", contextWindow: 2000 }] } },
      },
      agents: { defaults: { model: { primary: "fake/m" }, compaction: { keepRecentTokens: 10 } } },
    } as never,
    stateDir,
    "/home/test",
  );
  const runs = new AgentRuns({
    sessions,
    agents: () => agents,
    emit: () => {},
    modelCatalog:
      () => [{ id: "m", name: "m", provider: "fake", contextWindow: 2000, reasoning: false, available: true }],
  });
  const go = (message: string, id: string) => {
    const started = runs.start({ agentId: "main", sessionKey: KEY, message, idempotencyKey: id });
    if (started.kind !== "accepted") throw new Error(`run ${id} not accepted: ${started.kind}`);
    return started.done;
  };
  const cleanup = async () => {
    gate.resolve();
    runs.abortAll();
    await sessions.close();
    await server.shutdown();
    await Deno.remove(stateDir, { recursive: true });
  };
  return { runs, sessions, go, bodies, gate, summaryBegun: summaryBegun.promise, cleanup };
}

Deno.test("a new message cancels the post-turn compaction instead of waiting behind it", async () => {
  const t = await setup();
  try {
    await t.go("first turn", "r1");
    await t.go("second turn", "r2");
    await within(t.summaryBegun, 10_000, "post-turn compaction");
    const third = await within(t.go("third turn", "r3"), 10_000, "the next turn behind the compaction");
    assert.equal(third.status, "ok");
    // The turn compacted for itself (its context was over the threshold): the entry is its run's.
    const entries = await t.sessions.entries(KEY, "main", "compaction");
    assert.deepEqual(entries.map((e) => JSON.parse(e.json).__openclaw?.runId), ["r3"]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("abort (/stop, /new) stops a post-turn compaction: it writes no summary", async () => {
  const t = await setup();
  try {
    await t.go("first turn", "r1");
    await t.go("second turn", "r2");
    await within(t.summaryBegun, 10_000, "post-turn compaction");
    t.runs.abort({ sessionKey: KEY });
    t.gate.resolve();
    // The next turn queues behind the (aborted) compaction, then compacts for itself.
    await within(t.go("third turn", "r3"), 10_000, "the next turn");
    const entries = await t.sessions.entries(KEY, "main", "compaction");
    assert.deepEqual(entries.map((e) => JSON.parse(e.json).__openclaw?.runId), ["r3"]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("abort cancels a manual compaction (/compact) in progress", async () => {
  const t = await setup();
  try {
    await t.sessions.ensure(KEY, "main");
    await t.sessions.append(KEY, "main", [
      { role: "user", content: [{ type: "text", text: "a".repeat(400) }], timestamp: 1 },
      { role: "assistant", content: [{ type: "text", text: "b".repeat(400) }], timestamp: 2 },
      { role: "user", content: [{ type: "text", text: "c" }], timestamp: 3 },
    ]);
    const pending = t.runs.compact({ sessionKey: KEY, agentId: "main" });
    await within(t.summaryBegun, 10_000, "manual compaction");
    t.runs.abort({ sessionKey: KEY });
    const result = await within(pending, 10_000, "the aborted compaction");
    assert.equal(result.compacted, false);
    assert.deepEqual(await t.sessions.entries(KEY, "main", "compaction"), []);
  } finally {
    await t.cleanup();
  }
});
