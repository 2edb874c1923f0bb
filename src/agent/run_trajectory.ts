// One run's trajectory runtime events, as the reference's runtime records them for a stored session:
// `session.started`, `trace.metadata`, `context.compiled`, `prompt.submitted`, a `tool.call`/`tool.result` pair per
// tool, then `model.completed`, `trace.artifacts` and `session.ended`. Recording only keeps references and times;
// the data is bounded, projected and masked when the rows are built (trajectory_writer.ts), after the run has
// answered, so the run's own path pays for a few array pushes.
import type { TokenUsage } from "./provider.ts";
import type { OfferedTool } from "./model_prompt.ts";
import type { ToolResult } from "./tool.ts";

/** What every event of a run repeats, known once its session and model are. */
export interface TrajectoryRunHeader {
  sessionId: string;
  sessionKey: string;
  runId: string;
  agentId: string;
  workspaceDir: string;
  provider: string;
  modelId: string;
  modelApi: string;
}

/** The host facts of `trace.metadata.harness` (the same for every run of a process). */
export interface TrajectoryHarness {
  version: string;
  os: { platform: string; arch: string; release: string; label: string };
  runtime: Record<string, string>;
  invocation: string[];
  entrypoint: string;
}

/** What the run knew when it began. */
export interface TrajectoryRunStart {
  trigger: string;
  channel?: string | undefined;
  toolCount: number;
  clientToolCount: number;
  thinkLevel?: string | undefined;
  timeoutMs?: number | undefined;
  disableTools: boolean;
  config: Record<string, unknown> | undefined;
}

/** How the run ended, in the reference's terminal fields. */
export interface TrajectoryRunEnd {
  status: "success" | "error" | "interrupted";
  aborted: boolean;
  timedOut: boolean;
  promptError?: string | undefined;
  usage: TokenUsage | undefined;
  assistantTexts: string[];
  stopReason: string;
  messages: readonly unknown[];
  compactionCount: number;
}

/** One recorded event before its data is bounded: the time it happened and the live references. */
export interface RecordedEvent {
  type: string;
  ts: string;
  data: Record<string, unknown>;
}

/** The reference's usage block: its four counts, their total and a zero cost (this gateway prices nothing). */
function usageOf(usage: TokenUsage | undefined): Record<string, unknown> | undefined {
  if (!usage) return undefined;
  const cacheRead = usage.cacheRead ?? 0;
  const cacheWrite = usage.cacheWrite ?? 0;
  return {
    input: usage.input,
    output: usage.output,
    cacheRead,
    cacheWrite,
    total: usage.input + usage.output + cacheRead + cacheWrite,
    cost: { total: 0 },
  };
}

