import assert from "node:assert/strict";
import type { ProviderSpec } from "../../src/agent/agents_config.ts";
import { ModelCooldowns } from "../../src/agent/model_cooldowns.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { answerWithFailover, FailoverExhausted } from "../../src/agent/run_failover.ts";
import type { ModelCandidate } from "../../src/agent/run_target.ts";

const spec: ProviderSpec = {
  id: "p",
  baseUrl: "http://127.0.0.1:1/v1",
  apiKey: undefined,
  api: "openai-completions",
  headers: {},
  timeoutMs: 1000,
  models: ["a", "b", "c"],
};
const candidate = (model: string): ModelCandidate => ({ ref: { provider: "p", model }, spec });

/** Runs the stage with calls answering per model: an error status, or the text. */
function run(
  answers: Record<string, number | string>,
  options: { cooldowns?: ModelCooldowns; streamed?: boolean; fallbacks?: string[] } = {},
) {
  const lines: string[] = [];
  const called: string[] = [];
  const cooldowns = options.cooldowns ?? new ModelCooldowns();
  const done = answerWithFailover({
    runId: "r1",
    primary: candidate("a"),
    fallbacks: (options.fallbacks ?? ["b", "c"]).map(candidate),
    cooldowns,
    log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) },
    classify: (caught) => caught as RunError,
    streamed: () => options.streamed ?? false,
    call: (c) => {
      called.push(c.ref.model);
      const answer = answers[c.ref.model]!;
      return typeof answer === "string"
        ? Promise.resolve(answer)
        : Promise.reject(new RunError("upstream", "Model request failed", { status: answer }));
    },
  });
  return { done, lines, called, cooldowns };
}

Deno.test("answerWithFailover(): a 429 moves on to the next model, logs it and cools the first down", async () => {
  const { done, lines, called, cooldowns } = run({ a: 429, b: "hi" });
  const won = await done;
  assert.equal(won.answer, "hi");
  assert.deepEqual(won.candidate.ref, { provider: "p", model: "b" });
  assert.deepEqual(called, ["a", "b"]);
  assert.deepEqual(won.attempts, [
    { provider: "p", model: "a", result: "failed", reason: "rate_limit", status: 429 },
    { provider: "p", model: "b", result: "success" },
  ]);
  assert.match(
    lines[0]!,
    /decision=candidate_failed requested=p\/a candidate=p\/a .*reason=rate_limit status=429 next=p\/b/,
  );
  assert.match(
    lines[1]!,
    /decision=candidate_succeeded requested=p\/a candidate=p\/b .*from=p\/a fromReason=rate_limit/,
  );
  assert.deepEqual(cooldowns.active().map((c) => [c.model, c.reason]), [["a", "rate_limit"]]);
});

Deno.test("answerWithFailover(): a 400 ends the run at once, without cooldown", async () => {
  const { done, called, lines, cooldowns } = run({ a: 400, b: "hi" });
  const failed = await done.then(() => assert.fail("expected a failure"), (e) => e);
  assert.ok(failed instanceof FailoverExhausted);
  assert.equal(failed.error.status, 400);
  assert.deepEqual(called, ["a"]);
  assert.deepEqual(lines, []);
  assert.deepEqual(cooldowns.active(), []);
});

Deno.test("answerWithFailover(): nothing fails over once part of the answer was streamed", async () => {
  const { done, called } = run({ a: 429, b: "hi" }, { streamed: true });
  await assert.rejects(done, FailoverExhausted);
  assert.deepEqual(called, ["a"]);
});

Deno.test("answerWithFailover(): every model failing ends with the last error, chain exhausted", async () => {
  const { done, called, lines } = run({ a: 429, b: 503, c: 401 });
  const failed: FailoverExhausted = await done.then(() => assert.fail("expected a failure"), (e) => e);
  assert.equal(failed.error.status, 401);
  assert.deepEqual(called, ["a", "b", "c"]);
  assert.match(lines[2]!, /reason=auth status=401 next=none/);
  assert.deepEqual(failed.attempts.map((a) => a.reason), ["rate_limit", "server_error", "auth"]);
});

Deno.test("answerWithFailover(): a model cooling down is skipped by the next run; none configured: strict", async () => {
  const cooldowns = new ModelCooldowns();
  await run({ a: 529, b: "one" }, { cooldowns }).done;
  const second = run({ a: "never", b: "two" }, { cooldowns });
  const won = await second.done;
  assert.equal(won.answer, "two");
  assert.deepEqual(second.called, ["b"]);
  assert.match(second.lines[0]!, /decision=skip_candidate requested=p\/a candidate=p\/a reason=overloaded/);
  // With no fallbacks, the cooled-down model is still tried: the run is not failed without a call.
  const strict = run({ a: 429 }, { cooldowns, fallbacks: [] });
  await assert.rejects(strict.done, FailoverExhausted);
  assert.deepEqual(strict.called, ["a"]);
});
