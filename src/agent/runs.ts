import { terminalReply } from "./terminal_reply.ts";
import { type ToolValidators, toolValidators } from "./tool_call_validation.ts";
import type { StoredWorkContext } from "../sessions/work_context.ts";
import { timerSafeMs } from "../async/timer_ms.ts";
import { within } from "../async/within.ts";
import type { RawSessionResetConfig } from "../config/session_reset_policy.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore, TranscriptMessage } from "../sessions/store.ts";
import type { AgentsConfig, ModelRef, ProviderSpec } from "./agents_config.ts";
import { type OfferedTool, type PromptMessage, ProviderModels } from "./provider.ts";
import type { PendingToolCall } from "./client_tools.ts";
import type { RunErrorKind } from "./run_error.ts";
import { type ModelCooldown, ModelCooldowns } from "./model_cooldowns.ts";
import type { ModelAttempt } from "./run_failover.ts";
import type { RunLog } from "./run_log.ts";
import { RunEndLines } from "./run_end_lines.ts";
import { runDeadlineMs } from "./run_deadline.ts";
import { TrajectoryWriter } from "./trajectory_writer.ts";
// The run engine (the tool loop, the tools, the workspace prompt: about 260 KB of source) and manual
// compaction load with the first run, not at start-up (docs/performance.md).
import type { runTurn, TurnDeps, WrittenMessage } from "./run_turn.ts";
import type { CredentialContext } from "./run_credentials.ts";
import { RUN_TIMEOUT_TEXT, RunDeadlineExpired, RunError } from "./run_error.ts";
import { runEvents } from "./run_events.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import type { ToolFamily, ToolHost } from "./tool.ts";
import type { ModelEntry } from "../config/resolve_agents.ts";
import type { ManualCompaction } from "./compaction_manual.ts";
import { DEFAULT_CONTEXT_WINDOW, reserveTokens } from "./compaction.ts";
import type { RunOrigin } from "./tool.ts";
import type { InFlightRunSnapshot, LiveRun } from "./in_flight_run.ts";
import type { recordProgress } from "./run_progress.ts";
import type { ProviderRetrySettings } from "./transient_retry.ts";
import type { UpstreamPool } from "./upstream_pool.ts";
import { keptSkills } from "./skills/kept_skill_roots.ts";

export type { WrittenMessage } from "./run_turn.ts";

