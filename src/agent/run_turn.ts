import type { SessionStore, TranscriptMessage } from "../sessions/store.ts";
import type { AgentsConfig } from "./agents_config.ts";
import type { OfferedTool, PromptMessage, ProviderModels } from "./provider.ts";
import { RUN_TIMEOUT_TEXT, RunDeadlineExpired, RunError } from "./run_error.ts";
import { explicitThinkingLevel } from "./thinking_level.ts";
import { runEvents } from "./run_events.ts";
import { answerWithFailover, FailoverExhausted, type ModelAttempt, type SameModelRetry } from "./run_failover.ts";
import { DEFAULT_PROVIDER_RETRY, type ProviderRetrySettings, retryingStatus } from "./transient_retry.ts";
import { abortableDelay } from "../async/delay.ts";
import type { RunLog } from "./run_log.ts";
import type { ModelCooldowns } from "./model_cooldowns.ts";
import { type ModelAnswer, streamAnswer, withoutImages } from "./run_model.ts";
import { modelAcceptsImages } from "../config/model_input.ts";
import { policyAllows } from "../config/model_policy.ts";
import { overrideNotAllowedMessage } from "../config/model_choice.ts";
import { failed, runErrorOf, type RunFacts, succeeded } from "./run_outcome.ts";
import { ensureWorkspace, resolveRunTarget } from "./run_target.ts";
import { credentialsIn, type CredentialSlot, keyedOrAsIs } from "./run_credentials.ts";
import {
  ensureSession,
  openTurn,
  recordAbortedAnswer,
  recordAnswer,
  startTurn,
  toolResultMessage,
  toolStepMessage,
} from "./run_transcript.ts";
import { StepWriter } from "./step_writer.ts";
import { attemptObservation, runFailureReport } from "./run_failure_report.ts";
import { announceFallback } from "./run_fallback_notice.ts";
import { failureCopy } from "./failure_copy.ts";
import { modelKey } from "./failover_policy.ts";
import { sessionKindFields } from "../sessions/session_kind.ts";
import { toolDetail, toolItemTitle } from "./tool_display.ts";
import type { RunOutcome, RunRequest } from "./runs.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import type { ToolFamily, ToolHost } from "./tool.ts";
import { type PendingToolCall, runConversation, withClientTools } from "./client_tools.ts";
import { agentTools } from "./tool_catalog.ts";
import { keptAgentTools, type ToolSets } from "./tool_sets.ts";
import { keptToolSearch, type SearchSurfaces, withToolSearch } from "./tool_search.ts";
import type { ToolValidators } from "./tool_call_validation.ts";
import { offeredTools } from "./offered_tools.ts";
import { toolMatcher } from "./tool_policy.ts";
import { type RunningToolCall, runToolLoop } from "./tool_loop.ts";
import { nestedToolCalls } from "./nested_tool_call.ts";
import { ToolLoopStopped } from "./tool_loop_stopped.ts";
import { liveToolResultMaxChars } from "./tool_result_limit.ts";
import { DEFAULT_CONTEXT_WINDOW } from "./compaction.ts";
import { workspaceSystemPrompt } from "./workspace_files.ts";
import type { BootstrapCache } from "./bootstrap_cache.ts";
import type { KeptSkills } from "./skills/kept_skill_roots.ts";
import type { ModelEntry } from "../config/resolve_agents.ts";
import {
  catalogEntry,
  compactAfterOverflow,
  compactMidRun,
  isContextOverflow,
  prepareRunContext,
  thinkingFor,
  thinkingSources,
} from "./run_context.ts";
import type { ModelRef, ProviderSpec } from "./agents_config.ts";
import { providerSpecOf } from "../config/resolve_providers.ts";
import type { RawSessionResetConfig } from "../config/session_reset_policy.ts";
import { resetIfStale } from "./session_auto_reset.ts";
import { startTurnTrajectory, type TurnTrajectory } from "./turn_trajectory.ts";
import { sessionRunError } from "../sessions/run_error_text.ts";
import type { TrajectoryWriter } from "./trajectory_writer.ts";

/** A message a run wrote to its session's transcript, with its 1-based position there. */
export interface WrittenMessage {
  sessionKey: string;
  agentId: string;
  sessionId: string;
  message: TranscriptMessage;
  seq: number;
}

