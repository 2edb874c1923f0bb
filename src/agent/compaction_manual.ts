// Compaction outside a model call: on demand (`/compact [instructions]`, `sessions.compact`: everything
// before the recent tail, `compaction.keepRecentTokens`, whatever the context's size), and after a turn
// (the reference's post-turn maintenance: only when the context the turn left nears the model's window).
import type { ModelEntry } from "../config/resolve_agents.ts";
import { providerSpecOf } from "../config/resolve_providers.ts";
import { type CredentialSlot, keyedOrAsIs } from "./run_credentials.ts";
import { DEFAULT_COMPACTION } from "../config/compaction_settings.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import type { AgentsConfig } from "./agents_config.ts";
import type { CompactionOutcome } from "./compaction_run.ts";
import { compactSession, contextMessages, sessionContext } from "./compaction_run.ts";
import { automaticKeepTokens, BELOW_THRESHOLD } from "./run_context.ts";
import { contextTokens, shouldCompact } from "./compaction.ts";
import type { ProviderModels } from "./provider.ts";
import { summarizer } from "./run_context.ts";
import { workspaceSystemPrompt } from "./workspace_files.ts";

/** What a manual compaction needs from the run engine. */
export interface ManualCompactionDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  models: ProviderModels;
  modelCatalog?(): readonly ModelEntry[];
  /** Where the summary call's key comes from (run_credentials.ts); the provider entry's key without it. */
  credentials?: CredentialSlot | undefined;
  /** Internal hooks: `session:compact:before`/`:after` around the compaction. */
  hooks?: InternalHookEmitter | undefined;
}

/** How a manual compaction ended, with the window the context is measured against. */
export type ManualCompaction = (CompactionOutcome | { compacted: false; reason: string; failed?: boolean }) & {
  contextWindow?: number | undefined;
};

/** Compacts one session now; a session without a transcript or a model reports why, nothing is written. */
export async function compactNow(
  deps: ManualCompactionDeps,
  target: { sessionKey: string; agentId: string },
  options: {
    runId: string;
    instructions?: string | undefined;
    signal: AbortSignal;
    /** `threshold`: only when the context nears the window (and `compaction.enabled`), keeping room for the summary. */
    trigger?: "manual" | "threshold" | undefined;
  },
): Promise<ManualCompaction> {
  const { sessionKey, agentId } = target;
  const agents = deps.agents();
  const agent = agents.agents.find((a) => a.id === agentId);
  const { row, messages } = await deps.sessions.history(sessionKey, agentId);
  if (!row) return { compacted: false, reason: "no sessionId" };
  if (messages.length === 0) return { compacted: false, reason: "no transcript" };
  const ref = row.providerOverride && row.modelOverride
    ? { provider: row.providerOverride, model: row.modelOverride }
    : agent?.model;
  const declared = ref ? providerSpecOf(agents, ref.provider) : undefined;
  const provider = declared && keyedOrAsIs(deps.credentials, declared, agentId);
  if (!agent || !ref || !provider) {
    return { compacted: false, reason: `no model configured for agent ${agentId}`, failed: true };
  }
  const catalog = deps.modelCatalog?.() ?? [];
  const model = summarizer({
    agent,
    provider,
    ref,
    catalog,
    providerOf: (wanted) => {
      const found = providerSpecOf(agents, wanted.provider);
      return found && keyedOrAsIs(deps.credentials, found, agentId);
    },
  });
  const settings = agent.compaction ?? DEFAULT_COMPACTION;
  const system = await workspaceSystemPrompt(agent, sessionKey);
  let keepTokens = settings.keepRecentTokens;
  if (options.trigger === "threshold") {
    const context = contextMessages(await sessionContext(deps.sessions, target, messages));
    const tokens = contextTokens(system, context);
    if (!shouldCompact(tokens, model.contextWindow, settings)) {
      return { compacted: false, reason: BELOW_THRESHOLD, tokensBefore: tokens, contextWindow: model.contextWindow };
    }
    keepTokens = automaticKeepTokens(settings, model.contextWindow, system);
  }
  try {
    const outcome = await compactSession({ sessions: deps.sessions, models: deps.models, hooks: deps.hooks }, {
      sessionKey,
      agentId,
      runId: options.runId,
      history: messages,
      system,
      model: {
        provider: model.provider,
        model: model.ref.model,
        contextWindow: model.contextWindow,
        providerOptions: model.providerOptions,
        maxOutputTokens: model.maxOutputTokens,
      },
      settings,
      instructions: options.instructions,
      keepTokens,
      signal: options.signal,
      sessionId: row.sessionId,
      requireFit: options.trigger === "threshold",
      // On demand, one long turn is compacted too, its end kept (the reference's retry with no recent tail).
      splitTurn: options.trigger === "threshold" ? undefined : "fallback",
    });
    return { ...outcome, contextWindow: model.contextWindow };
  } catch (caught) {
    const reason = caught instanceof Error ? caught.message : String(caught);
    return { compacted: false, reason, failed: true, contextWindow: model.contextWindow };
  }
}
