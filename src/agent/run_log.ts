import type { RunError, RunErrorKind } from "./run_error.ts";
import type { RunOutcome } from "./runs.ts";

/** The log lines a run writes. */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * The log's word and reason for each kind. The words are the log's own vocabulary, older than the
 * kinds and grepped by operators, so a request the config cannot serve stays `unsupported`. A
 * reason is the run's own description (a timeout, an unknown model) only where the gateway wrote
 * it; texts from outside (an upstream body, an OS error that may quote a URL with credentials)
 * are never copied, so the line stays free of secrets by construction.
 */
const LOGGED: Record<RunErrorKind, { word: string; reason?: string }> = {
  "unknown_agent": { word: "unsupported" },
  "no_model": { word: "unsupported" },
  "unknown_model": { word: "unsupported" },
  "no_credentials": { word: "auth", reason: "no API key for the model provider" },
  unsupported: { word: "unsupported" },
  timeout: { word: "timeout" },
  aborted: { word: "aborted" },
  upstream: { word: "upstream", reason: "model provider answered with an error" },
  unreachable: { word: "unreachable", reason: "model provider unreachable" },
  "model_failed": { word: "failed", reason: "model call failed" },
  "client_tools": { word: "unsupported" },
  storage: { word: "storage", reason: "session store write failed" },
  internal: { word: "internal", reason: "run failed inside the gateway" },
};

/** What the log says about a failed run: its kind, the status its kind carries and a short reason. */
function failureSummary(error: RunError): string {
  const { word, reason = error.message } = LOGGED[error.kind];
  const status = error.status === undefined ? "" : ` status=${error.status}`;
  return `kind=${word}${status} reason=${JSON.stringify(reason.slice(0, 200))}`;
}

/** Logs one run's end: run id, agent, session, outcome and duration; a failure's kind and short reason. */
export function logRunEnd(
  log: RunLog,
  run: {
    agentId: string;
    sessionKey: string;
    outcome: RunOutcome;
    failure?: RunError | undefined;
  },
): void {
  const { outcome, failure } = run;
  const model = outcome.provider ? ` model=${outcome.provider}/${outcome.model}` : "";
  const line = `agent run ended: runId=${JSON.stringify(outcome.runId)} agent=${run.agentId} session=${
    JSON.stringify(run.sessionKey)
  } status=${outcome.status} durationMs=${outcome.endedAt - outcome.startedAt}${model}`;
  if (outcome.status === "ok") log.info(line);
  else log.warn(`${line}${failure ? ` ${failureSummary(failure)}` : ""}`);
}
