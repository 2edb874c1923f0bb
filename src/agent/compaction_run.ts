// Compaction, the running part: the model's view of a session (the latest summary and what follows
// it), and compacting it: the older history summarized by a model, the summary kept in the transcript
// as the reference's `compaction` entry. Automatic (a run near its model's window) and manual
// (`/compact`, `sessions.compact`) compactions both come here.
import type { TranscriptMessage } from "../sessions/store.ts";
import type { SessionStore } from "../sessions/store.ts";
import { type CompactionEntry, compactionEvent, fromCompactionEvent } from "../sessions/compaction_entry.ts";
import type { ProviderSpec } from "./agents_config.ts";
import {
  type CompactionSettings,
  contextTokens,
  cutIndex,
  estimateTokens,
  messageTokens,
  reserveTokens,
  splitTurnCut,
  splitTurnSummary,
  SUMMARIZER_SYSTEM_PROMPT,
  summaryMessageText,
  summaryPrompt,
} from "./compaction.ts";
import { chunkBudget, chunkMessages, mergePrompt, summaryOutputTokens } from "./compaction_chunks.ts";
import { type ChatMessage, type ProviderModels, streamCompletion } from "./provider.ts";
import { RunError } from "./run_error.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import { compactionAfter, compactionBefore, type CompactionHookMessages } from "./compaction_hooks.ts";

/** A session as the model sees it: the latest compaction's summary (if any) and the messages it kept and that followed. */
export interface SessionContext {
  compaction?: CompactionEntry | undefined;
  messages: TranscriptMessage[];
}

/**
 * The model's view of a session's messages (`history`, oldest first, with their entry ids): after a
 * compaction, only the messages from its `firstKeptEntryId` on; before any, all of them.
 */
export async function sessionContext(
  sessions: SessionStore,
  key: { sessionKey: string; agentId: string },
  history: TranscriptMessage[],
): Promise<SessionContext> {
  const entries = await sessions.entries(key.sessionKey, key.agentId, "compaction");
  const latest = entries.at(-1);
  const compaction = latest ? fromCompactionEvent(latest.json) : undefined;
  if (!latest || !compaction) return { messages: history };
  const kept = history.findIndex((m) => m.id === compaction.firstKeptEntryId);
  // A kept entry this gateway cannot read (another writer's): what followed the compaction stays.
  return { compaction, messages: history.slice(kept >= 0 ? kept : latest.messagesBefore) };
}

/** The summary as the message the model reads first. */
export function summaryMessage(compaction: CompactionEntry): TranscriptMessage {
  return {
    role: "user",
    content: [{ type: "text", text: summaryMessageText(compaction.summary) }],
    timestamp: compaction.timestamp,
  };
}

/**
 * The messages a model is sent for a session context: the summary first, when there is one. A kept
 * message's usage counted the context before the compaction: it is dropped, so the next count
 * estimates the smaller context instead of repeating the old total.
 */
export function contextMessages(context: SessionContext): TranscriptMessage[] {
  const { compaction } = context;
  if (!compaction) return context.messages;
  const current = context.messages.map((m) => {
    if (m.usage === undefined || m.timestamp > compaction.timestamp) return m;
    const { usage: _stale, ...rest } = m;
    return rest;
  });
  return [summaryMessage(compaction), ...current];
}

/** The model a compaction summarizes with, and the window it compacts for. */
export interface CompactionModel {
  provider: ProviderSpec;
  model: string;
  contextWindow: number;
  /** Provider options of the summary call (its thinking level), when any. */
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** The summary's token limit the thinking level sets, if any. */
  maxOutputTokens?: number | undefined;
}

/** How a compaction ended. */
export type CompactionOutcome =
  | { compacted: true; entry: CompactionEntry; tokensBefore: number; tokensAfter: number }
  | { compacted: false; reason: string; tokensBefore: number; failed?: boolean };

/** The reference's reasons for a compaction with nothing to do. */
export const NOTHING_TO_COMPACT = "Nothing to compact (session too small)";
export const ALREADY_COMPACTED = "Already compacted";
/** The reference's reason for a summary that left the context no smaller. */
export const DID_NOT_REDUCE = "compaction did not reduce context";
/** Why an automatic compaction whose result would still be over the threshold was skipped. */
export const STILL_OVER_THRESHOLD = "compaction did not reduce context below the compaction threshold";
/** Why a compaction whose session was reset while it ran wrote nothing. */
export const SESSION_CHANGED = "session was reset during compaction";

