import assert from "node:assert/strict";
import { failureCopy, replyFailureText } from "../../src/agent/failure_copy.ts";
import { ToolLoopStopped } from "../../src/agent/tool_loop_stopped.ts";
import { RUN_TIMEOUT_TEXT, RunError } from "../../src/agent/run_error.ts";

const model = { provider: "fake", model: "m" };
const upstream = (status: number, detail: string, overloaded = false) =>
  new RunError("upstream", `${status} our words`, { status, providerDetail: detail, overloaded });

Deno.test("failureCopy(): the recorded failures in the reference's words (tests/fixtures/run_retries, run_status)", () => {
  assert.equal(
    failureCopy(upstream(503, "503 Service Unavailable", true), model),
    "The AI service is temporarily overloaded. Please try again in a moment.",
  );
  assert.equal(
    failureCopy(upstream(429, "429 Rate limit reached; Retry-After: 1 seconds"), model),
    "⚠️ Rate limit reached; Retry-After: 1 seconds",
  );
  assert.equal(
    failureCopy(upstream(429, "429 Rate limit reached. Please try again in 20m."), model),
    "⚠️ Rate limit reached. Please try again in 20m.",
  );
  const dropped = new RunError("unreachable", "closed", { providerDetail: "terminated" });
  assert.equal(failureCopy(dropped, model), "LLM request timed out.");
  assert.equal(
    failureCopy(upstream(400, "400 bad request"), model),
    "LLM request failed: provider rejected the request schema or tool payload.",
  );
  assert.equal(
    failureCopy(upstream(500, "500 upstream exploded"), { provider: "fake", model: "http500" }),
    "⚠️ fake/http500 request failed (provider internal error, HTTP 500). This is usually temporary — try again shortly.",
  );
});

Deno.test("failureCopy(): the reference's copy tables for the rest; other failures keep the run's own words", () => {
  assert.equal(
    failureCopy(upstream(429, "429 Too Many Requests"), model),
    "⚠️ API rate limit reached. Please try again later.",
  );
  assert.equal(
    failureCopy(upstream(529, "529 Selected model is at capacity", true), model),
    "⚠️ Selected model is at capacity. Try a different model, or wait and retry.",
  );
  assert.match(
    failureCopy(upstream(401, "401 bad key"), model),
    /^Authentication failed \(provider returned HTTP 401\)/,
  );
  assert.match(failureCopy(upstream(404, "404 no such model"), model), /^The selected model was not found/);
  assert.match(failureCopy(upstream(402, "402 pay up"), model), /^⚠️ fake \(m\) returned a billing error/);
  assert.equal(
    failureCopy(upstream(400, "400 max_tokens: 99999 exceeds the maximum of 8192"), model),
    "LLM request rejected: configured maxTokens is 99999, above the provider maximum of 8192. Lower maxTokens and try again.",
  );
  assert.equal(
    failureCopy(upstream(403, "403 forbidden"), model),
    "⚠️ fake/m request failed (authentication failed, HTTP 403). Re-authenticate the provider and try again.",
  );
  assert.equal(
    failureCopy(new RunError("timeout", "Model fake/m did not answer within 5ms"), model),
    "LLM request timed out.",
  );
  assert.equal(failureCopy(new RunError("timeout", RUN_TIMEOUT_TEXT), model), RUN_TIMEOUT_TEXT);
  const refused = new RunError("unreachable", "unreachable", {
    providerDetail: "fetch failed",
    cause: new Error("error sending request: Connection refused (os error 111)"),
  });
  assert.equal(failureCopy(refused, model), "LLM request failed: connection refused by the provider endpoint.");
  assert.equal(
    failureCopy(new RunError("unreachable", "unreachable", { providerDetail: "fetch failed" }), model),
    "LLM request failed: network connection error.",
  );
  assert.equal(failureCopy(new RunError("storage", "Session store write failed"), model), "Session store write failed");
});

Deno.test("replyFailureText(): a chat.send run that failed before replying gets the reference's reply", () => {
  const failedOn = (reason: string | undefined, model = "m") => [{ provider: "fake", model, result: "failed", reason }];
  const overloaded = upstream(503, "503 Service Unavailable", true);
  assert.equal(
    replyFailureText(overloaded, failureCopy(overloaded, model), failedOn("overloaded")),
    "The AI service is temporarily overloaded. Please try again in a moment.",
  );
  const limited = upstream(429, "429 Rate limit reached; Retry-After: 1 seconds");
  assert.equal(
    replyFailureText(limited, failureCopy(limited, model), failedOn("rate_limit")),
    "⚠️ The model request was rate-limited. Please try again in a few minutes.",
  );
  assert.equal(
    replyFailureText(limited, "x", [...failedOn("rate_limit"), ...failedOn("overloaded", "m2")]),
    "⚠️ All attempted models were rate-limited or overloaded. Please try again in a few minutes.",
  );
  const refused = upstream(400, "400 bad request");
  assert.equal(
    replyFailureText(refused, failureCopy(refused, model), failedOn(undefined)),
    "⚠️ Agent failed before reply: LLM request failed: provider rejected the request schema or tool payload.\n" +
      "To view logs, run `openclaw logs --follow` in a terminal.",
  );
  assert.equal(replyFailureText(new RunError("timeout", RUN_TIMEOUT_TEXT), RUN_TIMEOUT_TEXT, []), RUN_TIMEOUT_TEXT);
  assert.equal(replyFailureText(new RunError("aborted", "aborted"), "aborted", []), undefined);
  const looped = new RunError("model_failed", "⚠️ Agent run failed (model: fake/m).", {
    cause: new ToolLoopStopped(),
  });
  assert.equal(replyFailureText(looped, looped.message, []), undefined);
});
