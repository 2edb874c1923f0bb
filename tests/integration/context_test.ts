// Compaction and thinking levels through the real program: a conversation outgrowing its model's
// window is summarized (a planted fact survives in the summary the next request carries), `/compact`
// and `sessions.compact` compact on demand, and `/think` sets the reasoning parameter on both wires,
// with the model's thinking streamed as `agent` events and kept in the transcript.
import assert from "node:assert/strict";
import {
  type ContextUpstream,
  isSummaryRequest,
  startContextUpstream,
  THINKING_CHUNKS,
} from "../support/fake_context_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "context-token-0123456789abcdef";
const MAIN = "agent:main:main";

function contextConfig(url: string, compaction: Record<string, unknown>) {
  return {
    gateway: { mode: "local", auth: { token: TOKEN } },
    // The windows here are tiny (2000 tokens): no tool schemas or tool prompt sections (Tool Search's controls
    // are offered even over an empty catalog), so the conversation alone decides when to compact.
    tools: { profile: "minimal", toolSearch: false },
    models: {
      providers: {
        fake: {
          baseUrl: url,
          api: "openai-completions",
          models: [
            { id: "small", contextWindow: 2000, reasoning: true, compat: { supportsReasoningEffort: true } },
            { id: "big", reasoning: true },
            { id: "heavy", contextWindow: 2000 },
            { id: "tiny" },
            { id: "looper", contextWindow: 2000 },
          ],
        },
        claude: {
          baseUrl: url,
          api: "anthropic-messages",
          apiKey: "sk-test",
          models: [{ id: "claude-r", reasoning: true }, { id: "claude-tool", reasoning: true }],
        },
      },
    },
    agents: {
      defaults: { model: { primary: "fake/small" }, thinkingDefault: "off", compaction },
      list: [
        { id: "main", default: true },
        { id: "big", model: "fake/big" },
        { id: "claude", model: "claude/claude-r" },
        { id: "heavy", model: "fake/heavy" },
        { id: "tiny", model: "fake/tiny" },
        { id: "looper", model: "fake/looper" },
        { id: "tooler", model: "claude/claude-tool", thinkingDefault: "low" },
      ],
    },
  };
}