/** What compacting needs. */
export interface CompactionDeps {
  sessions: SessionStore;
  models: ProviderModels;
  /** Internal hooks: `session:compact:before` and `session:compact:after` are awaited around the work. */
  hooks?: InternalHookEmitter | undefined;
}

/** One compaction to run. */
export interface CompactionRequest {
  sessionKey: string;
  agentId: string;
  /** The run (or manual operation) that compacts: the entry names it. */
  runId: string;
  /** The session's messages, oldest first, with entry ids (the current window). */
  history: TranscriptMessage[];
  /** The system prompt the next request carries (counted, never summarized). */
  system: string;
  model: CompactionModel;
  settings: CompactionSettings;
  /** `/compact <instructions>`: what the summary should focus on. */
  instructions?: string | undefined;
  /** How many recent tokens stay word for word. */
  keepTokens: number;
  signal: AbortSignal;
  /** The session the history belongs to: a reset in between (another sessionId) gets nothing written. */
  sessionId?: string | undefined;
  /** Automatic compaction: the result must also fit under the window's threshold, or it is skipped. */
  requireFit?: boolean | undefined;
  /** Replies the compaction hooks pushed (the caller delivers them, or nobody does). */
  onHookMessages?: CompactionHookMessages | undefined;
  /**
   * Whether the cut may fall inside a turn (its beginning then summarized apart, as the reference's planner does):
   * `fallback` (on demand) only when no whole turn lies before the kept tail, keeping `keepTokens` or else just the
   * last message (the reference's retry with no tail); `first` (a tool loop past the window) always, so the turn
   * being answered is split and its latest work kept. Absent: whole turns only.
   */
  splitTurn?: "fallback" | "first" | undefined;
}

/** Asks the model for a summary and returns its text (thinking is not part of it). */
async function summarize(
  deps: CompactionDeps,
  model: CompactionModel,
  prompt: string,
  signal: AbortSignal,
  kind: "history" | "turn-prefix" = "history",
): Promise<string> {
  const messages: ChatMessage[] = [{ role: "system", text: SUMMARIZER_SYSTEM_PROMPT }, { role: "user", text: prompt }];
  // The summary's size is capped (a thinking level's limit, which includes its budget, wins).
  const maxOutputTokens = model.maxOutputTokens ?? summaryOutputTokens(model.contextWindow, kind);
  let text = "";
  let finishReason = "";
  for await (
    const part of streamCompletion({
      provider: model.provider,
      model: model.model,
      messages,
      signal,
      models: deps.models,
      ...(model.providerOptions ? { providerOptions: model.providerOptions } : {}),
      maxOutputTokens,
    })
  ) {
    if (part.type === "delta") text += part.text;
    else if (part.type === "finish") finishReason = part.finishReason;
  }
  if (!text.trim()) throw new RunError("model_failed", "Summarization failed: model returned no summary text");
  // A summary the output limit cut off is kept, but says so: the next model knows it is incomplete.
  return finishReason === "length" ? `${text.trim()}\n\n${TRUNCATED_NOTE}` : text.trim();
}

/** What a summary the output limit cut off ends with. */
export const TRUNCATED_NOTE = "[Summary cut off at the output token limit: it may be incomplete.]";

/**
 * The summary of `older`: one request when it fits the summarizer's window, else each chunk
 * summarized (the first updating the previous summary) and the chunk summaries merged.
 */
async function stagedSummary(
  deps: CompactionDeps,
  request: CompactionRequest,
  older: TranscriptMessage[],
  previousSummary: string | undefined,
  kind: "history" | "turn-prefix" = "history",
): Promise<string> {
  const window = request.model.contextWindow;
  const frame = summaryPrompt({ messages: [], previousSummary, instructions: request.instructions, kind });
  const chunks = chunkMessages(older, chunkBudget(window, frame));
  if (chunks.length === 1) {
    const prompt = summaryPrompt({ messages: chunks[0]!, previousSummary, instructions: request.instructions, kind });
    return await summarize(deps, request.model, prompt, request.signal, kind);
  }
  const summaries: string[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const prompt = summaryPrompt({ messages: chunk, previousSummary: i === 0 ? previousSummary : undefined, kind });
    summaries.push(await summarize(deps, request.model, prompt, request.signal, kind));
  }
  const merge = mergePrompt(
    summaries,
    chunkBudget(window, mergePrompt([], 0, request.instructions)),
    request.instructions,
  );
  return await summarize(deps, request.model, merge, request.signal);
}

