// One run of a stored session as its trajectory runtime events see it: the recorder (run_trajectory.ts), the
// transcript the run opened with, the messages it wrote since and the compactions it made, which its end
// reports, and the writer that stores the rows once the run has answered. Kept apart from the run's own stages
// (run_turn.ts) so they read as the run, with one optional call per event.
import type { TranscriptMessage } from "../sessions/store.ts";
import type { OfferedTool } from "./model_prompt.ts";
import { RunTrajectory, type TrajectoryRunEnd, type TrajectoryRunHeader } from "./run_trajectory.ts";
import type { RunRequest } from "./runs.ts";
import type { ToolResult } from "./tool.ts";
import type { TrajectoryWriter } from "./trajectory_writer.ts";

/** What started the run, in the reference's words: a person, a cron job's turn or a heartbeat. */
function triggerOf(request: RunRequest): string {
  if (!request.systemEvent) return "user";
  return request.sessionKey.includes(":cron:") ? "cron" : "heartbeat";
}

/** A run's trajectory from its opened session to its end; made by {@link startTurnTrajectory}. */
export class TurnTrajectory {
  readonly #writer: TrajectoryWriter;
  readonly #recorder: RunTrajectory;
  readonly #opened: readonly TranscriptMessage[];
  readonly #user: TranscriptMessage;
  readonly #prompt: string;
  #written: TranscriptMessage[] = [];
  #compactions = 0;

  constructor(
    writer: TrajectoryWriter,
    recorder: RunTrajectory,
    turn: { history: readonly TranscriptMessage[]; user: TranscriptMessage },
    prompt: string,
  ) {
    this.#writer = writer;
    this.#recorder = recorder;
    this.#opened = [...turn.history, turn.user];
    this.#user = turn.user;
    this.#prompt = prompt;
  }

  /** A message the run wrote to the transcript (the user's own, written first, is already counted). */
  wrote(message: TranscriptMessage): void {
    if (message !== this.#user) this.#written.push(message);
  }

  /** A compaction of the session's context completed. */
  compacted(): void {
    this.#compactions++;
  }

  /** `context.compiled` and `prompt.submitted`: what the model is about to be sent. */
  compiled(context: Parameters<RunTrajectory["compiled"]>[0]): void {
    this.#recorder.compiled(context);
  }

  /** `tool.call`: the model asked for a tool. */
  toolCall(call: { toolCallId: string; name: string; args: unknown }): void {
    this.#recorder.toolCall(call);
  }

  /** `tool.result`: what the tool answered. */
  toolResult(call: { toolCallId: string; name: string }, result: ToolResult, isError: boolean): void {
    this.#recorder.toolResult(call, result, isError);
  }

  /** The run's last events, then its rows handed to the writer (stored after the run has answered). */
  end(end: Omit<TrajectoryRunEnd, "messages" | "compactionCount">): void {
    const messages = [...this.#opened, ...this.#written];
    this.#recorder.ended({ ...end, messages, compactionCount: this.#compactions }, this.#prompt);
    this.#writer.write(this.#recorder);
  }
}

/** The run's trajectory with `session.started` and `trace.metadata` recorded: what the run knew when it began. */
export function startTurnTrajectory(
  writer: TrajectoryWriter,
  run: {
    header: TrajectoryRunHeader;
    request: RunRequest;
    tools: readonly OfferedTool[];
    config: Record<string, unknown> | undefined;
  },
  turn: { history: readonly TranscriptMessage[]; user: TranscriptMessage },
): TurnTrajectory {
  const { request, tools } = run;
  const recorder = new RunTrajectory(run.header);
  recorder.started({
    trigger: triggerOf(request),
    channel: request.origin?.channel,
    toolCount: tools.length,
    clientToolCount: request.clientTools?.length ?? 0,
    thinkLevel: request.thinking,
    timeoutMs: request.timeoutMs,
    disableTools: tools.length === 0,
    config: run.config,
  }, writer.harness);
  return new TurnTrajectory(writer, recorder, turn, request.message);
}