async function withGateway(
  compaction: Record<string, unknown>,
  body: (ctx: { session: ReferenceSession; upstream: ContextUpstream }) => Promise<void>,
): Promise<void> {
  const upstream = startContextUpstream();
  const home = await tempHome(contextConfig(upstream.url, compaction));
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({
    port,
    token: TOKEN,
    scopes: ["operator.read", "operator.write", "operator.admin"],
  });
  try {
    await body({ session, upstream });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

type Final = { status: string; result: { payloads: { text: string }[] } };
type ChatMessage = { role: string; content: string | { type: string; text?: string; thinking?: string }[] };

function ask(session: ReferenceSession, message: string, sessionKey = MAIN, extra: Record<string, unknown> = {}) {
  return session.request<Final>(
    "agent",
    { message, sessionKey, idempotencyKey: crypto.randomUUID(), ...extra },
    { expectFinal: true },
  );
}

/** Sends a chat command and waits for its reply (a `chat` final under the command's run id). */
async function command(session: ReferenceSession, sessionKey: string, text: string): Promise<string> {
  const runId = crypto.randomUUID();
  await session.request("chat.send", { sessionKey, message: text, idempotencyKey: runId });
  const finalOf = () =>
    session.events.find((e) => {
      const p = e.payload as { runId?: string; state?: string };
      return e.event === "chat" && p.runId === runId && p.state === "final";
    });
  await until(() => finalOf() !== undefined, `the reply to ${text}`);
  const message = (finalOf()!.payload as { message: { content: { text: string }[] } }).message;
  return message.content.map((c) => c.text).join("");
}

/** The text of every message of a chat-completions request, joined. */
function sent(body: Record<string, unknown>): string {
  return JSON.stringify(body.messages);
}

/** The characters of a request's messages' contents, as the fake upstream measures a prompt. */
function promptLength(body: Record<string, unknown>): number {
  return (body.messages as { content?: unknown }[]).reduce(
    (sum, m) => sum + (typeof m.content === "string" ? m.content : JSON.stringify(m.content ?? "")).length,
    0,
  );
}

Deno.test("a conversation outgrowing a small contextWindow is compacted: the next request carries the summary (with the planted fact) instead of the old messages", async () => {
  await withGateway({ keepRecentTokens: 200 }, async ({ session, upstream }) => {
    const first = `Remember FACT-ALPHA7 for later. ${"a".repeat(2000)}`;
    await ask(session, first);
    await ask(session, `Second note. ${"b".repeat(2000)}`);
    assert.equal(upstream.requests.filter(isSummaryRequest).length, 0, "no compaction below the threshold");
    const third = await ask(session, `Third note. ${"c".repeat(2000)}`);
    assert.equal(third.status, "ok");

    const summaries = upstream.requests.filter(isSummaryRequest);
    assert.equal(summaries.length, 1, "one summary request when the context neared the window");
    assert.match(sent(summaries[0]!), /FACT-ALPHA7/, "the summarizer was sent the old messages");
    const main = upstream.requests.at(-1)!;
    assert.ok(!isSummaryRequest(main));
    assert.doesNotMatch(sent(main), /a{100}/, "the first message is no longer sent");
    assert.match(sent(main), /compacted into the following summary:.*FACT-ALPHA7/s);
    assert.match(sent(main), /c{100}/, "the turn being answered is kept");

    const phases = session.events
      .filter((e) => e.event === "agent" && (e.payload as { stream: string }).stream === "compaction")
      .map((e) => (e.payload as { data: Record<string, unknown> }).data);
    assert.deepEqual(phases.map((d) => d.phase), ["start", "end"]);
    assert.equal(phases[1]!.completed, true);

    // The history keeps every message, with the reference's compaction marker where it happened (the
    // turn's message is written before its run compacts).
    const history = await session.request<{ messages: (ChatMessage & { __openclaw?: Record<string, unknown> })[] }>(
      "chat.history",
      { sessionKey: MAIN },
    );
    const roles = history.messages.map((m) => m.role);
    assert.deepEqual(roles, ["user", "assistant", "user", "assistant", "user", "system", "assistant"]);
    const marker = history.messages[5]!;
    assert.deepEqual(marker.content, [{ type: "text", text: "Compaction" }]);
    assert.equal(marker.__openclaw?.kind, "compaction");
    assert.ok((marker.__openclaw?.tokensBefore as number) > (marker.__openclaw?.tokensAfter as number));

    // The turn after keeps reading the summary, not the compacted messages.
    await ask(session, "What do you remember?");
    const next = upstream.requests.at(-1)!;
    assert.doesNotMatch(sent(next), /a{100}/);
    assert.match(sent(next), /FACT-ALPHA7/);
    assert.match(sent(next), /c{100}/);
  });
});

Deno.test("a turn whose answer leaves the context near the window is compacted after it (the reference's post-turn maintenance)", async () => {
  await withGateway({ keepRecentTokens: 200 }, async ({ session, upstream }) => {
    const key = "agent:heavy:main";
    await ask(session, `Remember FACT-DELTA5. ${"a".repeat(700)}`, key);
    await ask(session, `Another note. ${"b".repeat(800)}`, key);
    // The provider counted the second prompt above the threshold: compacted after the answer is out.
    await until(() => upstream.requests.some(isSummaryRequest), "the post-turn summary request");
    const summaries = upstream.requests.filter(isSummaryRequest);
    assert.equal(summaries.length, 1);
    // The marker is written once the summary is back.
    await until(async () => {
      const page = await session.request<{ messages: ChatMessage[] }>("chat.history", { sessionKey: key });
      return page.messages.some((m) => m.role === "system");
    }, "the compaction marker");
    assert.match(sent(summaries[0]!), /FACT-DELTA5/);
    const history = await session.request<{ messages: ChatMessage[] }>("chat.history", { sessionKey: key });
    assert.deepEqual(history.messages.map((m) => m.role), ["user", "assistant", "user", "assistant", "system"]);
    await ask(session, "And now?", key);
    const next = upstream.requests.at(-1)!;
    assert.doesNotMatch(sent(next), /a{100}/);
    assert.match(sent(next), /compacted into the following summary:.*FACT-DELTA5/s);
    assert.match(sent(next), /b{100}/);
  });
});

Deno.test("a prompt the provider refuses as over its context is compacted and asked once more (overflow recovery)", async () => {
  await withGateway({ keepRecentTokens: 200 }, async ({ session, upstream }) => {
    const key = "agent:tiny:main";
    await ask(session, `Remember FACT-ECHO8. ${"a".repeat(1400)}`, key);
    const second = await ask(session, `Next. ${"b".repeat(1400)}`, key);
    assert.equal(second.status, "ok");
    assert.equal(second.result.payloads[0]!.text, "Noted.");
    const summaries = upstream.requests.filter(isSummaryRequest);
    assert.equal(summaries.length, 1);
    assert.match(sent(summaries[0]!), /FACT-ECHO8/);
    const retried = upstream.requests.at(-1)!;
    assert.doesNotMatch(sent(retried), /a{100}/);
    assert.match(sent(retried), /compacted into the following summary:.*FACT-ECHO8/s);
    const phases = session.events
      .filter((e) => e.event === "agent" && (e.payload as { stream: string }).stream === "compaction")
      .map((e) => (e.payload as { data: Record<string, unknown> }).data);
    assert.deepEqual(phases.at(-1), { phase: "end", completed: true, willRetry: true, outcome: "completed" });
  });
});

Deno.test("a tool loop that outgrows the model's context is compacted mid-run: the turn is split, its latest step kept, the run goes on", async () => {
  await withGateway({ keepRecentTokens: 200 }, async ({ session, upstream }) => {
    const key = "agent:looper:main";
    const result = await ask(session, "Work through it step by step, note FACT-START1.", key);
    // Before, the step refused as too long failed the run (recovery only before any tool ran).
    assert.equal(result.status, "ok");
    assert.equal(result.result.payloads.at(-1)!.text, "Noted.");
    const summary = upstream.requests.filter(isSummaryRequest).at(-1)!;
    assert.match(sent(summary), /beginning of one turn that was too long to keep/);
    assert.match(sent(summary), /FACT-START1/);
    assert.match(sent(summary), /FACT-LOOP1/);
    const looper = upstream.requests.filter((r) => r.model === "looper" && !isSummaryRequest(r));
    const at = upstream.requests.indexOf(summary);
    const [refused, retried, last] = [upstream.requests[at - 1]!, upstream.requests[at + 1]!, looper.at(-1)!];
    assert.ok(promptLength(refused) > 4000, "the refused step carried the whole loop");
    assert.match(sent(retried), /\*\*Turn Context \(split turn\):\*\*/);
    assert.match(sent(retried), /FACT-LOOP1/, "the summarized steps' facts survive in the summary");
    assert.doesNotMatch(sent(retried), /p{100}/, "the first step's notes are summarized, not sent again");
    const kept = (retried.messages as { role: string }[]).map((m) => m.role);
    // The summary, then the latest steps (about `keepRecentTokens`), each call with its result.
    assert.deepEqual(kept.slice(0, 3), ["system", "user", "assistant"]);
    assert.equal(kept.at(-1), "tool");
    assert.ok(kept.length < (refused.messages as unknown[]).length, "fewer messages than the refused step");
    // The step after it is sent the compacted context and what the loop added since, not the whole loop again.
    assert.notEqual(last, retried);
    assert.match(sent(last), /Turn Context \(split turn\)/);
    assert.match(sent(last), /w{100}/, "the step taken after the compaction");
    assert.doesNotMatch(sent(last), /p{100}/);
    assert.ok(promptLength(last) < 4000);
    const phases = session.events
      .filter((e) => e.event === "agent" && (e.payload as { stream: string }).stream === "compaction")
      .map((e) => (e.payload as { data: Record<string, unknown> }).data);
    assert.deepEqual(phases.at(-1), { phase: "end", completed: true, willRetry: true, outcome: "completed" });
    // The transcript keeps every step and marks the compaction.
    const history = await session.request<{ messages: ChatMessage[] }>("chat.history", { sessionKey: key });
    assert.ok(history.messages.some((m) => m.role === "system"), "the compaction marker");
    assert.equal(history.messages.filter((m) => m.role === "toolResult").length, looper.length - 2);
    assert.equal(upstream.requests.filter(isSummaryRequest).length, 1, "one compaction: the turn's beginning alone");
  });
});

Deno.test("/compact [instructions] and sessions.compact compact on demand; the next turn is sent the summary", async () => {
  await withGateway({ keepRecentTokens: 1 }, async ({ session, upstream }) => {
    const key = "agent:big:main";
    // Long enough that the summary is smaller than what it replaces (else nothing is written).
    await ask(session, `My locker code is FACT-BRAVO9. ${"x".repeat(1200)}`, key);
    await ask(session, "And my bus is FACT-LINE42.", key);
    const reply = await command(session, key, "/compact focus on the codes");
    assert.match(reply, /^⚙️ Compacted \(\d+(\.\d)?k? → \d+(\.\d)?k?\) • Context \d+(\.\d)?k?\/200k \(\d+%\)$/);
    const summary = upstream.requests.filter(isSummaryRequest).at(-1)!;
    assert.match(sent(summary), /FACT-BRAVO9/);
    assert.match(sent(summary), /Additional focus: focus on the codes/);
    assert.doesNotMatch(sent(summary), /FACT-LINE42/, "the last turn is the kept tail, not summarized");

    // Nothing said since: the kept tail is not compacted again.
    const again = await session.request<Record<string, unknown>>("sessions.compact", { key });
    assert.equal(again.compacted, false);
    assert.equal(again.reason, "Already compacted");

    await ask(session, "Which codes do I have?", key);
    const next = upstream.requests.at(-1)!;
    assert.doesNotMatch(sent(next), /My locker code is/);
    assert.match(sent(next), /compacted into the following summary:.*FACT-BRAVO9/s);
    assert.match(sent(next), /FACT-LINE42/);

    await ask(session, `Note FACT-CHARLIE3. ${"y".repeat(1200)}`, "agent:big:other");
    await ask(session, "Anything else?", "agent:big:other");
    const viaMethod = await session.request<{ ok: boolean; compacted: boolean; result: Record<string, unknown> }>(
      "sessions.compact",
      { key: "agent:big:other" },
    );
    assert.equal(viaMethod.ok, true);
    assert.equal(viaMethod.compacted, true);
    assert.match(String(viaMethod.result.summary), /FACT-CHARLIE3/);
    assert.equal(typeof viaMethod.result.firstKeptEntryId, "string");
  });
});

Deno.test("/compact on a session of one long turn splits it: the turn's beginning is summarized, its answer kept", async () => {
  await withGateway({ keepRecentTokens: 1 }, async ({ session, upstream }) => {
    const key = "agent:big:main";
    await ask(session, `Here is my document, remember FACT-SOLO11. ${"z".repeat(1600)}`, key);
    // One turn: no whole turn lies before the kept tail (before, this said "Nothing to compact").
    const reply = await command(session, key, "/compact");
    assert.match(reply, /^⚙️ Compacted \(/);
    const summary = upstream.requests.filter(isSummaryRequest).at(-1)!;
    assert.match(sent(summary), /beginning of one turn that was too long to keep/);
    assert.match(sent(summary), /FACT-SOLO11/);

    await ask(session, "What was the fact?", key);
    const next = upstream.requests.at(-1)!;
    assert.doesNotMatch(sent(next), /z{100}/, "the pasted document is summarized, not sent again");
    assert.match(sent(next), /No prior history\.\\n\\n---\\n\\n\*\*Turn Context \(split turn\):\*\*/);
    assert.match(sent(next), /FACT-SOLO11/);
    const messages = next.messages as { role: string }[];
    assert.deepEqual(
      messages.slice(1).map((m) => m.role),
      ["user", "assistant", "user"],
      "summary, kept answer, new turn",
    );
  });
});

Deno.test("/think high makes the next request carry the reasoning parameter on both wires; thinking reaches agent events and chat.history", async () => {
  await withGateway({}, async ({ session, upstream }) => {
    assert.equal(await command(session, MAIN, "/think high"), "Thinking level set to high.");
    assert.equal(
      await command(session, MAIN, "/think"),
      "Current thinking level: high.\nOptions: default, off, minimal, low, medium, high.",
    );
    const hello = await ask(session, "Hello?");
    assert.deepEqual((hello.result as { meta?: Record<string, unknown> }).meta?.requestShaping, { thinking: "high" });
    const openai = upstream.requests.at(-1)!;
    assert.equal(openai.reasoning_effort, "high");

    const thinking = session.events
      .filter((e) => e.event === "agent" && (e.payload as { stream: string }).stream === "thinking")
      .map((e) => (e.payload as { data: { text: string; delta: string } }).data);
    assert.deepEqual(thinking.map((d) => d.delta), THINKING_CHUNKS);
    assert.equal(thinking.at(-1)!.text, THINKING_CHUNKS.join(""));

    const history = await session.request<{ messages: ChatMessage[] }>("chat.history", { sessionKey: MAIN });
    assert.deepEqual((history.messages.at(-1)!.content as unknown[])[0], {
      type: "thinking",
      thinking: THINKING_CHUNKS.join(""),
    });

    // The run's own `thinking` wins over the session's level.
    await ask(session, "Quick one.", MAIN, { thinking: "low" });
    assert.equal(upstream.requests.at(-1)!.reasoning_effort, "low");
    // ... and stays the session's level, as the reference keeps an `agent` request's level.
    assert.match(await command(session, MAIN, "/think"), /^Current thinking level: low\./);
    // A word naming no level, and a level the model lacks, are refused in the reference's words.
    const requests = upstream.requests.length;
    await assert.rejects(
      ask(session, "Junk.", MAIN, { thinking: "banana" }),
      /Invalid thinking level\. Use one of: off, minimal, low, medium, high\./,
    );
    await assert.rejects(
      ask(session, "Too much.", MAIN, { thinking: "xhigh" }),
      /Thinking level "xhigh" is not supported for [^ ]+\. Use one of: off, minimal, low, medium, high\./,
    );
    assert.equal(upstream.requests.length, requests, "a refused level never reaches the model");

    // Anthropic: the level becomes `thinking: {type: "enabled", budget_tokens}`.
    const claude = "agent:claude:main";
    assert.equal(await command(session, claude, "/think medium"), "Thinking level set to medium.");
    await ask(session, "Hi Claude.", claude);
    const anthropic = upstream.requests.at(-1)!;
    // Inside the model's default 8192 output tokens, as the reference sends it.
    assert.deepEqual(anthropic.thinking, { type: "enabled", budget_tokens: 7168 });
    assert.equal(anthropic.max_tokens, 8192);
    const claudeHistory = await session.request<{ messages: ChatMessage[] }>("chat.history", { sessionKey: claude });
    assert.deepEqual((claudeHistory.messages.at(-1)!.content as unknown[])[0], {
      type: "thinking",
      thinking: THINKING_CHUNKS.join(""),
    });

    // The next turn replays the signed thinking to Anthropic, as the reference does.
    await ask(session, "Again, Claude.", claude);
    const replay = upstream.requests.at(-1)!.messages as { role: string; content: { type: string }[] }[];
    assert.deepEqual(replay[1]!.content[0], {
      type: "thinking",
      thinking: THINKING_CHUNKS.join(""),
      signature: "sig-ctx",
    });

    // Inside a tool loop, the tool step's signed thinking goes back before its tool call.
    const toolRun = await ask(session, "Which agents?", "agent:tooler:main");
    assert.equal(toolRun.status, "ok");
    const [callStep, resultStep] = upstream.requests.slice(-2) as {
      thinking?: unknown;
      messages: { role: string; content: { type: string; signature?: string }[] }[];
    }[];
    assert.deepEqual(callStep!.thinking, { type: "enabled", budget_tokens: 2048 });
    const stepMessage = resultStep!.messages.find((m) => m.role === "assistant")!;
    assert.deepEqual(stepMessage.content.map((c) => c.type), ["thinking", "tool_use"]);
    assert.equal(stepMessage.content[0]!.signature, "sig-ctx");

    // Off again: no reasoning parameter.
    assert.equal(await command(session, MAIN, "/think off"), "Thinking disabled.");
    await ask(session, "Plain now.");
    assert.equal(upstream.requests.at(-1)!.reasoning_effort, undefined);
    assert.match(
      await command(session, MAIN, "/think bogus"),
      /^Unrecognized thinking level "bogus"\. Valid levels: default, off/,
    );

    // A model without `compat.supportsReasoningEffort` is sent none, whatever the level (the reference's rule).
    assert.equal(await command(session, "agent:big:main", "/think high"), "Thinking level set to high.");
    await ask(session, "Big one.", "agent:big:main");
    assert.equal(upstream.requests.at(-1)!.reasoning_effort, undefined);
  });
});