/** A request to run an agent on one message. */
export interface RunRequest {
  agentId: string;
  sessionKey: string;
  message: string;
  idempotencyKey: string;
  /** A `provider/model` to use instead of the agent's (HTTP `x-openclaw-model`). */
  model?: ModelRef | undefined;
  /** Extra per-run listener (the HTTP API streams from it). */
  onDelta?: ((delta: string) => void) | undefined;
  /** Messages before this one that the caller sent itself (a stateless HTTP conversation), its tool calls and results included. */
  context?: PromptMessage[] | undefined;
  /** The caller's messages after this one: the assistant's calls of the caller's tools and their results (an HTTP follow-up). */
  continuation?: PromptMessage[] | undefined;
  /** The HTTP caller's own function tools, offered next to the agent's; a call to one ends the run as `tool_calls`. */
  clientTools?: OfferedTool[] | undefined;
  /**
   * A stateless call (the OpenAI API without `user` or a session key): the caller holds the
   * conversation, so nothing is written to a transcript nobody can ever continue, and nothing is
   * broadcast: the stream belongs to the HTTP caller alone.
   */
  ephemeral?: boolean | undefined;
  /**
   * Whether the gateway's owner sent the message (an operator client or the HTTP API); a chat
   * channel's sender only when `commands.ownerAllowFrom` lists them. Default true.
   */
  senderIsOwner?: boolean | undefined;
  /** The run's thinking level (`agent`/`chat.send` `thinking`), over the session's and the configured one. */
  thinking?: string | undefined;
  /** `thinking` came from an `agent` request: checked strictly against the model and kept as the session's level. */
  thinkingOverride?: boolean | undefined;
  /** The channel chat the message came from (the `message` tool's default target); absent for operator runs. */
  origin?: RunOrigin | undefined;
  /** How many `sessions_send` hops led to this run (absent: a person's); its tools see it to bound send chains. */
  sendDepth?: number | undefined;
  /**
   * The run's deadline in ms from acceptance (run_deadline.ts decides a request's own); past it the run is
   * aborted. 0: none. Absent: `agents.defaults.timeoutSeconds`, 48 hours when not written.
   */
  timeoutMs?: number | undefined;
  /** The models tried after `model` fails (a cron job's `fallbacks`); absent: the agent's, or none with `model`. */
  fallbacks?: ModelRef[] | undefined;
  /** Only the tools these names/groups match (a cron job's `toolsAllow`); absent: the agent's tools. */
  toolsAllow?: readonly string[] | undefined;
  /** No workspace bootstrap files in the prompt (a cron job's or heartbeat's `lightContext`). */
  lightContext?: boolean | undefined;
  /** Whether `origin` becomes the session's last route (default true: a channel's message); false for a cron announce target. */
  recordRoute?: boolean | undefined;
  /** Images the message carried, given to a model that accepts image input (base64 data). */
  images?: { data: string; mimeType: string }[] | undefined;
  /** `chat.send`'s working context: `message` already carries it for the model; the user row keeps it too. */
  workContext?: StoredWorkContext | undefined;
  /**
   * A heartbeat's or cron job's turn, not a person's: it neither resets a stale session (`session.reset`) nor
   * counts as the session's last interaction, as the reference treats its system events.
   */
  systemEvent?: boolean | undefined;
  /** Started by `chat.send`: `chat.history` shows it as the chat's own run in flight (an `agent` run is shown otherwise). */
  chatSend?: boolean | undefined;
  /**
   * The session is the run's own (an `agent` model run's): removed, row and transcript unarchived, when the run ends
   * however it ended and before `done` resolves, as the reference removes its model run's session at the run's end.
   */
  discardSession?: boolean | undefined;
  /** When the gateway accepted the run (ms); set by `AgentRuns.start`, callers leave it out. */
  acceptedAt?: number | undefined;
}

/** How a run ended. */
export interface RunOutcome {
  runId: string;
  status: "ok" | "error" | "aborted";
  text: string;
  stopReason: string;
  error: string | undefined;
  /** What ended a failed or aborted run; absent for one that ended ok. */
  errorKind?: RunErrorKind | undefined;
  /** The HTTP status the failure's kind carries: the provider's own for `upstream`, 404 for `unknown_model`. */
  upstreamStatus: number | undefined;
  usage: { input: number; output: number; cacheRead?: number | undefined; cacheWrite?: number | undefined };
  /** The model the provider says answered, when it named one. */
  responseModel?: string | undefined;
  /** A channel DM's model-fallback notice ("↪️ Model Fallback: …"), sent to the chat with the answer. */
  fallbackNotice?: string | undefined;
  /** The model that answered (or failed last, when every candidate failed). */
  provider: string | null;
  model: string | null;
  sessionId: string | null;
  startedAt: number;
  endedAt: number;
  /** The thinking level the answering model ran at, when a model was asked. */
  thinkingLevel?: string | undefined;
  /** Each model call in order (more than one when the run failed over); absent when none was made. */
  attempts?: ModelAttempt[] | undefined;
  /** Model steps the run took (more than one when it called tools); absent when it failed. */
  assistantTurns?: number | undefined;
  /** The last model step's usage (`usage` sums the steps). */
  lastCallUsage?: RunOutcome["usage"] | undefined;
  /** The tools that answered without an error, once each, in the order they first did. */
  successfulToolNames?: string[] | undefined;
  /**
   * Every model step's text joined by a blank line, as the chat final event shows the run and the
   * HTTP endpoints stream it (`text` is the last step's answer); absent for a one-step run.
   */
  shownText?: string | undefined;
  /** A failed run that ended its turn (the loop guard's stop, its deadline): `agent.wait` reports its `terminalReply`. */
  replyReported?: boolean | undefined;
  /** The calls of the caller's tools (RunRequest.clientTools) the run made, for the caller to run; the run stopped as `tool_calls`. */
  pendingToolCalls?: PendingToolCall[] | undefined;
}