/** What one turn needs from the run engine. */
export interface TurnDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  emit(event: "agent" | "chat", payload: Record<string, unknown>): void;
  models: ProviderModels;
  /** The gateway's model cooldowns: which models failed over lately and until when they are skipped. */
  cooldowns: ModelCooldowns;
  /** Where failover decisions are logged. */
  log: RunLog;
  /** Workspaces this process has made sure exist. */
  workspaces: Set<string>;
  /** Bootstrap files kept between runs while unchanged (bootstrap_cache.ts); read afresh each run without it. */
  bootstrapCache?: BootstrapCache;
  /** What runs keep of their skills (skills/kept_skill_roots.ts): roots absent or unchanged, binaries missing; walked each run without it. */
  keptSkills?: KeptSkills;
  /** Tool Search surfaces of earlier turns (tool_search.ts), reused while a turn offers the same tools. */
  toolSurfaces?: SearchSurfaces;
  /** The schema validators every tool call is checked with (tool_call_validation.ts), made at the first call. */
  toolValidators?: () => Promise<ToolValidators>;
  /** Told of each message written to a transcript, after it is on disk. */
  onMessage?(written: WrittenMessage): void;
  /** What the gateway lends tools; without it a run offers the model no tools. */
  toolHost?: ToolHost | undefined;
  /** Internal hooks: `agent:bootstrap` may change the run's bootstrap files. */
  hooks?: InternalHookEmitter | undefined;
  /** The tool families offered (the catalog's by default). */
  toolFamilies?: readonly ToolFamily[] | undefined;
  /** Agents' tools kept between runs (tool_sets.ts); every family is built each run without it. */
  toolSets?: ToolSets | undefined;
  /** The configured models (their context windows and reasoning), for compaction and thinking levels. */
  modelCatalog?(): readonly ModelEntry[];
  /** An agent's provider retry settings (provider_retry_settings.ts), read at each run; the defaults without it. */
  providerRetry?(agentId: string): Promise<ProviderRetrySettings>;
  /** Where each model call's key comes from (run_credentials.ts); the provider entry's key as written without it. */
  credentials?: CredentialSlot | undefined;
  /** Leaves earlier turns out of what the model is sent (quiet heartbeat turns); the transcript keeps them. */
  contextFilter?: ((agentId: string, messages: TranscriptMessage[]) => TranscriptMessage[]) | undefined;
  /** The `session` section as written: a person's turn first resets a stale session (session_auto_reset.ts). */
  sessionConfig?(): RawSessionResetConfig | undefined;
  /** The config as written: the `cfg` of the `session:auto-reset` event. */
  rawConfig?(): Record<string, unknown>;
  /** Told when a `session:auto-reset` handler fails. */
  onHookError?(error: unknown): void;
  /** Where a stored session's runs leave their trajectory runtime events; none are recorded without it. */
  trajectory?: TrajectoryWriter | undefined;
}

/** What started a run, in the reference's trigger words. */
/**
 * The request with its session's chosen model (`sessions.patch` `model`) when it names none itself.
 * A choice the agent's model policy no longer allows (the list was tightened since) is passed over
 * and the run uses the agent's model, as the reference does; the session keeps its choice.
 */
async function withSessionModel(
  sessions: SessionStore,
  request: RunRequest,
  agents: AgentsConfig,
): Promise<RunRequest> {
  if (request.model || request.ephemeral) return request;
  const row = await sessions.get(request.sessionKey, request.agentId);
  if (!row?.providerOverride || !row.modelOverride) return request;
  const chosen = { provider: row.providerOverride, model: row.modelOverride };
  const policy = agents.agents.find((a) => a.id === request.agentId)?.modelPolicy;
  return policy && !policyAllows(policy, chosen) ? request : { ...request, model: chosen };
}

/**
 * Refuses a model the request itself names (`agent` with `model`, a hook's or cron job's model) that
 * the agent's model policy does not allow, in the reference's words.
 */
