import assert from "node:assert/strict";
import type { RunOutcome } from "../../src/agent/runs.ts";
import { failedRunStatus } from "../../src/http/chat_api.ts";

function failed(over: Partial<RunOutcome>): RunOutcome {
  return {
    runId: "r",
    status: "error",
    text: "",
    stopReason: "error",
    error: "failed",
    upstreamStatus: undefined,
    usage: { input: 0, output: 0 },
    provider: null,
    model: null,
    sessionId: null,
    startedAt: 0,
    endedAt: 0,
    ...over,
  };
}

Deno.test("a failed plain run's HTTP status comes from its kind: the upstream's own, 404 for an unknown model, else 502", () => {
  assert.deepEqual(failedRunStatus(failed({ errorKind: "upstream", upstreamStatus: 401 })), {
    status: 401,
    type: "invalid_request_error",
  });
  assert.deepEqual(failedRunStatus(failed({ errorKind: "upstream", upstreamStatus: 503 })), {
    status: 503,
    type: "api_error",
  });
  assert.deepEqual(failedRunStatus(failed({ errorKind: "unknown_model", upstreamStatus: 404 })), {
    status: 404,
    type: "invalid_request_error",
  });
  for (const errorKind of ["unreachable", "timeout", "aborted", "storage", "internal", "unknown_agent"] as const) {
    assert.deepEqual(failedRunStatus(failed({ errorKind })), { status: 502, type: "api_error" }, errorKind);
  }
});