/** What `start` decided. */
export type StartResult =
  | { kind: "accepted"; runId: string; acceptedAt: number; done: Promise<RunOutcome> }
  | { kind: "in_flight"; runId: string }
  | { kind: "done"; outcome: RunOutcome };

/** Dependencies of the run engine. */
export interface AgentRunsDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  /** Domain events out (`agent`, `chat`); the gateway wires this to the hub. */
  emit(event: "agent" | "chat", payload: Record<string, unknown>): void;
  /** The gateway's model cooldowns (failover state); a fresh set by default. */
  cooldowns?: ModelCooldowns | undefined;
  /** Where each run's end is logged; `gateway/agent` by default. */
  log?: RunLog | undefined;
  /** A message was written to a session's transcript (the gateway sends `session.message`). */
  onMessage?: ((written: WrittenMessage) => void) | undefined;
  /** What the gateway lends tools; without it runs offer the model no tools. */
  toolHost?: ToolHost | undefined;
  /** Internal hooks: each run's bootstrap files pass through `agent:bootstrap` when a loaded hook listens. */
  hooks?: InternalHookEmitter | undefined;
  /** The tool families runs are offered (the catalog's by default). */
  toolFamilies?: readonly ToolFamily[] | undefined;
  /** The configured models (windows, reasoning): compaction and thinking levels read them. */
  modelCatalog?: (() => readonly ModelEntry[]) | undefined;
  /** Leaves turns out of what the model is sent (quiet heartbeat turns); the transcript keeps them. */
  contextFilter?: ((agentId: string, messages: TranscriptMessage[]) => TranscriptMessage[]) | undefined;
  /** An agent's provider retry settings (provider_retry_settings.ts), read at each run; the defaults without it. */
  providerRetry?: ((agentId: string) => Promise<ProviderRetrySettings>) | undefined;
  /**
   * Where model keys come from (state dir, environment, `auth` config): each call's key is resolved
   * from the auth profiles, the environment and the provider entry. Without it a call sends the
   * provider entry's key as written.
   */
  credentials?: CredentialContext | undefined;
  /** The `session` section as written: a person's turn first resets a stale session (`session.reset*`). */
  sessionConfig?: (() => RawSessionResetConfig | undefined) | undefined;
  /** The config as written: the `cfg` of the `session:auto-reset` event. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
  /** Told when a `session:auto-reset` handler fails. */
  onHookError?: ((error: unknown) => void) | undefined;
  /**
   * Whether stored sessions' runs leave trajectory runtime events in their agent database (the reference's
   * `OPENCLAW_TRAJECTORY`, read by the caller; default true).
   */
  trajectory?: boolean | undefined;
  /**
   * Makes the gateway's kept-alive connections to model providers (upstream_pool.ts), with the first
   * lean model; {@link AgentRuns.abortAll} closes them. Without it model requests go through `fetch`.
   */
  upstream?: (() => Promise<UpstreamPool | undefined>) | undefined;
  /** Loads the run engine (run_turn.ts, with the first run); tests give one that fails. */
  loadEngine?: (() => Promise<RunEngine>) | undefined;
}

/** The run engine, loaded with the first run rather than at start-up. */
export interface RunEngine {
  runTurn: typeof runTurn;
}

const IDEMPOTENCY_TTL_MS = 300_000;
const IDEMPOTENCY_MAX = 1000;
const SWEEP_INTERVAL_MS = 1000;