function refuseForbiddenOverride(agents: AgentsConfig, request: RunRequest): void {
  const policy = agents.agents.find((a) => a.id === request.agentId)?.modelPolicy;
  if (!request.model || !policy || policyAllows(policy, request.model)) return;
  throw new RunError("unsupported", overrideNotAllowedMessage(request.model, request.agentId, policy));
}

/**
 * The run's model attempts after one more step's: a step that answered on the model the last one
 * answered on adds nothing (a 50-step run on one model is one attempt, as the reference reports it).
 */
function joinAttempts(attempts: ModelAttempt[], step: readonly ModelAttempt[]): ModelAttempt[] {
  const last = attempts.at(-1);
  const same = step.length === 1 && step[0]!.result === "success" && last?.result === "success" &&
    last.provider === step[0]!.provider && last.model === step[0]!.model;
  return same ? attempts : [...attempts, ...step];
}

/**
 * One run, stage by stage: resolve the agent and model → open the session (the user's message is
 * written first) → stream the model → record the answer → the outcome and its events. Whatever
 * fails ends the run with a kind ({@link runErrorOf}); an aborted run keeps what had streamed.
 */
export async function runTurn(
  deps: TurnDeps,
  request: RunRequest,
  signal: AbortSignal,
): Promise<{ outcome: RunOutcome; failure?: RunError }> {
  const { agentId, sessionKey } = request;
  const runId = request.idempotencyKey;
  const facts: RunFacts = { runId, provider: null, model: null, sessionId: null, startedAt: Date.now(), endedAt: 0 };
  const { startedAt } = facts;
  // A stateless call's stream belongs to its HTTP caller alone: nothing is broadcast.
  const events = runEvents(request.ephemeral ? () => {} : deps.emit, {
    runId,
    sessionKey,
    agentId,
    acceptedAt: request.acceptedAt,
    chatSend: request.chatSend === true,
  });
  let text = "";
  let attempts: ModelAttempt[] = [];
  // The run's tool steps not yet in the transcript (once the session is open).
  let stepWriter: StepWriter | undefined;
  // The run's trajectory events: a stored session's, when a writer is given, from the session's opening on.
  let trajectory: TurnTrajectory | undefined;
  events.started(startedAt);
  try {
    refuseForbiddenOverride(deps.agents(), request);
    const { agent, ref, spec, fallbacks } = resolveRunTarget(
      deps.agents(),
      await withSessionModel(deps.sessions, request, deps.agents()),
    );
    facts.provider = ref.provider;
    facts.model = ref.model;
    // An `agent` request's own level is refused before anything is written when the model lacks it.
    const override = request.thinkingOverride && request.thinking !== undefined
      ? explicitThinkingLevel(request.thinking, catalogEntry(deps.modelCatalog?.() ?? [], ref), ref)
      : undefined;
    if (override && "error" in override) throw new RunError("unsupported", override.error);
    // Each agent works in its own directory; create it (private) on first use.
    await ensureWorkspace(deps.workspaces, agent.workspace);
    // The workspace is the agent: its bootstrap files, current at each run, are the system
    // prompt. It goes to the model only; the transcript keeps the conversation.
    const all = !deps.toolHost
      ? []
      : deps.toolSets
      ? await keptAgentTools(deps.toolSets, deps.toolHost, agent, deps.toolFamilies)
      : await agentTools(deps.toolHost, agent, deps.toolFamilies);
    // A cron job's `toolsAllow` narrows the agent's tools further; `lightContext` skips bootstrap files.
    const allow = request.toolsAllow ? toolMatcher(request.toolsAllow) : undefined;
    // The turn's sender and the tools left decide the rest (offered_tools.ts): owner-only tools, descriptions, order.
    const reachable = offeredTools(allow ? all.filter((tool) => allow(tool.name)) : all, {
      senderIsOwner: request.senderIsOwner ?? true,
    });
    // Tool Search (tool_search.ts): the core tools and its controls, the rest through them; the controls are offered
    // over an empty catalog too (a `minimal` profile), as the reference's.
    const toolSearch = deps.toolHost?.config().toolSearch;
    const surface = !toolSearch
      ? { tools: reachable }
      : deps.toolSurfaces
      ? keptToolSearch(deps.toolSurfaces, reachable, toolSearch)
      : withToolSearch(reachable, toolSearch);
    const agentOwn = surface.tools;
    // An HTTP caller's own tools: a call to one goes back to the caller (client_tools.ts); a clash is refused here, before anything is written.
    const pendingCalls: PendingToolCall[] = [];
    const tools = request.clientTools?.length ? withClientTools(agentOwn, request.clientTools, pendingCalls) : agentOwn;
    const prompted = request.lightContext ? { ...agent, contextInjection: "never" as const } : agent;
    const system = await workspaceSystemPrompt(
      prompted,
      sessionKey,
      new Set(reachable.map((tool) => tool.name)),
      deps.bootstrapCache,
      deps.keptSkills,
      { hooks: deps.hooks, toolDirectory: surface.directory },
    );
    const persist = !request.ephemeral;
    // A channel's message makes its chat the session's `last` route (cron/heartbeat/hook delivery), written
    // in the same commit as the session's creation or the user's message.
    const origin = request.origin;
    const route = persist && origin?.to && request.recordRoute !== false ? { ...origin, to: origin.to } : undefined;
    const userTurn = {
      sessionKey,
      agentId,
      persist,
      message: request.message,
      runId,
      senderIsOwner: request.senderIsOwner ?? true,
      images: request.images,
      workContext: request.workContext,
      interaction: !request.systemEvent,
    };
    // A person's message to a session its reset policy finds stale starts a new session window first.
    if (persist && !request.systemEvent && deps.sessionConfig) {
      await resetIfStale({
        sessions: deps.sessions,
        sessionConfig: deps.sessionConfig,
        agents: deps.agents,
        hooks: deps.hooks,
        rawConfig: deps.rawConfig,
        onHookError: deps.onHookError,
      }, { agentId, sessionKey, channel: origin?.channel });
    }
    let turn: { history: TranscriptMessage[]; user: TranscriptMessage };
    if (persist && !override) {
      // One commit: the session (created with its route, or its route if changed), then the user's message.
      const opened = await openTurn(deps.sessions, { ...userTurn, route }).catch(async (error) => {
        // As with the separate steps: a run whose opening write failed still names the session it was to continue.
        facts.sessionId = (await deps.sessions.get(sessionKey, agentId).catch(() => undefined))?.sessionId ?? null;
        throw error;
      });
      facts.sessionId = opened.sessionId;
      turn = opened;
    } else {
      facts.sessionId = await ensureSession(deps.sessions, { sessionKey, agentId, persist, route });
      if (route) await deps.sessions.recordRoute(sessionKey, agentId, route);
      // The reference keeps an `agent` request's level as the session's from then on.
      if (override && persist) await deps.sessions.update(sessionKey, agentId, { thinkingLevel: override.level });
      turn = await startTurn(deps.sessions, userTurn);
    }
    const sessionId = facts.sessionId;
    const written = (message: TranscriptMessage, seq: number) => {
      if (persist && sessionId) deps.onMessage?.({ sessionKey, agentId, sessionId, message, seq });
      trajectory?.wrote(message);
    };
    if (persist && sessionId && deps.trajectory) {
      const { provider, model: modelId } = ref;
      const header = { sessionId, sessionKey, runId, agentId, workspaceDir: agent.workspace, provider, modelId };
      trajectory = startTurnTrajectory(deps.trajectory, {
        header: { ...header, modelApi: spec.api },
        request,
        tools,
        config: deps.rawConfig?.(),
      }, turn);
    }
    // Each message's 1-based position in the transcript, as `session.message` reports it.
    let position = turn.history.length + 1;
    written(turn.user, position);
    // Tool steps reach the transcript in shared commits (step_writer.ts); the answer's takes the rest.
    let outputTokens = 0;
    const succeededTools = new Set<string>();
    const steps = new StepWriter(async (messages) => {
      if (!persist) return;
      await deps.sessions.append(sessionKey, agentId, messages);
      for (const message of messages) written(message, ++position);
    });
    stepWriter = steps;
    const catalog = deps.modelCatalog?.() ?? [];
    let thinkingLevel: string | undefined;
    const thinking = await thinkingSources(deps.sessions, { ...request, agent, ephemeral: !persist });
    // Compaction calls the model with the key a run's call would send.
    const keyedForCompaction = (candidateSpec: ProviderSpec) => keyedOrAsIs(deps.credentials, candidateSpec, agentId);
    // A kept session is sent as the model sees it: compacted first when it nears the window.
    const contextInput = persist
      ? {
        sessions: deps.sessions,
        models: deps.models,
        sessionKey,
        agentId,
        runId,
        agent,
        system,
        history: [...turn.history, turn.user],
        provider: keyedForCompaction(spec),
        ref,
        catalog,
        providerOf: (wanted: ModelRef) => {
          const found = providerSpecOf(deps.agents(), wanted.provider);
          return found && keyedForCompaction(found);
        },
        signal,
        onCompaction: (data: Record<string, unknown>) => {
          if (data.outcome === "completed") trajectory?.compacted();
          events.compaction(data);
        },
        hooks: deps.hooks,
      }
      : undefined;
    const prepared = contextInput ? await prepareRunContext(contextInput) : [...turn.history, turn.user];
    // The filter sees what came before this turn's message, never the message itself.
    const history = deps.contextFilter
      ? [...deps.contextFilter(agentId, prepared.slice(0, -1)), ...prepared.slice(-1)]
      : prepared;
    // Images in the conversation go only to a model that reads them (the session may have moved to another model).
    // The caller's tool calls and results after its message (a stateless follow-up) come after it, on the wire.
    const conversation = runConversation(request.context, history, request.continuation);
    const messages = [
      { role: "system" as const, text: system },
      ...(modelAcceptsImages(catalog, ref) ? conversation : withoutImages(conversation)),
    ];
    trajectory?.compiled({
      systemPrompt: system,
      prompt: request.message,
      history: turn.history,
      tools,
      imagesCount: request.images?.length ?? 0,
    });
    let candidate = { ref, spec };
    // A transient failure is retried on the same model before failover, with a budget per model for the whole run.
    const retry: SameModelRetry = {
      ledgers: new Map(),
      settings: deps.providerRetry ? await deps.providerRetry(agentId) : DEFAULT_PROVIDER_RETRY,
      wait: (ms) =>
        abortableDelay(ms, signal).catch((reason) => {
          throw new RunError("aborted", "This operation was aborted", { cause: reason });
        }),
      random: Math.random,
      now: Date.now,
      retrying: (failed, error, next) => {
        const errorObservation = attemptObservation(error, failed.ref);
        events.retrying({ error: failureCopy(error, failed.ref), errorObservation, status: retryingStatus(next) });
      },
      resumed: () => events.retryStarted(Date.now()),
    };
    // One model step: the model (with failover) over the conversation so far. Failover moves on
    // only while nothing of this step has reached the client.
    let modelSteps = 0;
    // Whether the step being asked has sent the client anything yet (then no failover, no compaction and retry).
    let streamed = false;
    const callModel = async (
      prompt: readonly PromptMessage[],
      offered: readonly OfferedTool[],
    ): Promise<ModelAnswer> => {
      modelSteps++;
      streamed = false;
      const won = await answerWithFailover({
        runId,
        primary: { ref, spec },
        fallbacks,
        cooldowns: deps.cooldowns,
        log: deps.log,
        classify: (caught) => runErrorOf(runId, caught),
        streamed: () => streamed,
        retry,
        callFailed: ({ candidate: failed, error, reason, position, next }) => {
          // An abort ends the run as a stop (its own events), not as a failed attempt.
          if (error.kind === "aborted") return;
          const errorObservation = attemptObservation(error, failed.ref);
          const stepReason = reason ?? errorObservation.failoverReason;
          events.callFailed({
            error: failureCopy(error, failed.ref),
            errorObservation,
            step: stepReason === undefined ? undefined : {
              from: modelKey(failed.ref),
              to: next ? modelKey(next.ref) : undefined,
              reason: stepReason,
              detail: error.providerDetail ?? error.message,
              position,
              outcome: next ? "next_fallback" : "chain_exhausted",
            },
            next: next ? { startedAt: Date.now() } : undefined,
          });
        },
        recovered: (answered, position, failed) =>
          events.recovered({
            from: `${failed.provider}/${failed.model}`,
            to: modelKey(answered.ref),
            reason: failed.reason,
            detail: failed.error,
            position,
            outcome: "succeeded",
          }),
        call: (candidate) => {
          // The outcome names the model that answered (or failed last), not the one first asked.
          facts.provider = candidate.ref.provider;
          facts.model = candidate.ref.model;
          events.modelCalled(candidate.ref.provider, candidate.ref.model);
          const level = thinkingFor(thinking, candidate.spec, catalogEntry(catalog, candidate.ref));
          thinkingLevel = level.level;
          // Resolved at each call: a key rotated by `onboard` meanwhile applies to the next call.
          const provider = deps.credentials
            ? credentialsIn(deps.credentials).withKey(candidate.spec, agentId)
            : candidate.spec;
          return streamAnswer({
            provider,
            model: candidate.ref.model,
            messages: [...prompt],
            signal,
            models: deps.models,
            tools: offered,
            providerOptions: level.providerOptions,
            maxOutputTokens: level.maxOutputTokens,
            onDelta: (soFar, delta) => {
              streamed = true;
              text = soFar;
              // HTTP callers stream what the chat shows: each step's text, a blank line between steps.
              const shown = events.delta(soFar, delta);
              request.onDelta?.(shown);
            },
            onThinking: (soFar, delta) => {
              streamed = true;
              events.thinking(soFar, delta);
            },
          });
        },
      }).catch((caught) => {
        if (caught instanceof FailoverExhausted) {
          attempts = joinAttempts(attempts, caught.attempts);
          throw caught.error;
        }
        throw caught;
      });
      attempts = joinAttempts(attempts, won.attempts);
      candidate = won.candidate;
      return won.answer;
    };
    // A later step refused as longer than the model's context (the tool loop outgrew the window): the session, with
    // this turn's settled steps, is compacted (the turn split, its latest work kept) and the step asked once more, as
    // the reference's overflow recovery continues from settled tool results. The steps after it are sent the
    // compacted context and what the loop added since. The first step's refusal is recovered below.
    let compacted: { upTo: number; prompt: PromptMessage[] } | undefined;
    // As the reference: at most three compact-and-retry recoveries a run (a provider that counts more than the
    // estimate could otherwise refuse every smaller context).
    let recoveries = 0;
    const step = async (prompt: readonly PromptMessage[], offered: readonly OfferedTool[]): Promise<ModelAnswer> => {
      const sent = compacted ? [...compacted.prompt, ...prompt.slice(compacted.upTo)] : prompt;
      const later = modelSteps > 0;
      try {
        return await callModel(sent, offered);
      } catch (caught) {
        // A caller's own tool turns (a stateless follow-up) are not in the transcript: such a run is not rebuilt.
        const rebuildable = contextInput && request.continuation === undefined;
        if (!rebuildable || !later || streamed || recoveries >= 3 || !isContextOverflow(caught)) throw caught;
        recoveries++;
        await steps.flush();
        const { messages: stored } = await deps.sessions.history(sessionKey, agentId);
        const smaller = await compactMidRun(contextInput, stored);
        if (!smaller) throw caught;
        const conversation = runConversation(request.context, smaller, request.continuation);
        compacted = {
          upTo: prompt.length,
          prompt: [
            { role: "system", text: system },
            ...(modelAcceptsImages(catalog, ref) ? conversation : withoutImages(conversation)),
          ],
        };
        return await callModel(compacted.prompt, offered);
      }
    };
    // The text of each step that called tools, for the outcome's text as the chat shows it.
    const stepTexts: string[] = [];
    // The loop guard stopped the run: its words close the transcript as the model's failed turn, and the run
    // fails naming the model, as the reference's does.
    const loopStopped = async (caught: ToolLoopStopped): Promise<never> => {
      const source = { runId, api: candidate.spec.api, provider: candidate.ref.provider, model: candidate.ref.model };
      if (persist) {
        const rest = await steps.take();
        const stop = { ...source, text: caught.message, stopReason: "error", usage: { input: 0, output: 0 } };
        const recorded = await recordAnswer(deps.sessions, { sessionKey, agentId }, stop, rest);
        for (const message of rest) written(message, ++position);
        written(recorded, ++position);
      }
      throw new RunError("model_failed", `⚠️ Agent run failed (model: ${source.provider}/${source.model}).`, {
        cause: caught,
      });
    };
    const displayOf = (call: RunningToolCall) => {
      const meta = toolDetail(call.name, call.args, deps.toolHost?.home);
      return { title: toolItemTitle(call.name, meta), meta };
    };
    // The step whose calls are running: a nested call's entry follows it.
    let lastStep: TranscriptMessage | undefined;
    const nestedCall = nestedToolCalls({
      runId,
      events,
      display: displayOf,
      afterEntryId: () => lastStep?.id ?? null,
      record: (message) => steps.add(message),
    });
    const loopWith = (prompt: readonly PromptMessage[]) =>
      runToolLoop({
        messages: prompt,
        tools,
        signal,
        step,
        maxResultChars: () =>
          liveToolResultMaxChars(catalogEntry(catalog, candidate.ref)?.contextWindow ?? DEFAULT_CONTEXT_WINDOW),
        loopDetection: agent.loopDetection,
        validators: deps.toolValidators,
        context: {
          runId,
          agentId,
          sessionKey,
          workspace: agent.workspace,
          senderIsOwner: request.senderIsOwner ?? true,
          ...(request.origin ? { origin: request.origin } : {}),
          ...(request.sendDepth !== undefined ? { sendDepth: request.sendDepth } : {}),
        },
        hooks: {
          stepAnswered: async (answer, calls) => {
            events.stepEnded(answer.text);
            stepTexts.push(answer.text);
            outputTokens += answer.usage.output;
            events.usage(outputTokens);
            const source = {
              runId,
              api: candidate.spec.api,
              provider: candidate.ref.provider,
              model: candidate.ref.model,
            };
            // The step's text is in its message now: an abort later must not keep it a second time.
            text = "";
            // On disk before the first tool runs: a tool that sends or changes something is recorded as called.
            const stepMessage = toolStepMessage(answer, source, calls);
            await steps.writeCalls(stepMessage);
            lastStep = stepMessage;
          },
          stepEnded: () => steps.stepEnded(),
          nestedCall,
          toolStarted: (call) => {
            trajectory?.toolCall({ toolCallId: call.id, name: call.name, args: call.args });
            events.toolStarted(call, displayOf(call));
          },
          toolUpdated: (call, partial) => events.toolUpdated(call, partial),
          toolEnded: (call, result, outcome) => {
            events.toolEnded(call, result, outcome);
            trajectory?.toolResult({ toolCallId: call.id, name: call.name }, result, outcome.isError);
            if (!outcome.isError) succeededTools.add(call.name);
            steps.add(toolResultMessage(call, result, outcome.isError, runId));
          },
        },
      }).catch((caught) => caught instanceof ToolLoopStopped ? loopStopped(caught) : Promise.reject(caught));
    let loop;
    try {
      loop = await loopWith(messages);
    } catch (caught) {
      // The provider refused the prompt as longer than its context before anything ran: compact
      // and ask once more, as the reference's overflow recovery does.
      const smaller = contextInput && modelSteps === 1 && !text && isContextOverflow(caught)
        ? await compactAfterOverflow(contextInput)
        : undefined;
      if (!smaller) throw caught;
      loop = await loopWith([
        { role: "system", text: system },
        ...runConversation(request.context, smaller, request.continuation),
      ]);
    }
    // Calls of the caller's tools end the run as `tool_calls`; a run stopped by them has no answer step of its own.
    const handedBack = pendingCalls.length > 0;
    const answer = {
      ...loop.answer,
      usage: loop.usage,
      ...(loop.terminated ? { text: "" } : {}),
      ...(handedBack ? { stopReason: "tool_calls" } : {}),
    };
    text = answer.text;
    if (persist && loop.terminated) {
      const rest = await steps.take();
      if (rest.length > 0) await deps.sessions.append(sessionKey, agentId, rest);
      for (const message of rest) written(message, ++position);
    } else if (persist) {
      // The transcript keeps each message's own usage; the outcome sums the run's steps.
      const rest = await steps.take();
      const recorded = await recordAnswer(deps.sessions, { sessionKey, agentId }, {
        ...loop.answer,
        runId,
        api: candidate.spec.api,
        provider: candidate.ref.provider,
        model: candidate.ref.model,
      }, rest);
      for (const message of rest) written(message, ++position);
      written(recorded, ++position);
    }
    facts.endedAt = Date.now();
    const { stopReason, usage } = answer;
    events.ended({ startedAt, endedAt: facts.endedAt, stopReason, outputTokens: usage.output, text });
    // A chat's and a channel's runs hear of a model fallback (the reference's reply runner's); not a room's notice.
    const chatType = () => request.origin?.chatType ?? sessionKindFields(sessionKey, false).chatType;
    const fallbackNotice = persist && (request.chatSend || request.origin)
      ? await announceFallback(deps, {
        sessionKey,
        agentId,
        selected: ref,
        active: candidate.ref,
        attempts,
        events,
        shownIn: ["group", "channel"].includes(chatType() ?? "") ? "nowhere" : request.chatSend ? "chat" : "channel",
      })
      : undefined;
    trajectory?.end({
      status: "success",
      aborted: false,
      timedOut: false,
      usage,
      assistantTexts: text ? [text] : [],
      stopReason,
    });
    const shownText = [...stepTexts, text].filter(Boolean).join("\n\n");
    const report = {
      ...(stepTexts.length > 0 ? { shownText } : {}),
      assistantTurns: loop.steps,
      lastCallUsage: loop.answer.usage,
      successfulToolNames: [...succeededTools],
      ...(handedBack ? { pendingToolCalls: pendingCalls } : {}),
    };
    return {
      outcome: {
        ...succeeded(facts, answer),
        attempts,
        ...report,
        ...(thinkingLevel ? { thinkingLevel } : {}),
        ...(fallbackNotice ? { fallbackNotice } : {}),
      },
    };
  } catch (caught) {
    // A store failure is reported as one: the answer may have reached the caller already, but
    // it is not in the transcript, and the caller must not believe it is.
    // A run its deadline ended fails as the reference's timeout (chat `error`, errorKind `timeout`, its
    // words), not as a caller's abort.
    const error = signal.reason instanceof RunDeadlineExpired
      ? new RunError("timeout", RUN_TIMEOUT_TEXT, { cause: caught })
      : runErrorOf(runId, caught);
    facts.endedAt = Date.now();
    // The calls and results of a step cut short stay in the transcript; replay answers the rest.
    await stepWriter?.flush().catch(() => {});
    if (error.kind === "aborted" && text && facts.sessionId) {
      await recordAbortedAnswer(deps.sessions, { sessionKey, agentId }, { text, runId, endedAt: facts.endedAt });
    } else if (facts.sessionId && !request.ephemeral) {
      // No answer closes the run in the transcript: its end goes in the entry, so the session's clients
      // (the reference Control UI reads `status` to settle its composer) see it ended, not still running.
      const status = error.kind === "timeout" ? "timeout" : error.kind === "aborted" ? "killed" : "failed";
      await deps.sessions.recordRunEnd(sessionKey, agentId, {
        runId,
        startedAt,
        endedAt: facts.endedAt,
        status,
        aborted: error.kind === "aborted",
        error: sessionRunError(
          failureCopy(
            error,
            facts.provider && facts.model ? { provider: facts.provider, model: facts.model } : undefined,
          ),
          status,
        ),
      }).catch(() => {});
    }
    const report = runFailureReport(
      error,
      facts.provider && facts.model ? { provider: facts.provider, model: facts.model } : undefined,
    );
    events.failed({ startedAt, endedAt: facts.endedAt, error, text, report, attempts });
    trajectory?.end({
      status: error.kind === "aborted" ? "interrupted" : "error",
      aborted: error.kind === "aborted",
      timedOut: error.kind === "timeout",
      promptError: error.kind === "aborted" ? undefined : error.message,
      usage: undefined,
      assistantTexts: text ? [text] : [],
      stopReason: error.kind === "aborted" ? "aborted" : "error",
    });
    return {
      outcome: { ...failed(facts, error, text, report.terminalReply), ...(attempts.length > 0 ? { attempts } : {}) },
      failure: error,
    };
  }
}
