import assert from "node:assert/strict";
import type { ProviderSpec } from "../../src/agent/agents_config.ts";
import { ModelCooldowns } from "../../src/agent/model_cooldowns.ts";
import { RunError } from "../../src/agent/run_error.ts";
import { answerWithFailover, FailoverExhausted } from "../../src/agent/run_failover.ts";
import type { ModelCandidate } from "../../src/agent/run_target.ts";
import type { RetryLedger } from "../../src/agent/transient_retry.ts";

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
  const told: unknown[] = [];
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
    callFailed: (f) => told.push(["failed", f.candidate.ref.model, f.reason, f.position, f.next?.ref.model]),
    recovered: (c, position, failed) => told.push(["recovered", c.ref.model, position, failed.model, failed.error]),
    call: (c) => {
      called.push(c.ref.model);
      const answer = answers[c.ref.model]!;
      return typeof answer === "string" ? Promise.resolve(answer) : Promise.reject(
        new RunError("upstream", "Model request failed", { status: answer, providerDetail: `${answer} no` }),
      );
    },
  });
  return { done, lines, called, cooldowns, told };
}

Deno.test("answerWithFailover(): a 429 moves on to the next model, logs it and cools the first down", async () => {
  const { done, lines, called, cooldowns } = run({ a: 429, b: "hi" });
  const won = await done;
  assert.equal(won.answer, "hi");
  assert.deepEqual(won.candidate.ref, { provider: "p", model: "b" });
  assert.deepEqual(called, ["a", "b"]);
  assert.deepEqual(won.attempts, [
    { provider: "p", model: "a", result: "failed", reason: "rate_limit", status: 429, error: "429 no" },
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

Deno.test("answerWithFailover(): tells each failed call with its place in the chain, then the recovery", async () => {
  const { done, told } = run({ a: 429, b: 503, c: "hi" });
  await done;
  assert.deepEqual(told, [
    ["failed", "a", "rate_limit", 1, "b"],
    ["failed", "b", "server_error", 2, "c"],
    ["recovered", "c", 3, "b", "503 no"],
  ]);
  // A failure that ends the stage is told with nothing next, and nothing recovers.
  const ended = run({ a: 400 });
  await assert.rejects(ended.done, FailoverExhausted);
  assert.deepEqual(ended.told, [["failed", "a", undefined, 1, undefined]]);
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

/** Runs the stage with same-model retries: calls answer per model from a queue (the last answer repeats). */
function runRetrying(
  answers: Record<string, (number | string | RunError)[]>,
  options: { fallbacks?: string[]; maxRetries?: number; abortAt?: number } = {},
) {
  const lines: string[] = [];
  const called: string[] = [];
  const told: string[] = [];
  const waits: number[] = [];
  const ledgers = new Map<string, RetryLedger>();
  const calls = new Map<string, number>();
  const done = answerWithFailover({
    runId: "r1",
    primary: candidate("a"),
    fallbacks: (options.fallbacks ?? []).map(candidate),
    cooldowns: new ModelCooldowns(),
    log: { info: (l) => lines.push(l), warn: (l) => lines.push(l) },
    classify: (caught) => caught as RunError,
    streamed: () => false,
    retry: {
      ledgers,
      settings: { maxRetries: options.maxRetries, maxRetryDelayMs: 60_000 },
      wait: (ms) => {
        waits.push(ms);
        return waits.length === options.abortAt
          ? Promise.reject(new RunError("aborted", "This operation was aborted"))
          : Promise.resolve();
      },
      random: () => 0.5,
      now: () => waits.reduce((a, b) => a + b, 0),
      retrying: (c, error, retry) =>
        told.push(`${c.ref.model} ${error.status} ${retry.retryAttempt}/${retry.maxRetries}`),
      resumed: (c) => told.push(`resumed ${c.ref.model}`),
    },
    call: (c) => {
      called.push(c.ref.model);
      const queue = answers[c.ref.model]!;
      const n = calls.get(c.ref.model) ?? 0;
      calls.set(c.ref.model, n + 1);
      const answer = queue[Math.min(n, queue.length - 1)]!;
      if (typeof answer === "string") return Promise.resolve(answer);
      return Promise.reject(
        answer instanceof RunError ? answer : new RunError("upstream", "Model request failed", { status: answer }),
      );
    },
  });
  return { done, lines, called, told, waits, ledgers };
}

Deno.test("answerWithFailover(): a 503 is retried on the same model after the backoff, and answers", async () => {
  const { done, called, told, waits, lines } = runRetrying({ a: [503, "hi"] });
  const won = await done;
  assert.equal(won.answer, "hi");
  assert.deepEqual(called, ["a", "a"]);
  assert.deepEqual(told, ["a 503 1/8", "resumed a"]);
  assert.deepEqual(waits, [1000]);
  // A retried call is no failed attempt of the run's trace: the model answered.
  assert.deepEqual(won.attempts, [{ provider: "p", model: "a", result: "success" }]);
  assert.deepEqual(lines, ["transient same-model retry 1/8 for p/a reason=server_error: delayMs=1000"]);
});

Deno.test("answerWithFailover(): retries come first, then the fallback model, as the reference orders them", async () => {
  const { done, called, told, waits } = runRetrying({ a: [503], b: ["from b"] }, { fallbacks: ["b"], maxRetries: 2 });
  const won = await done;
  assert.equal(won.answer, "from b");
  assert.deepEqual(called, ["a", "a", "a", "b"]);
  assert.deepEqual(told, ["a 503 1/2", "resumed a", "a 503 2/2", "resumed a"]);
  assert.deepEqual(waits, [1000, 2000]);
  assert.deepEqual(won.attempts.map((a) => [a.model, a.result]), [["a", "failed"], ["b", "success"]]);
});

Deno.test("answerWithFailover(): with no retries left the failure ends the run; a 400 is never retried", async () => {
  const spent = runRetrying({ a: [503] }, { maxRetries: 1 });
  const failed = await spent.done.then(() => assert.fail("expected a failure"), (e) => e);
  assert.ok(failed instanceof FailoverExhausted);
  assert.deepEqual(spent.called, ["a", "a"]);
  const refused = runRetrying({ a: [400, "hi"] });
  await assert.rejects(refused.done, FailoverExhausted);
  assert.deepEqual([refused.called, refused.waits], [["a"], []]);
});

Deno.test("answerWithFailover(): a rate limit asking too long a wait goes to the fallback at once", async () => {
  const long = new RunError("upstream", "Model request failed", { status: 429, retryAfterMs: 120_000 });
  const { done, called, waits } = runRetrying({ a: [long], b: ["from b"] }, { fallbacks: ["b"] });
  assert.equal((await done).answer, "from b");
  assert.deepEqual([called, waits], [["a", "b"], []]);
});

Deno.test("answerWithFailover(): an abort during the wait ends the stage with the abort", async () => {
  const { done, called } = runRetrying({ a: [503, "hi"] }, { abortAt: 1 });
  const failed = await done.then(() => assert.fail("expected a failure"), (e) => e);
  assert.ok(failed instanceof FailoverExhausted);
  assert.equal(failed.error.kind, "aborted");
  assert.deepEqual(called, ["a"]);
});

Deno.test("answerWithFailover(): a model that answers keeps its retry count and reopens its window", async () => {
  const { done, ledgers } = runRetrying({ a: [503, "step 1"] });
  await done;
  assert.deepEqual(ledgers.get("p/a"), { count: 1, windowStartMs: undefined, rateLimitSeen: false });
});
