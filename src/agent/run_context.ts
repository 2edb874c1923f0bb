// What a run sends besides the message: the thinking level of each model it asks (and that level's
// provider options), and the session's context as the model sees it, compacted first when it nears
// the model's window.
import { ANTHROPIC_MESSAGES_APIS } from "../config/model_apis.ts";
import { builtInModelEntry } from "../config/built_in_model_entry.ts";
import type { ModelEntry } from "../config/resolve_agents.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore, TranscriptMessage } from "../sessions/store.ts";
import type { AgentSpec, ModelRef, ProviderSpec } from "./agents_config.ts";
import { contextTokens, DEFAULT_CONTEXT_WINDOW, estimateTokens, reserveTokens, shouldCompact } from "./compaction.ts";
import { type CompactionSettings, DEFAULT_COMPACTION } from "../config/compaction_settings.ts";
import { compactSession, contextMessages, sessionContext } from "./compaction_run.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import type { ProviderModels } from "./provider.ts";
import {
  resolveThinkingLevel,
  type ThinkingLevel,
  type ThinkingRequest,
  thinkingRequest,
  type ThinkingSources,
} from "./thinking_level.ts";

/**
 * A model's catalog entry (its window, whether it reasons, its thinking profile): the configured one,
 * else a built-in provider's (so `anthropic/claude-opus-5` runs at its plugin's default level, `high`).
 */
export function catalogEntry(catalog: readonly ModelEntry[], ref: ModelRef): ModelEntry | undefined {
  return catalog.find((m) => m.provider === ref.provider && m.id === ref.model) ?? builtInModelEntry(ref);
}

/** The thinking level a model runs at and what it adds to the request (provider options, output limit). */
export function thinkingFor(
  sources: ThinkingSources,
  provider: ProviderSpec,
  entry: ModelEntry | undefined,
): ThinkingRequest & { level: ThinkingLevel } {
  const level = resolveThinkingLevel(sources, entry);
  const wire = ANTHROPIC_MESSAGES_APIS.has(provider.api) ? "anthropic" : "openai";
  return { level, ...thinkingRequest(wire, level, entry) };
}

/** Where a run's thinking level may come from: its own parameter, its session's level, its agent's default. */
export async function thinkingSources(
  sessions: SessionStore,
  input: { sessionKey: string; agentId: string; thinking?: string | undefined; agent: AgentSpec; ephemeral: boolean },
): Promise<ThinkingSources> {
  const row = input.ephemeral ? undefined : await sessions.get(input.sessionKey, input.agentId);
  return { request: input.thinking, session: row?.thinkingLevel, configured: input.agent.thinkingDefault };
}

/** What preparing a run's context needs. */
export interface RunContextInput {
  sessions: SessionStore;
  models: ProviderModels;
  sessionKey: string;
  agentId: string;
  runId: string;
  agent: AgentSpec;
  system: string;
  /** The session's messages with this turn's user message last. */
  history: TranscriptMessage[];
  /** The model the run asks first (the summarizer, unless `compaction.model` names another). */
  provider: ProviderSpec;
  ref: ModelRef;
  catalog: readonly ModelEntry[];
  /** Resolves a `provider/model` the config names (a `compaction.model`). */
  providerOf(ref: ModelRef): ProviderSpec | undefined;
  signal: AbortSignal;
  /** The run's `compaction` agent events. */
  onCompaction(data: Record<string, unknown>): void;
  /** Internal hooks: `session:compact:before`/`:after` around a compaction in the run. */
  hooks?: InternalHookEmitter | undefined;
}

/** Why a threshold compaction did nothing: the context is below it. */
export const BELOW_THRESHOLD = "context is below the compaction threshold";

/** An automatic compaction's kept tail: `keepRecentTokens`, at most half of what the window leaves, so the summary fits beside it. */
export function automaticKeepTokens(settings: CompactionSettings, contextWindow: number, system: string): number {
  const budget = contextWindow - reserveTokens(contextWindow) - estimateTokens(system);
  return Math.max(0, Math.min(settings.keepRecentTokens, Math.floor(budget / 2)));
}

/** Parses `provider/model`; undefined when malformed. */
function refOf(text: string | undefined): ModelRef | undefined {
  const slash = text?.indexOf("/") ?? -1;
  return text && slash > 0 && slash < text.length - 1
    ? { provider: text.slice(0, slash), model: text.slice(slash + 1) }
    : undefined;
}

/** The model a compaction summarizes with: `compaction.model` when it names a configured provider, else the run's. */
export function summarizer(
  input: Pick<RunContextInput, "agent" | "provider" | "ref" | "catalog" | "providerOf">,
): {
  provider: ProviderSpec;
  ref: ModelRef;
  contextWindow: number;
  providerOptions?: Record<string, Record<string, unknown>>;
  maxOutputTokens?: number;
} {
  const configured = refOf(input.agent.compaction?.model);
  const provider = configured ? input.providerOf(configured) : undefined;
  const ref = provider && configured ? configured : input.ref;
  const chosen = provider ?? input.provider;
  const runEntry = catalogEntry(input.catalog, input.ref);
  // The reference summarizes at `low` thinking (clamped to what the model offers).
  const { providerOptions, maxOutputTokens } = thinkingFor(
    { request: "low" },
    chosen,
    catalogEntry(input.catalog, ref),
  );
  return {
    provider: chosen,
    ref,
    contextWindow: runEntry?.contextWindow ?? DEFAULT_CONTEXT_WINDOW,
    ...(providerOptions ? { providerOptions } : {}),
    ...(maxOutputTokens ? { maxOutputTokens } : {}),
  };
}

