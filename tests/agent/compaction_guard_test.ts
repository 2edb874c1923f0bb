// Compaction's guards: a session reset while the summary is written gets nothing, a summary that
// would not shrink the context is not kept, and a history larger than the summarizer's window is
// summarized in chunks that each fit it.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { compactNow } from "../../src/agent/compaction_manual.ts";
import { contextMessages, DID_NOT_REDUCE, sessionContext, TRUNCATED_NOTE } from "../../src/agent/compaction_run.ts";
import type { ProviderModels } from "../../src/agent/provider.ts";
import { messageText, SessionStore, type TranscriptMessage } from "../../src/sessions/store.ts";

const KEY = "agent:main:main";
const msg = (role: "user" | "assistant", text: string, at: number): TranscriptMessage => ({
  role,
  content: [{ type: "text", text }],
  timestamp: at,
});

interface SummaryCall {
  promptChars: number;
  maxOutputTokens: number | undefined;
}

/** A fake summarizer model: answers each call with `answer()`, recording the prompt's size. */
function fakeModels(answer: () => Promise<string>, calls: SummaryCall[] = [], finish = "stop"): ProviderModels {
  const model = {
    doStream: async (options: { prompt: unknown; maxOutputTokens?: number }) => {
      // The characters the model reads: the system prompt and the user message's text.
      const promptChars = (options.prompt as { content: string | { text?: string }[] }[])
        .reduce(
          (sum, m) =>
            sum +
            (typeof m.content === "string"
              ? m.content.length
              : m.content.reduce((n, p) => n + (p.text?.length ?? 0), 0)),
          0,
        );
      calls.push({ promptChars, maxOutputTokens: options.maxOutputTokens });
      const text = await answer();
      return {
        stream: new ReadableStream({
          start(c) {
            c.enqueue({ type: "text-delta", id: "t", delta: text });
            c.enqueue({
              type: "finish",
              finishReason: { unified: finish },
              usage: { inputTokens: { total: 1 }, outputTokens: { total: 1 } },
            });
            c.close();
          },
        }),
      };
    },
  };
  // No lean model (src/agent/lean_chat_model.ts): every call goes to this fake's doStream.
  return { get: () => Promise.resolve(model), lean: () => Promise.resolve(undefined) } as unknown as ProviderModels;
}

async function setup(models: ProviderModels, options: { keep?: number; window?: number } = {}) {
  const stateDir = await Deno.makeTempDir({ prefix: "compaction-guard-" });
  const sessions = new SessionStore(stateDir);
  const window = options.window ?? 200_000;
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: [{ id: "m1", contextWindow: window }] } } },
      agents: { defaults: { model: { primary: "fake/m1" }, compaction: { keepRecentTokens: options.keep ?? 10 } } },
    } as never,
    stateDir,
    "/home/test",
  );
  await sessions.ensure(KEY, "main");
  const deps = {
    sessions,
    agents: () => agents,
    models,
    modelCatalog:
      () => [{ id: "m1", name: "m1", provider: "fake", contextWindow: window, reasoning: false, available: true }],
  };
  const cleanup = async () => {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  };
  return { sessions, deps, cleanup };
}

Deno.test("a compaction still running when the session is reset writes nothing into the new session", async () => {
  let release!: (s: string) => void;
  const gate = new Promise<string>((r) => (release = r));
  const started = Promise.withResolvers<void>();
  const { sessions, deps, cleanup } = await setup(fakeModels(() => (started.resolve(), gate)));
  try {
    await sessions.append(KEY, "main", [
      msg("user", "secret old fact: code 4711 " + "x".repeat(200), 1),
      msg("assistant", "ok " + "y".repeat(200), 2),
      msg("user", "later " + "z".repeat(10), 3),
    ]);
    const pending = compactNow(deps, { sessionKey: KEY, agentId: "main" }, {
      runId: "r",
      signal: new AbortController().signal,
    });
    await started.promise;
    await sessions.reset(KEY, "main");
    await sessions.append(KEY, "main", [msg("user", "hello fresh session", Date.now() + 10)]);
    release("SUMMARY OF OLD SESSION: code 4711");
    const result = await pending;
    assert.deepEqual(result.compacted, false);
    const { messages } = await sessions.history(KEY, "main");
    const view = contextMessages(await sessionContext(sessions, { sessionKey: KEY, agentId: "main" }, messages));
    assert.deepEqual(view.map((m) => messageText(m)), ["hello fresh session"]);
    assert.deepEqual(await sessions.entries(KEY, "main", "compaction"), []);
  } finally {
    await cleanup();
  }
});