interface Entry extends LiveRun {
  done: Promise<RunOutcome>;
  outcome?: RunOutcome;
  at: number;
}

/**
 * Runs agents: two-stage (accepted at once, outcome later), de-duplicated by idempotency key
 * (a retry while running is `in_flight`, after completion gets the cached outcome), one run at
 * a time per session (queued, never raced), abortable, and streamed as `agent`/`chat` events.
 */
export class AgentRuns {
  /** What each run's stages use: the store, the config in force, the event sink, models and workspaces. */
  #turn: TurnDeps;
  #runs = new Map<string, Entry>();
  #sessionTails = new Map<string, Promise<unknown>>();
  /** The compaction running outside a turn per session (manual or post-turn), so it can be cancelled. */
  #compactions = new Map<string, { controller: AbortController; runId: string; optional: boolean }>();
  #sweptAt = 0;
  #log: RunLog;
  #endLines: RunEndLines;
  #loadEngine: () => Promise<RunEngine>;
  #engine: Promise<RunEngine> | undefined;
  /** The progress recorder (run_progress.ts), loaded with the first run's turn, not at start-up. */
  #recordProgress: typeof recordProgress | undefined;
  #progressLoad: Promise<void> | undefined;

  constructor(deps: AgentRunsDeps) {
    // TypeBox's compiler and its validators, loaded with the first tool call and kept for this engine's life.
    let validators: Promise<ToolValidators> | undefined;
    this.#turn = {
      sessions: deps.sessions,
      agents: () => deps.agents(),
      emit: (event, payload) => {
        // The latest chat text of each run, for `chat.history` mid-run: a reference to the message the
        // delta carries, no copy (a delta's whole extra cost is this lookup).
        if (event === "chat" && payload.state === "delta") {
          const entry = this.#runs.get(payload.runId as string);
          if (entry) entry.message = payload.message as LiveRun["message"];
        } else if (event === "agent" && payload.stream !== "assistant" && payload.stream !== "thinking") {
          // Its tool calls, activity, usage and start-up status so far, for the same (answer and thinking deltas,
          // the many events, are not kept: they cost only the comparisons).
          this.#keepProgress(payload);
        } else if (event === "agent" && payload.stream === "assistant") {
          // But the first answer text after a kept start-up status replaces it (one lookup a delta).
          if (this.#runs.get(payload.runId as string)?.progress?.starting) this.#keepProgress(payload);
        }
        deps.emit(event, payload);
      },
      models: new ProviderModels({ upstream: deps.upstream }),
      workspaces: new Set(),
      bootstrapCache: new Map(),
      keptSkills: keptSkills(),
      toolSurfaces: [],
      toolValidators: () => validators ??= toolValidators(),
      cooldowns: deps.cooldowns ?? new ModelCooldowns(),
      log: deps.log ?? getLogger("gateway/agent"),
      onMessage: (written) => deps.onMessage?.(written),
      toolHost: deps.toolHost,
      hooks: deps.hooks,
      toolFamilies: deps.toolFamilies,
      toolSets: new WeakMap(),
      modelCatalog: () => deps.modelCatalog?.() ?? [],
      contextFilter: deps.contextFilter,
      ...(deps.sessionConfig ? { sessionConfig: deps.sessionConfig } : {}),
      ...(deps.rawConfig ? { rawConfig: deps.rawConfig } : {}),
      ...(deps.onHookError ? { onHookError: deps.onHookError } : {}),
      ...(deps.credentials ? { credentials: { context: deps.credentials } } : {}),
      ...(deps.providerRetry ? { providerRetry: deps.providerRetry } : {}),
      ...(deps.trajectory !== false
        ? { trajectory: new TrajectoryWriter({ sessions: deps.sessions, log: deps.log ?? getLogger("gateway/agent") }) }
        : {}),
    };
    this.#log = deps.log ?? getLogger("gateway/agent");
    this.#endLines = new RunEndLines(this.#log);
    this.#loadEngine = deps.loadEngine ?? (() => import("./run_turn.ts"));
  }

