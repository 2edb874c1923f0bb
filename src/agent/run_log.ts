import type { SessionWriteError } from "../sessions/store.ts";
import type { ProviderError } from "./provider.ts";
import type { RunOutcome } from "./runs.ts";

/** The log lines a run writes. */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
}

/**
 * What the log says about a failed run: its kind, the upstream status and a short reason. Texts
 * that came from outside (an upstream body, an OS error that may quote a URL with credentials)
 * are never copied, so the line stays free of secrets by construction; the run's own
 * descriptions (a timeout, an unknown model) are.
 */
function failureSummary(error: ProviderError | SessionWriteError): string {
  if (!("kind" in error)) return `kind=storage reason="session store write failed"`;
  const own = error.kind === "timeout" || error.kind === "unsupported" || error.kind === "aborted";
  const reason = own
    ? error.message
    : error.kind === "upstream"
    ? "model provider answered with an error"
    : error.kind === "unreachable"
    ? "model provider unreachable"
    : "model call failed";
  const status = error.status === undefined ? "" : ` status=${error.status}`;
  return `kind=${error.kind}${status} reason=${JSON.stringify(reason.slice(0, 200))}`;
}

/** Logs one run's end: run id, agent, session, outcome and duration; a failure's kind and short reason. */
export function logRunEnd(
  log: RunLog,
  run: {
    agentId: string;
    sessionKey: string;
    outcome: RunOutcome;
    failure?: ProviderError | SessionWriteError | undefined;
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
