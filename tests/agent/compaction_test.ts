import assert from "node:assert/strict";
import {
  contextTokens,
  cutIndex,
  estimateTokens,
  formatContextUsage,
  formatTokenCount,
  reserveTokens,
  shouldCompact,
  splitTurnCut,
  splitTurnSummary,
  summaryMessageText,
  summaryPrompt,
} from "../../src/agent/compaction.ts";
import { isContextOverflow } from "../../src/agent/run_context.ts";
import { compactionSettings, DEFAULT_COMPACTION } from "../../src/config/compaction_settings.ts";
import type { TranscriptMessage } from "../../src/sessions/store.ts";

const msg = (role: "user" | "assistant", text: string, extra: Partial<TranscriptMessage> = {}): TranscriptMessage => ({
  role,
  content: [{ type: "text", text }],
  timestamp: 0,
  ...extra,
});

Deno.test("tokens are estimated at four characters each; the provider's last count wins when known", () => {
  assert.equal(estimateTokens(""), 0);
  assert.equal(estimateTokens("abcd"), 1);
  assert.equal(estimateTokens("abcde"), 2);
  const history = [msg("user", "x".repeat(400)), msg("assistant", "y".repeat(40))];
  assert.equal(contextTokens("s".repeat(40), history), 10 + 104 + 14);
  const counted = [
    ...history.slice(0, 1),
    msg("assistant", "y".repeat(40), { usage: { input: 500, output: 20 } }),
    msg("user", "z".repeat(80)),
  ];
  assert.equal(contextTokens("ignored: the provider counted it", counted), 500 + 20 + 24);
  // An aborted answer's usage is no count of the context.
  const aborted = [msg("assistant", "", { usage: { input: 900, output: 1 }, stopReason: "aborted" })];
  assert.equal(contextTokens("", aborted), 4);
});

Deno.test("compaction starts above the window minus the reserve (20k, at most a quarter of the window)", () => {
  assert.equal(reserveTokens(200_000), 20_000);
  assert.equal(reserveTokens(2000), 500);
  const on = DEFAULT_COMPACTION;
  assert.equal(shouldCompact(1500, 2000, on), false);
  assert.equal(shouldCompact(1501, 2000, on), true);
  assert.equal(shouldCompact(180_001, 200_000, on), true);
  assert.equal(shouldCompact(1_000_000, 2000, { ...on, enabled: false }), false);
});

Deno.test("the cut keeps whole turns: the earliest turn whose tail fits, never the first message, always the last turn", () => {
  const u = (n: number) => msg("user", "u".repeat(n * 4 - 16));
  const a = (n: number) => msg("assistant", "a".repeat(n * 4 - 16));
  // Each message costs its text plus 4: u(100) is 100 tokens.
  const history = [u(100), a(100), u(100), a(100), u(50)];
  assert.equal(cutIndex(history, 260), 2);
  assert.equal(cutIndex(history, 100), 4);
  assert.equal(cutIndex(history, 0), 4);
  assert.equal(cutIndex(history, 10_000), 2);
  assert.equal(cutIndex([u(10), a(10)], 0), undefined);
});