/**
 * The messages the model is sent for a session: after a compaction, its summary and what followed;
 * and when that nears the model's window (`contextWindow` minus the reserve), the older history is
 * compacted first (agent `compaction` events around it). A failed compaction is logged and the run
 * goes on with the history it has.
 */
export async function prepareRunContext(input: RunContextInput): Promise<TranscriptMessage[]> {
  const key = { sessionKey: input.sessionKey, agentId: input.agentId };
  const settings = input.agent.compaction ?? DEFAULT_COMPACTION;
  const messages = contextMessages(await sessionContext(input.sessions, key, input.history));
  const model = summarizer(input);
  if (!shouldCompact(contextTokens(input.system, messages), model.contextWindow, settings)) return messages;
  return await compactInRun(input, "threshold") ?? messages;
}

/**
 * After the provider refused the prompt as too long for its context (the reference's overflow
 * recovery): compacts whatever the threshold says and returns the smaller context to retry with;
 * undefined when nothing could be compacted (the refusal stands).
 */
export function compactAfterOverflow(input: RunContextInput): Promise<TranscriptMessage[] | undefined> {
  return compactInRun(input, "overflow");
}

/** The provider's words for a prompt over its context window, as the reference recognizes them. */
const OVERFLOW = new RegExp(
  [
    "context[ _-]?length",
    "context window",
    "maximum context",
    "request_too_large",
    "prompt is too long",
    "input is too long",
    "too many tokens",
    "exceeds? the (maximum|max)",
    "input token count exceeds",
  ].join("|"),
  "i",
);

/** Whether a failed model call was the provider refusing a prompt longer than its context. */
export function isContextOverflow(error: unknown): boolean {
  const texts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    texts.push(e.message);
    if ("responseBody" in e && typeof e.responseBody === "string") texts.push(e.responseBody);
  }
  return texts.some((text) => OVERFLOW.test(text));
}

/**
 * After a later step of a run was refused as longer than the model's context (its tool loop outgrew the window):
 * the session, this turn's settled steps included (`history`, as stored now), is compacted with the turn split so
 * its latest work is kept, as the reference's overflow recovery continues from settled tool results. The smaller
 * context to go on with, or undefined when nothing could be compacted (the refusal stands).
 */
export function compactMidRun(
  input: RunContextInput,
  history: TranscriptMessage[],
): Promise<TranscriptMessage[] | undefined> {
  return compactInRun({ ...input, history }, "overflow", "first");
}

/** Compacts a run's session mid-run; the new context, or undefined when nothing was compacted. */
async function compactInRun(
  input: RunContextInput,
  reason: "threshold" | "overflow",
  splitTurn?: "first",
): Promise<TranscriptMessage[] | undefined> {
  const key = { sessionKey: input.sessionKey, agentId: input.agentId };
  const settings = input.agent.compaction ?? DEFAULT_COMPACTION;
  const model = summarizer(input);
  const keepTokens = automaticKeepTokens(settings, model.contextWindow, input.system);
  input.onCompaction({ phase: "start" });
  try {
    const outcome = await compactSession({ sessions: input.sessions, models: input.models, hooks: input.hooks }, {
      ...key,
      runId: input.runId,
      history: input.history,
      system: input.system,
      model: {
        provider: model.provider,
        model: model.ref.model,
        contextWindow: model.contextWindow,
        providerOptions: model.providerOptions,
        maxOutputTokens: model.maxOutputTokens,
      },
      settings,
      keepTokens,
      signal: input.signal,
      requireFit: true,
      splitTurn,
      // As the reference's run: the hooks' replies travel as a `compaction` agent event of the run.
      onHookMessages: (phase, messages) =>
        input.onCompaction({
          phase: phase === "before" ? "start" : "end",
          ...(phase === "after" ? { completed: true } : {}),
          messages,
        }),
    });
    const completed = outcome.compacted;
    input.onCompaction({
      phase: "end",
      completed,
      willRetry: completed && reason === "overflow",
      outcome: completed ? "completed" : "skipped",
      ...(completed ? {} : { reason: outcome.reason }),
    });
    if (!completed) return undefined;
    getLogger("gateway/agent").info(
      `embedded run auto-compaction complete: runId=${input.runId} reason=${reason} ` +
        `tokensBefore=${outcome.tokensBefore} tokensAfter=${outcome.tokensAfter}`,
    );
    return contextMessages(await sessionContext(input.sessions, key, input.history));
  } catch (caught) {
    if (input.signal.aborted) throw caught;
    const why = caught instanceof Error ? caught.message : String(caught);
    input.onCompaction({ phase: "end", completed: false, willRetry: false, outcome: "failed", reason: why });
    getLogger("gateway/agent").warn(`embedded run auto-compaction failed: runId=${input.runId} reason=${why}`);
    return undefined;
  }
}