  /** The model cooldowns in force (models that failed over lately), soonest to end first; for `status`. */
  modelCooldowns(): ModelCooldown[] {
    return this.#turn.cooldowns.active();
  }

  /** Starts (or de-duplicates) a run. */
  start(request: RunRequest): StartResult {
    this.#prune();
    const runId = request.idempotencyKey;
    const existing = this.#runs.get(runId);
    if (existing?.state === "running") return { kind: "in_flight", runId };
    if (existing?.outcome) return { kind: "done", outcome: existing.outcome };
    // A new message cancels the session's optional post-turn compaction rather than waiting behind it.
    const maintenance = this.#compactions.get(request.sessionKey);
    if (maintenance?.optional) maintenance.controller.abort();
    const controller = new AbortController();
    const deadline = { expired: false };
    const deadlineMs = request.timeoutMs ?? runDeadlineMs(this.#turn.agents().runTimeoutSeconds);
    const timer = deadlineMs > 0
      ? setTimeout(() => {
        deadline.expired = true;
        controller.abort(new RunDeadlineExpired());
      }, timerSafeMs(deadlineMs))
      : undefined;
    const previous = this.#sessionTails.get(request.sessionKey) ?? Promise.resolve();
    const acceptedAt = Date.now();
    const accepted = { ...request, acceptedAt };
    const done = previous.catch(() => {}).then(() => {
      entry.executingAt = Date.now();
      const running = this.#run(accepted, controller.signal, deadline);
      return request.discardSession ? this.#discardAfter(request, running) : running;
    });
    const entry: Entry = {
      runId,
      state: "running",
      controller,
      done,
      at: acceptedAt,
      sessionKey: request.sessionKey,
      chatSend: request.chatSend === true,
      unlisted: request.systemEvent === true || request.ephemeral === true,
      acceptedAt,
    };
    this.#runs.set(runId, entry);
    // The session's next turn waits for this one and for its post-turn compaction, which runs after
    // the reply is out (the caller's `done` does not wait for it), as the reference's maintenance does.
    const tail = done.then((outcome) => this.#maintain(request, outcome));
    this.#sessionTails.set(request.sessionKey, tail);
    void done.then((outcome) => {
      clearTimeout(timer);
      entry.state = "done";
      entry.message = undefined;
      entry.progress = undefined;
      entry.outcome = outcome;
      entry.at = Date.now();
    });
    void tail.then(() => {
      if (this.#sessionTails.get(request.sessionKey) === tail) this.#sessionTails.delete(request.sessionKey);
    });
    return { kind: "accepted", runId, acceptedAt, done };
  }

  /**
   * Compacts a session now (`/compact`, `sessions.compact`), after the runs already queued on it: a
   * compaction never races a turn writing the same transcript.
   */
  compact(
    target: { sessionKey: string; agentId: string },
    options: { instructions?: string | undefined; runId?: string | undefined } = {},
  ): Promise<ManualCompaction> {
    const previous = this.#sessionTails.get(target.sessionKey) ?? Promise.resolve();
    const runId = options.runId ?? crypto.randomUUID();
    const controller = new AbortController();
    const done = previous.catch(() => {}).then(() =>
      this.#compacting(
        target.sessionKey,
        { controller, runId, optional: false },
        async () =>
          (await import("./compaction_manual.ts")).compactNow(this.#turn, target, {
            runId,
            instructions: options.instructions,
            signal: controller.signal,
          }),
      )
    );
    this.#sessionTails.set(target.sessionKey, done);
    void done.finally(() => {
      if (this.#sessionTails.get(target.sessionKey) === done) this.#sessionTails.delete(target.sessionKey);
    }).catch(() => {});
    return done;
  }

  /** Waits for a run's end, at most `timeoutMs`; unknown or unfinished runs report `timeout`. */
  async wait(runId: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const entry = this.#runs.get(runId);
    const outcome = await within(entry?.done ?? new Promise<never>(() => {}), timeoutMs);
    if (!outcome) return { runId, status: "timeout" };
    return {
      runId,
      // A run its deadline ended reports `timeout`, as the reference's agent.wait does.
      status: outcome.status === "ok" ? "ok" : outcome.stopReason === "timeout" ? "timeout" : "error",
      endedAt: outcome.endedAt,
      stopReason: outcome.stopReason,
      ...(outcome.error ? { error: outcome.error } : {}),
      // A model call that failed or an abort leaves no reply to report, as the reference's agent.wait.
      ...(outcome.status === "ok" || outcome.replyReported ? { terminalReply: terminalReply(outcome.text) } : {}),
    };
  }

  /** Aborts the running (and queued) runs of a session, or one run; returns their ids. */
  abort(input: { sessionKey?: string | undefined; runId?: string | undefined }): string[] {
    const aborted: string[] = [];
    for (const entry of this.#runs.values()) {
      if (entry.state !== "running") continue;
      if (input.runId ? entry.runId !== input.runId : entry.sessionKey !== input.sessionKey) continue;
      entry.controller.abort();
      aborted.push(entry.runId);
    }
    for (const [sessionKey, compaction] of this.#compactions) {
      if (input.runId ? compaction.runId !== input.runId : sessionKey !== input.sessionKey) continue;
      compaction.controller.abort();
    }
    return aborted;
  }

  /** The session key of a run in flight or queued, or undefined when none is (`sessions.abort` by run id). */
  sessionOfRun(runId: string): string | undefined {
    const entry = this.#runs.get(runId);
    return entry?.state === "running" ? entry.sessionKey : undefined;
  }

  /** The session's run in flight as `chat.history` shows it (the text streamed so far), or undefined. */
  async inFlight(sessionKey: string): Promise<InFlightRunSnapshot | undefined> {
    // Loaded with the first history read, not at start-up.
    const { inFlightRunOf } = await import("./in_flight_run.ts");
    return inFlightRunOf(this.#runs.values(), sessionKey);
  }

  /** Ids of the runs in flight or queued on a session, oldest first. */
  activeRunIds(sessionKey: string): string[] {
    const ids: string[] = [];
    for (const entry of this.#runs.values()) {
      if (entry.state === "running" && entry.sessionKey === sessionKey) ids.push(entry.runId);
    }
    return ids;
  }

  /** Runs in progress: one per session is active, the others wait their turn behind it (`diagnostics.lanes`). */
  activity(): { active: number; queued: number } {
    const running = [...this.#runs.values()].filter((entry) => entry.state === "running");
    const active = new Set(running.map((entry) => entry.sessionKey)).size;
    return { active, queued: running.length - active };
  }

  /**
   * `spec` with the key a model call on it sends now, for a call outside a run (`/v1/embeddings`); as
   * it is without a credential context. Throws the run's `no_credentials` error for a built-in provider without one.
   */
  async withKey(spec: ProviderSpec, agentId: string): Promise<ProviderSpec> {
    const slot = this.#turn.credentials;
    if (!slot) return spec;
    const { credentialsIn } = await import("./run_credentials.ts");
    return credentialsIn(slot).withKey(spec, agentId);
  }

  /** Resolves once the trajectory events of the runs ended so far are written (before the store closes). */
  async settled(): Promise<void> {
    await this.#turn.trajectory?.settled();
  }

  /** Aborts everything (gateway stop). */
  abortAll(): void {
    // Logging shuts down after the stop: the end lines still waiting for their turn are written now.
    this.#endLines.stop();
    for (const entry of this.#runs.values()) if (entry.state === "running") entry.controller.abort();
    for (const compaction of this.#compactions.values()) compaction.controller.abort();
    // The profile store's connection, if a run opened it: a run ending after this opens it again.
    this.#turn.credentials?.current?.close();
    this.#turn.models.close();
  }

  /** Runs a compaction outside a turn as the session's cancellable one (abort, reset, a new message). */
  async #compacting<T>(
    sessionKey: string,
    compaction: { controller: AbortController; runId: string; optional: boolean },
    work: () => Promise<T>,
  ): Promise<T> {
    this.#compactions.set(sessionKey, compaction);
    try {
      return await work();
    } finally {
      if (this.#compactions.get(sessionKey) === compaction) this.#compactions.delete(sessionKey);
    }
  }

  #prune(): void {
    const now = Date.now();
    // The expiry sweep walks every remembered run; once a second is enough for a 5-minute TTL,
    // and doing it per request cost more than the rest of starting a run.
    if (now - this.#sweptAt >= SWEEP_INTERVAL_MS) {
      this.#sweptAt = now;
      for (const entry of this.#runs.values()) {
        if (entry.state === "done" && now - entry.at > IDEMPOTENCY_TTL_MS) this.#runs.delete(entry.runId);
      }
    }
    // Maps iterate in insertion order, so the first finished entries are the oldest.
    for (const entry of this.#runs.values()) {
      if (this.#runs.size <= IDEMPOTENCY_MAX) break;
      if (entry.state === "done") this.#runs.delete(entry.runId);
    }
  }

  /**
   * Removes a run's own session once the run ends, however it ended, before the caller hears the outcome (a session
   * list right after the answer has no trace of it); a failure is logged, as the reference warns, and changes nothing
   * of the answer.
   */
  async #discardAfter(request: RunRequest, running: Promise<RunOutcome>): Promise<RunOutcome> {
    try {
      return await running;
    } finally {
      try {
        await this.#turn.sessions.discard(request.sessionKey, request.agentId);
      } catch (caught) {
        const reason = caught instanceof Error ? caught.message : String(caught);
        this.#log.warn(`failed to remove model-run session ${request.sessionKey}: ${reason}`);
      }
    }
  }

  /**
   * Compacts a kept session after a completed turn when the context it left nears its model's window
   * (`compaction.enabled`); a failure is logged, the next turn goes on with the history it has.
   */
  async #maintain(request: RunRequest, outcome: RunOutcome): Promise<void> {
    // A discarded session has nothing left to compact.
    if (request.ephemeral || request.discardSession || outcome.status !== "ok") return;
    // The run's tokens (every step's prompt and output summed) bound its last prompt from above: most
    // turns are far below the threshold and read nothing more.
    const entry = this.#turn.modelCatalog?.().find((m) => m.provider === outcome.provider && m.id === outcome.model);
    const window = entry?.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
    if (outcome.usage.input + outcome.usage.output <= window - reserveTokens(window)) return;
    const target = { sessionKey: request.sessionKey, agentId: request.agentId };
    const controller = new AbortController();
    // A message already queued behind this turn: the optional compaction gives way to it.
    if (
      [...this.#runs.values()].some((e) =>
        e.state === "running" && e.sessionKey === request.sessionKey && e.runId !== request.idempotencyKey
      )
    ) return;
    const result = await this.#compacting(request.sessionKey, {
      controller,
      runId: outcome.runId,
      optional: true,
    }, async () =>
      (await import("./compaction_manual.ts")).compactNow(this.#turn, target, {
        runId: outcome.runId,
        signal: controller.signal,
        trigger: "threshold",
      }))
      .catch((caught) => ({ compacted: false as const, reason: String(caught), failed: true }));
    if (controller.signal.aborted) return;
    if (result.compacted) {
      this.#log.info(
        `embedded run auto-compaction complete: runId=${outcome.runId} reason=threshold ` +
          `tokensBefore=${result.tokensBefore} tokensAfter=${result.tokensAfter}`,
      );
    } else if ("failed" in result && result.failed) {
      this.#log.warn(`embedded run auto-compaction failed: runId=${outcome.runId} reason=${result.reason}`);
    }
  }