Deno.test("the smallest cut splits one long turn at its last message; a tool result stays with its call", () => {
  const tool = (text: string): TranscriptMessage => ({ ...msg("user", text), role: "toolResult" });
  // One turn: user, a tool call and its result, the answer. Cut at the answer; the turn's start is the user.
  const turn = [msg("user", "do it"), msg("assistant", "calling"), tool("result"), msg("assistant", "done")];
  assert.deepEqual(splitTurnCut(turn), { cut: 3, turnStart: 0 });
  // Ending in a tool result: the cut is at the call before it, so the pair stays together.
  assert.deepEqual(splitTurnCut(turn.slice(0, 3)), { cut: 1, turnStart: 0 });
  // Ending in a user message: a whole-turn cut, nothing split.
  assert.deepEqual(splitTurnCut([msg("user", "a"), msg("assistant", "b"), msg("user", "c")]), { cut: 2 });
  // A kept tail that starts mid-turn (after an earlier compaction): no turn start before the cut.
  assert.deepEqual(splitTurnCut([msg("assistant", "a"), tool("r"), msg("assistant", "b")]), { cut: 2 });
  // Nothing before the only message that can start the kept part.
  assert.equal(splitTurnCut([msg("user", "only")]), undefined);
  assert.equal(splitTurnCut([msg("assistant", "a"), tool("r")]), undefined);
  assert.equal(splitTurnCut([]), undefined);
  // Keeping a budget: the walk back stops once it is reached, at a message that can start the kept part.
  const long = [
    msg("user", "u".repeat(400)), // 100 tokens
    msg("assistant", "a".repeat(400)),
    tool("r".repeat(400)),
    msg("assistant", "b".repeat(400)),
    tool("s".repeat(400)),
  ];
  assert.deepEqual(splitTurnCut(long, 150), { cut: 3, turnStart: 0 }, "the last call and its result");
  // The budget is reached at a tool result: the cut stays at the call after it (a little less is kept).
  assert.deepEqual(splitTurnCut(long, 300), { cut: 3, turnStart: 0 }, "never at a tool result");
  assert.deepEqual(splitTurnCut(long, 350), { cut: 1, turnStart: 0 }, "two calls and their results");
  assert.equal(splitTurnCut(long, 10_000), undefined, "all of it fits: nothing to summarize");
  assert.equal(
    splitTurnSummary("No prior history.", "## Original Request"),
    "No prior history.\n\n---\n\n**Turn Context (split turn):**\n\n## Original Request",
  );
  const prompt = summaryPrompt({ messages: turn.slice(0, 3), kind: "turn-prefix" });
  assert.match(prompt, /beginning of one turn that was too long to keep/);
  assert.match(prompt, /## Original Request/);
  assert.doesNotMatch(prompt, /## Facts & Preferences/);
});

Deno.test("the summary prompt carries the conversation, the previous summary, the format asking for facts, and the focus", () => {
  const prompt = summaryPrompt({
    messages: [msg("user", "My code is FACT-1."), msg("assistant", "Noted.")],
    previousSummary: "Earlier: FACT-0.",
    instructions: "the codes",
  });
  assert.match(prompt, /^<conversation>\n\[User\]: My code is FACT-1\.\n\n\[Assistant\]: Noted\.\n<\/conversation>/);
  assert.match(prompt, /<previous-summary>\nEarlier: FACT-0\.\n<\/previous-summary>/);
  assert.match(prompt, /Keep every fact the user stated/);
  assert.match(prompt, /\n\nAdditional focus: the codes$/);
  assert.equal(
    summaryMessageText("S"),
    "The conversation history before this point was compacted into the following summary:\n\n<summary>\nS\n</summary>",
  );
});

Deno.test("token counts and context use are worded as the reference's /compact reply", () => {
  assert.equal(formatTokenCount(850), "850");
  assert.equal(formatTokenCount(1234), "1.2k");
  assert.equal(formatTokenCount(35_400), "35k");
  assert.equal(formatTokenCount(1_500_000), "1.5m");
  assert.equal(formatContextUsage(1234, 8000), "Context 1.2k/8.0k (15%)");
  assert.equal(formatContextUsage(undefined, undefined), "Context ?/?");
});

Deno.test("compaction settings read agents.defaults.compaction with the reference's defaults", () => {
  assert.deepEqual(compactionSettings(undefined), { enabled: true, keepRecentTokens: 20_000 });
  assert.deepEqual(compactionSettings({ enabled: false, keepRecentTokens: 500, model: " fake/sum " }), {
    enabled: false,
    keepRecentTokens: 500,
    model: "fake/sum",
  });
  assert.equal(compactionSettings({ keepRecentTokens: -1 }).keepRecentTokens, 20_000);
});

Deno.test("a provider's context-overflow refusal is recognized through the error's causes and body", () => {
  const upstream = Object.assign(new Error("Bad Request"), {
    responseBody: '{"error":{"message":"This model\'s maximum context length is 750 tokens."}}',
  });
  assert.ok(isContextOverflow(new Error("400 the model provider rejected the request", { cause: upstream })));
  assert.ok(isContextOverflow(new Error("prompt is too long: 210000 tokens > 200000 maximum")));
  assert.ok(isContextOverflow(new Error("request_too_large")));
  assert.ok(
    !isContextOverflow(new Error("400 the model provider rejected the request", { cause: new Error("bad key") })),
  );
  assert.ok(!isContextOverflow("context length"));
});