/** The tool definitions as the reference lists them: name, description, parameters, by name. */
function toolDefinitions(tools: readonly OfferedTool[]): Record<string, unknown>[] {
  return tools.filter((tool) => tool.name.trim() !== "")
    .map((tool) => ({ name: tool.name.trim(), description: tool.description, parameters: tool.parameters }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A run's events, recorded as it goes and turned into rows once it has ended. */
export class RunTrajectory {
  readonly header: TrajectoryRunHeader;
  #events: RecordedEvent[] = [];
  #tools = new Map<string, { name: string; isError: boolean }>();
  #started = 0;
  #completed = 0;

  constructor(header: TrajectoryRunHeader) {
    this.header = header;
  }

  /** The events recorded so far, in order. */
  get events(): readonly RecordedEvent[] {
    return this.#events;
  }

  #record(type: string, data: Record<string, unknown>): void {
    this.#events.push({ type, ts: new Date().toISOString(), data });
  }

  /** `session.started` and `trace.metadata`. */
  started(start: TrajectoryRunStart, harness: TrajectoryHarness): void {
    const { header } = this;
    this.#record("session.started", {
      trigger: start.trigger,
      sessionFile: header.sessionKey,
      workspaceDir: header.workspaceDir,
      agentId: header.agentId,
      messageProvider: start.channel,
      messageChannel: start.channel,
      localModelLean: false,
      toolCount: start.toolCount,
      clientToolCount: start.clientToolCount,
    });
    this.#record("trace.metadata", {
      capturedAt: new Date().toISOString(),
      harness: {
        type: "openclaw",
        name: "OpenClaw",
        ...harness,
        workspaceDir: header.workspaceDir,
        sessionFile: header.sessionKey,
      },
      model: {
        provider: header.provider,
        name: header.modelId,
        api: header.modelApi,
        fastMode: false,
        thinkLevel: start.thinkLevel ?? "off",
        reasoningLevel: "off",
      },
      config: {
        redacted: start.config,
        runtime: {
          timeoutMs: start.timeoutMs,
          trigger: start.trigger,
          disableTools: start.disableTools,
          toolResultFormat: "markdown",
        },
      },
    });
  }

  /** `context.compiled` and `prompt.submitted`: what the model is about to be sent. */
  compiled(context: {
    systemPrompt: string;
    prompt: string;
    history: readonly unknown[];
    tools: readonly OfferedTool[];
    imagesCount: number;
    leafId?: string | undefined;
  }): void {
    const messages = [...context.history];
    this.#record("context.compiled", {
      systemPrompt: context.systemPrompt,
      prompt: context.prompt,
      messages,
      tools: toolDefinitions(context.tools),
      imagesCount: context.imagesCount,
      transcriptLeafId: context.leafId,
    });
    this.#record("prompt.submitted", {
      prompt: context.prompt,
      systemPrompt: context.systemPrompt,
      messages,
      imagesCount: context.imagesCount,
    });
  }

  /** `tool.call`: the model asked for a tool. */
  toolCall(call: { toolCallId: string; name: string; args: unknown }): void {
    this.#started++;
    this.#record("tool.call", { toolCallId: call.toolCallId, name: call.name, args: call.args });
  }

  /** `tool.result`: what the tool answered. */
  toolResult(call: { toolCallId: string; name: string }, result: ToolResult, isError: boolean): void {
    this.#completed++;
    this.#tools.set(call.toolCallId, { name: call.name, isError });
    this.#record("tool.result", {
      toolCallId: call.toolCallId,
      name: call.name,
      success: !isError,
      result: { content: result.content, ...(result.details ? { details: result.details } : {}) },
    });
  }

  /** `model.completed`, `trace.artifacts` and `session.ended`. */
  ended(end: TrajectoryRunEnd, finalPromptText: string): void {
    const terminal = {
      aborted: end.aborted,
      externalAbort: end.aborted,
      timedOut: end.timedOut,
      idleTimedOut: false,
      timedOutDuringCompaction: false,
      timedOutDuringToolExecution: false,
      timedOutByRunBudget: end.timedOut,
      promptError: end.promptError,
    };
    const outcome = {
      promptErrorSource: end.promptError ? "prompt" : null,
      usage: usageOf(end.usage),
      compactionCount: end.compactionCount,
      assistantTexts: end.assistantTexts,
      stopReason: end.stopReason,
      finalPromptText,
    };
    this.#record("model.completed", { ...terminal, ...outcome, messagesSnapshot: [...end.messages] });
    this.#record("trace.artifacts", {
      capturedAt: new Date().toISOString(),
      finalStatus: end.status,
      ...terminal,
      ...outcome,
      itemLifecycle: {
        startedCount: this.#started,
        completedCount: this.#completed,
        activeCount: this.#started - this.#completed,
      },
      toolMetas: [...this.#tools].map(([toolCallId, tool]) => ({
        toolName: tool.name,
        toolCallId,
        isError: tool.isError,
      })),
      didSendViaMessagingTool: false,
      successfulCronAdds: 0,
      messagingToolSentTexts: [],
      messagingToolSentMediaUrls: [],
      messagingToolSentTargets: [],
    });
    this.#record("session.ended", { status: end.status, ...terminal, stopReason: end.stopReason });
  }
}
