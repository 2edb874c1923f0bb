// A finished run's recorded events as the rows the reference stores: each event's envelope (schema, trace
// id = session id, source `runtime`, its time and 1-based order, the session, run and model) around its data,
// bounded, projected and masked, and the whole line kept within 256 KB.
import type { TrajectoryRow } from "../sessions/trajectory_runtime_store.ts";
import { boundedEventLine, type Projection, sanitizeTrajectoryData } from "./trajectory_payload.ts";
import type { RunTrajectory } from "./run_trajectory.ts";

/** The rows of `run`'s events, in order; an event that cannot be bounded is left out, as the reference drops it. */
export function trajectoryRows(
  run: RunTrajectory,
  project: Projection,
  redact: (text: string) => string,
  projectText: (text: string) => unknown = project,
): TrajectoryRow[] {
  const { header } = run;
  const rows: TrajectoryRow[] = [];
  let seq = 0;
  for (const recorded of run.events) {
    const event = {
      traceSchema: "openclaw-trajectory",
      schemaVersion: 1,
      traceId: header.sessionId,
      source: "runtime",
      type: recorded.type,
      ts: recorded.ts,
      seq: seq + 1,
      sourceSeq: seq + 1,
      sessionId: header.sessionId,
      sessionKey: header.sessionKey,
      runId: header.runId,
      workspaceDir: header.workspaceDir,
      provider: header.provider,
      modelId: header.modelId,
      modelApi: header.modelApi,
      data: sanitizeTrajectoryData(recorded.data, project, redact, projectText),
    };
    const line = boundedEventLine(event);
    if (line === undefined) continue;
    seq++;
    rows.push({ runId: header.runId, json: line, createdAt: Date.parse(recorded.ts) });
  }
  return rows;
}