  /** Records an `agent` event in its run's progress: a listed run still running, all of a `chat.send` run's calls. */
  #keepProgress(payload: Record<string, unknown>): void {
    if (!this.#recordProgress) return;
    const entry = this.#runs.get(payload.runId as string);
    if (entry?.state !== "running" || entry.unlisted) return;
    entry.progress = this.#recordProgress(entry.progress, payload, entry.chatSend ? "full" : "summary");
  }

  /** Runs one request and logs how it ended (ok, error or aborted), whatever the caller does with the outcome. */
  async #run(request: RunRequest, signal: AbortSignal, deadline: { expired: boolean }): Promise<RunOutcome> {
    // Loaded once: a dynamic import of a loaded module still costs ~11 µs a run (in process); a failed load stays
    // failed for every later run, as Deno keeps it.
    if (!this.#engine) {
      this.#engine = this.#loadEngine();
      // A failed load is answered below, once the recorder has loaded: until then it needs a handler, or it is an
      // unhandled rejection.
      this.#engine.catch(() => {});
    }
    // Before the turn sends its first event; a recorder that failed to load leaves runs without progress only.
    this.#progressLoad ??= import("./run_progress.ts").then((m) => {
      this.#recordProgress = m.recordProgress;
    }, (caught) => this.#log.warn(`run progress recorder failed to load: ${String(caught)}`));
    await this.#progressLoad;
    const turn = await this.#engine.then(
      (engine) => engine.runTurn(this.#turn, request, signal),
      (caught) => this.#engineFailed(request, caught),
    );
    const { failure } = turn;
    // A run its deadline stopped ends as the reference's timeout: stop reason `timeout`, its words.
    const outcome = deadline.expired && turn.outcome.status !== "ok"
      ? { ...turn.outcome, status: "aborted" as const, stopReason: "timeout", error: RUN_TIMEOUT_TEXT }
      : turn.outcome;
    // The line is written one turn after the outcome, so a streamed answer's closing events (sent when
    // `done` resolves) leave before it rather than behind its formatting and two synchronous writes;
    // at once once the gateway stops (run_end_lines.ts).
    this.#endLines.write({ agentId: request.agentId, sessionKey: request.sessionKey, outcome, failure });
    return outcome;
  }

  /**
   * A run whose engine did not load (its bundle chunk gone or broken) ends as a failed run, with its
   * events, rather than rejecting: a rejected run would stay `in_flight` forever and leave its
   * callers and chat clients waiting. Deno keeps a failed import failed, so every later run says so too.
   */
  #engineFailed(request: RunRequest, caught: unknown): { outcome: RunOutcome; failure: RunError } {
    const startedAt = Date.now();
    const error = new RunError("internal", "The gateway could not load its run engine; restart the gateway", {
      cause: caught,
    });
    // The cause (a chunk's path, the loader's words) goes to the operator's log, not to chat clients.
    this.#log.warn(`run engine failed to load: runId=${request.idempotencyKey} ${String(caught)}`);
    const ids = { runId: request.idempotencyKey, sessionKey: request.sessionKey, agentId: request.agentId };
    const events = runEvents(request.ephemeral ? () => {} : this.#turn.emit, ids);
    events.started(startedAt);
    events.failed({ startedAt, endedAt: Date.now(), error, text: "" });
    const outcome: RunOutcome = {
      runId: request.idempotencyKey,
      status: "error",
      text: "",
      stopReason: "error",
      error: error.message,
      errorKind: error.kind,
      upstreamStatus: undefined,
      usage: { input: 0, output: 0 },
      provider: null,
      model: null,
      sessionId: null,
      startedAt,
      endedAt: Date.now(),
    };
    return { outcome, failure: error };
  }
}
