import { getLogger } from "../log/logger.ts";
import { SessionWriteError } from "../sessions/store.ts";
import { RunError } from "./run_error.ts";
import type { RunOutcome } from "./runs.ts";

/**
 * The kind of whatever ended a run: a {@link RunError} is already classified; a store failure is
 * `storage` (its message names the session, never a path); anything else failed inside the
 * gateway (a workspace the OS refused, a provider package that did not load), and the caller
 * learns only that: the OS text, with its paths, goes to the log.
 */
export function runErrorOf(runId: string, caught: unknown): RunError {
  if (caught instanceof RunError) return caught;
  if (caught instanceof SessionWriteError) return new RunError("storage", caught.message, { cause: caught });
  getLogger("agent").error("run {runId} failed inside the gateway: {detail}", {
    runId,
    detail: caught instanceof Error ? caught.message : String(caught),
  });
  return new RunError("internal", "The agent run failed inside the gateway; the gateway log has the reason", {
    cause: caught,
  });
}

/** Who ran and when: the part of an outcome every ending shares. */
export interface RunFacts {
  runId: string;
  provider: string | null;
  model: string | null;
  sessionId: string | null;
  startedAt: number;
  endedAt: number;
}

/** The outcome of a run that answered. */
export function succeeded(
  facts: RunFacts,
  answer: {
    text: string;
    stopReason: string;
    usage: RunOutcome["usage"];
    responseModel?: string | undefined;
  },
): RunOutcome {
  return {
    runId: facts.runId,
    status: "ok",
    text: answer.text,
    stopReason: answer.stopReason,
    error: undefined,
    upstreamStatus: undefined,
    usage: answer.usage,
    provider: facts.provider,
    model: facts.model,
    sessionId: facts.sessionId,
    startedAt: facts.startedAt,
    endedAt: facts.endedAt,
    ...(answer.responseModel ? { responseModel: answer.responseModel } : {}),
  };
}

/** The outcome of a run that failed or was aborted, with what had arrived of the answer. */
export function failed(facts: RunFacts, error: RunError, text: string, replyReported = false): RunOutcome {
  const aborted = error.kind === "aborted";
  return {
    ...(replyReported ? { replyReported } : {}),
    runId: facts.runId,
    status: aborted ? "aborted" : "error",
    text,
    stopReason: aborted ? "aborted" : "error",
    error: error.message,
    errorKind: error.kind,
    upstreamStatus: error.status,
    usage: { input: 0, output: 0 },
    provider: facts.provider,
    model: facts.model,
    sessionId: facts.sessionId,
    startedAt: facts.startedAt,
    endedAt: facts.endedAt,
  };
}
