import type { StoredWorkContext } from "../sessions/work_context.ts";
import type { SessionStore, TranscriptMessage, TranscriptPart } from "../sessions/store.ts";
import type { RouteOrigin } from "../sessions/session_delivery.ts";
import type { ThinkingBlock } from "../sessions/transcript.ts";
import type { ToolResult } from "./tool.ts";
import type { RunningToolCall } from "./tool_loop.ts";

/** Where a run's turn is written: its session and agent. */
export interface TranscriptKey {
  sessionKey: string;
  agentId: string;
}

/**
 * Opens (or creates) the session a run continues; a stateless run has none. A session created now gets
 * `route` (the chat the run came from) in the same commit.
 */
export async function ensureSession(
  sessions: SessionStore,
  key: TranscriptKey & { persist: boolean; route?: RouteOrigin | undefined },
): Promise<string | null> {
  return key.persist ? (await sessions.ensure(key.sessionKey, key.agentId, key.route)).sessionId : null;
}

/**
 * Reads the history before this turn and writes the user's message before the model is asked,
 * so a crash loses only the answer. A stateless run reads and writes nothing: its caller holds
 * the conversation.
 */
export async function startTurn(
  sessions: SessionStore,
  turn: TranscriptKey & {
    persist: boolean;
    message: string;
    runId: string;
    senderIsOwner?: boolean;
    /** Images the message carried: kept in the transcript as `image` parts after the text, as the reference keeps them. */
    images?: readonly { data: string; mimeType: string }[] | undefined;
    workContext?: StoredWorkContext | undefined;
    /** A person's turn: it moves the session's `lastInteractionAt` (idle resets count from it). */
    interaction?: boolean | undefined;
  },
): Promise<{ history: TranscriptMessage[]; user: TranscriptMessage }> {
  const { sessionKey, agentId } = turn;
  const history = turn.persist ? (await sessions.history(sessionKey, agentId)).messages : [];
  const user = userMessage(turn);
  if (turn.persist) await sessions.append(sessionKey, agentId, [user], { interaction: turn.interaction === true });
  return { history, user };
}

/** What a turn's user message is made of. */
interface UserTurn {
  message: string;
  runId: string;
  senderIsOwner?: boolean;
  images?: readonly { data: string; mimeType: string }[] | undefined;
  /** The working context `message` carries, kept on the row as sent (`__openclaw.workContext`). */
  workContext?: StoredWorkContext | undefined;
}

function userMessage(turn: UserTurn): TranscriptMessage {
  return {
    role: "user",
    content: [
      { type: "text", text: turn.message },
      ...(turn.images ?? []).map((image) => ({ type: "image" as const, data: image.data, mimeType: image.mimeType })),
    ],
    timestamp: Date.now(),
    runId: turn.runId,
    ...(turn.senderIsOwner !== undefined ? { senderIsOwner: turn.senderIsOwner } : {}),
    ...(turn.workContext ? { workContext: turn.workContext } : {}),
  };
}

/**
 * {@link ensureSession}, recording `route` and {@link startTurn} of a persisted run in one commit: the session is
 * created (with its route) or its route recorded when it changed, and the user's message appended; the history
 * is what came before it. The rows are those the three steps write one commit each.
 */
export async function openTurn(
  sessions: SessionStore,
  turn: TranscriptKey & UserTurn & { route?: RouteOrigin | undefined; interaction?: boolean | undefined },
): Promise<{ sessionId: string; history: TranscriptMessage[]; user: TranscriptMessage }> {
  const user = userMessage(turn);
  const { row, history } = await sessions.openTurn(turn.sessionKey, turn.agentId, {
    route: turn.route,
    user,
    interaction: turn.interaction,
  });
  return { sessionId: row.sessionId, history, user };
}

/**
 * Records a complete answer at turn end, with the model that gave it and its usage, in one commit
 * after `preceding` (tool steps not yet written); returns the answer's message.
 */
export async function recordAnswer(
  sessions: SessionStore,
  key: TranscriptKey,
  answer: {
    text: string;
    runId: string;
    api: string;
    provider: string;
    model: string;
    stopReason: string;
    usage: { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined };
    responseId?: string | undefined;
    thinking?: ThinkingBlock[] | undefined;
  },
  preceding: readonly TranscriptMessage[] = [],
): Promise<TranscriptMessage> {
  const message: TranscriptMessage = {
    role: "assistant",
    content: [{ type: "text", text: answer.text }],
    timestamp: Date.now(),
    runId: answer.runId,
    api: answer.api,
    provider: answer.provider,
    model: answer.model,
    stopReason: answer.stopReason,
    usage: answer.usage,
    ...(answer.responseId ? { responseId: answer.responseId } : {}),
    ...(answer.thinking?.length ? { thinking: answer.thinking } : {}),
  };
  await sessions.append(key.sessionKey, key.agentId, [...preceding, message]);
  return message;
}

/** Who answered a step: the run, the wire API, the provider and model. */
export interface StepSource {
  runId: string;
  api: string;
  provider: string;
  model: string;
}

/**
 * The assistant's message of a step that called tools, as the reference stores it: its text, then
 * a `toolCall` block per call, stopReason `toolUse`, the step's own usage.
 */
export function toolStepMessage(
  step: {
    text: string;
    usage: TranscriptMessage["usage"];
    responseId?: string | undefined;
    thinking?: ThinkingBlock[] | undefined;
  },
  source: StepSource,
  calls: readonly RunningToolCall[],
): TranscriptMessage {
  const content: TranscriptPart[] = [
    ...(step.text ? [{ type: "text" as const, text: step.text }] : []),
    ...calls.map((call) => ({ type: "toolCall" as const, id: call.id, name: call.name, arguments: call.args })),
  ];
  return {
    role: "assistant",
    content,
    timestamp: Date.now(),
    runId: source.runId,
    api: source.api,
    provider: source.provider,
    model: source.model,
    stopReason: "toolUse",
    ...(step.usage ? { usage: step.usage } : {}),
    ...(step.responseId ? { responseId: step.responseId } : {}),
    ...(step.thinking?.length ? { thinking: step.thinking } : {}),
  };
}

/** A tool's answer to one call as the reference stores it: a `toolResult` message. */
export function toolResultMessage(
  call: RunningToolCall,
  result: ToolResult,
  isError: boolean,
  runId: string,
): TranscriptMessage {
  return {
    role: "toolResult",
    toolCallId: call.id,
    toolName: call.name,
    content: result.content,
    details: result.details ?? {},
    isError,
    timestamp: Date.now(),
    runId,
  };
}

/**
 * Keeps what an aborted run had streamed, marked `aborted`. Never throws: the store has logged and
 * recorded a failed write, and the run ends as aborted either way.
 */
export async function recordAbortedAnswer(
  sessions: SessionStore,
  key: TranscriptKey,
  partial: { text: string; runId: string; endedAt: number },
): Promise<void> {
  await sessions.append(key.sessionKey, key.agentId, [{
    role: "assistant",
    content: [{ type: "text", text: partial.text }],
    timestamp: partial.endedAt,
    runId: partial.runId,
    stopReason: "aborted",
  }]).catch(() => {});
}