/**
 * Compacts a session: the messages before the kept tail (and the previous summary, if any) are
 * summarized, and a `compaction` entry naming the first kept message is appended. Nothing is
 * written when there is nothing older to summarize, or when the summary fails (the history stays).
 */
export async function compactSession(deps: CompactionDeps, request: CompactionRequest): Promise<CompactionOutcome> {
  const key = { sessionKey: request.sessionKey, agentId: request.agentId };
  // The session the compaction started on: a /new while the summary is written must not receive it.
  const sessionId = request.sessionId ?? (await deps.sessions.get(request.sessionKey, request.agentId))?.sessionId;
  const context = await sessionContext(deps.sessions, key, request.history);
  const tokensBefore = contextTokens(request.system, contextMessages(context));
  if (context.compaction && context.messages.length === 0) {
    return { compacted: false, reason: ALREADY_COMPACTED, tokensBefore };
  }
  const whole = request.splitTurn === "first" ? undefined : cutIndex(context.messages, request.keepTokens);
  // Nothing said since the last compaction: its kept tail is not split again (the reference names it so).
  const since = context.compaction?.timestamp;
  const idle = since !== undefined && !context.messages.some((m) => m.timestamp > since);
  const split = whole === undefined && request.splitTurn && !idle
    ? splitTurnCut(context.messages, request.keepTokens) ?? splitTurnCut(context.messages)
    : undefined;
  const cut = whole ?? split?.cut;
  const turnStart = whole === undefined ? split?.turnStart : undefined;
  const firstKept = cut === undefined ? undefined : context.messages[cut];
  if (cut === undefined || !firstKept?.id) {
    return { compacted: false, reason: idle ? ALREADY_COMPACTED : NOTHING_TO_COMPACT, tokensBefore };
  }
  // A split turn: the history before the turn and the turn's beginning are summarized apart.
  const older = context.messages.slice(0, turnStart ?? cut);
  const prefix = turnStart === undefined ? [] : context.messages.slice(turnStart, cut);
  const kept = context.messages.slice(cut);
  const viewed = contextMessages(context);
  await compactionBefore(deps.hooks, request.sessionKey, {
    sessionId,
    messageCount: viewed.length,
    tokenCount: tokensBefore,
    messageCountOriginal: request.history.length,
    tokenCountOriginal: request.history.reduce((sum, m) => sum + messageTokens(m), 0) + estimateTokens(request.system),
  }, request.onHookMessages);
  const previous = context.compaction?.summary;
  const history = older.length > 0 || prefix.length === 0
    ? await stagedSummary(deps, request, older, previous)
    : previous ?? "No prior history.";
  const summary = prefix.length === 0
    ? history
    : splitTurnSummary(history, await stagedSummary(deps, request, prefix, undefined, "turn-prefix"));
  const tokensAfter = estimateTokens(request.system) + estimateTokens(summaryMessageText(summary)) + 4 +
    kept.reduce((sum, m) => sum + messageTokens(m), 0);
  if (tokensAfter >= tokensBefore) return { compacted: false, reason: DID_NOT_REDUCE, tokensBefore };
  const window = request.model.contextWindow;
  if (request.requireFit && tokensAfter > window - reserveTokens(window)) {
    return { compacted: false, reason: STILL_OVER_THRESHOLD, tokensBefore };
  }
  const entry: CompactionEntry = {
    id: "",
    summary,
    firstKeptEntryId: firstKept.id,
    tokensBefore,
    tokensAfter,
    timestamp: Date.now(),
    runId: request.runId,
  };
  const id = await deps.sessions.appendEntry(
    request.sessionKey,
    request.agentId,
    "compaction",
    (id, parentId) => compactionEvent({ ...entry, id }, parentId),
    sessionId,
  );
  if (id === undefined) return { compacted: false, reason: SESSION_CHANGED, tokensBefore };
  entry.id = id;
  await compactionAfter(deps.hooks, request.sessionKey, {
    sessionId,
    messageCount: 1 + kept.length,
    tokensBefore,
    tokensAfter,
    compactedCount: Math.max(0, request.history.length - (1 + kept.length)),
    summaryLength: summary.length,
    firstKeptEntryId: firstKept.id,
  }, request.onHookMessages);
  return { compacted: true, entry, tokensBefore, tokensAfter };
}