Deno.test("a summary that would make the context bigger is not written", async () => {
  const { sessions, deps, cleanup } = await setup(fakeModels(() => Promise.resolve("S".repeat(40_000))));
  try {
    await sessions.append(KEY, "main", [
      msg("user", "u".repeat(400), 1),
      msg("assistant", "a".repeat(400), 2),
      msg("user", "next", 3),
    ]);
    const result = await compactNow(deps, { sessionKey: KEY, agentId: "main" }, {
      runId: "r",
      signal: new AbortController().signal,
    });
    // The estimate counts the system prompt too, whose temp paths vary by a character or so.
    const { tokensBefore, ...rest } = result as typeof result & { tokensBefore: number };
    assert.deepEqual(rest, { compacted: false, reason: DID_NOT_REDUCE, contextWindow: 200_000 });
    assert.ok(tokensBefore >= 400 && tokensBefore <= 440, `tokensBefore ${tokensBefore}`);
    assert.deepEqual(await sessions.entries(KEY, "main", "compaction"), []);
  } finally {
    await cleanup();
  }
});

Deno.test("an automatic compaction still over the threshold is not written", async () => {
  // Window 8000: threshold 6000. The kept turn alone is ~6,500 tokens, so no summary can make it fit.
  const { sessions, deps, cleanup } = await setup(fakeModels(() => Promise.resolve("short summary")), {
    window: 8000,
  });
  try {
    await sessions.append(KEY, "main", [
      msg("user", "u".repeat(8000), 1),
      msg("assistant", "a".repeat(8000), 2),
      msg("user", "v".repeat(26_000), 3),
    ]);
    const result = await compactNow(deps, { sessionKey: KEY, agentId: "main" }, {
      runId: "r",
      signal: new AbortController().signal,
      trigger: "threshold",
    });
    assert.deepEqual(result.compacted, false);
    assert.deepEqual(await sessions.entries(KEY, "main", "compaction"), []);
  } finally {
    await cleanup();
  }
});

Deno.test("a history far larger than the summarizer's window is summarized in chunks that fit it", async () => {
  const calls: SummaryCall[] = [];
  let n = 0;
  const { sessions, deps, cleanup } = await setup(
    fakeModels(() => Promise.resolve(`summary ${++n}`), calls),
    { window: 32_000 },
  );
  try {
    // ~150k tokens of history for a 32k summarizer, one message larger than a whole chunk.
    const history: TranscriptMessage[] = [msg("user", "huge " + "h".repeat(160_000), 0)];
    for (let i = 1; i < 30; i++) {
      history.push(msg("user", `q${i} ` + "x".repeat(9000), i * 2));
      history.push(msg("assistant", `a${i} ` + "y".repeat(9000), i * 2 + 1));
    }
    history.push(msg("user", "now", 99));
    await sessions.append(KEY, "main", history);
    const result = await compactNow(deps, { sessionKey: KEY, agentId: "main" }, {
      runId: "r",
      signal: new AbortController().signal,
    });
    if (!result.compacted || !("entry" in result)) throw new Error(`not compacted: ${JSON.stringify(result)}`);
    assert(calls.length > 2, `expected staged summaries, got ${calls.length} call(s)`);
    const reserve = 8000;
    for (const call of calls) {
      assert(Math.ceil(call.promptChars / 4) <= 32_000 - reserve, `a summary request of ${call.promptChars} chars`);
      assert.deepEqual(call.maxOutputTokens, Math.floor(reserve * 0.8));
    }
    assert.deepEqual(result.entry.summary, `summary ${calls.length}`);
  } finally {
    await cleanup();
  }
});

Deno.test("a summary the output limit cut off is stored marked as incomplete", async () => {
  const { sessions, deps, cleanup } = await setup(fakeModels(() => Promise.resolve("partial"), [], "length"));
  try {
    await sessions.append(KEY, "main", [
      msg("user", "u".repeat(4000), 1),
      msg("assistant", "a", 2),
      msg("user", "n", 3),
    ]);
    const result = await compactNow(deps, { sessionKey: KEY, agentId: "main" }, {
      runId: "r",
      signal: new AbortController().signal,
    });
    if (!result.compacted || !("entry" in result)) throw new Error(`not compacted: ${JSON.stringify(result)}`);
    assert.deepEqual(result.entry.summary, `partial\n\n${TRUNCATED_NOTE}`);
  } finally {
    await cleanup();
  }
});
