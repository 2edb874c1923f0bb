import { within } from "../async/within.ts";
import { getLogger } from "../log/logger.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { AgentsConfig, ModelRef } from "./agents_config.ts";
import { type ChatMessage, ProviderModels } from "./provider.ts";
import type { RunErrorKind } from "./run_error.ts";
import { type ModelCooldown, ModelCooldowns } from "./model_cooldowns.ts";
import type { ModelAttempt } from "./run_failover.ts";
import { logRunEnd, type RunLog } from "./run_log.ts";
import { runTurn, type TurnDeps, type WrittenMessage } from "./run_turn.ts";
import type { ToolHost } from "./tool.ts";

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
  /** Messages before this one that the caller sent itself (a stateless HTTP conversation). */
  context?: ChatMessage[] | undefined;
  /**
   * A stateless call (the OpenAI API without `user` or a session key): the caller holds the
   * conversation, so nothing is written to a transcript nobody can ever continue, and nothing is
   * broadcast: the stream belongs to the HTTP caller alone.
   */
  ephemeral?: boolean | undefined;
  /**
   * Whether the gateway's owner sent the message (an operator client or the HTTP API); a chat
   * channel's sender is not (this gateway binds no channel identity to its owner). Default true.
   */
  senderIsOwner?: boolean | undefined;
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
  /** The model that answered (or failed last, when every candidate failed). */
  provider: string | null;
  model: string | null;
  sessionId: string | null;
  startedAt: number;
  endedAt: number;
  /** Each model call in order (more than one when the run failed over); absent when none was made. */
  attempts?: ModelAttempt[] | undefined;
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
}

const IDEMPOTENCY_TTL_MS = 300_000;
const IDEMPOTENCY_MAX = 1000;
const SWEEP_INTERVAL_MS = 1000;

interface Entry {
  runId: string;
  state: "running" | "done";
  controller: AbortController;
  done: Promise<RunOutcome>;
  outcome?: RunOutcome;
  at: number;
  sessionKey: string;
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
  #sweptAt = 0;
  #log: RunLog;

  constructor(deps: AgentRunsDeps) {
    this.#turn = {
      sessions: deps.sessions,
      agents: () => deps.agents(),
      emit: (event, payload) => deps.emit(event, payload),
      models: new ProviderModels(),
      workspaces: new Set(),
      cooldowns: deps.cooldowns ?? new ModelCooldowns(),
      log: deps.log ?? getLogger("gateway/agent"),
      onMessage: (written) => deps.onMessage?.(written),
      toolHost: deps.toolHost,
    };
    this.#log = deps.log ?? getLogger("gateway/agent");
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
    const controller = new AbortController();
    const previous = this.#sessionTails.get(request.sessionKey) ?? Promise.resolve();
    const done = previous.catch(() => {}).then(() => this.#run(request, controller.signal));
    const entry: Entry = { runId, state: "running", controller, done, at: Date.now(), sessionKey: request.sessionKey };
    this.#runs.set(runId, entry);
    this.#sessionTails.set(request.sessionKey, done);
    void done.then((outcome) => {
      entry.state = "done";
      entry.outcome = outcome;
      entry.at = Date.now();
      if (this.#sessionTails.get(request.sessionKey) === done) this.#sessionTails.delete(request.sessionKey);
    });
    return { kind: "accepted", runId, acceptedAt: Date.now(), done };
  }

  /** Waits for a run's end, at most `timeoutMs`; unknown or unfinished runs report `timeout`. */
  async wait(runId: string, timeoutMs: number): Promise<Record<string, unknown>> {
    const entry = this.#runs.get(runId);
    const outcome = await within(entry?.done ?? new Promise<never>(() => {}), timeoutMs);
    if (!outcome) return { runId, status: "timeout" };
    return {
      runId,
      status: outcome.status === "ok" ? "ok" : "error",
      endedAt: outcome.endedAt,
      stopReason: outcome.stopReason,
      ...(outcome.error ? { error: outcome.error } : {}),
      terminalReply: { disposition: "visible", text: outcome.text },
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
    return aborted;
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

  /** Aborts everything (gateway stop). */
  abortAll(): void {
    for (const entry of this.#runs.values()) if (entry.state === "running") entry.controller.abort();
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

  /** Runs one request and logs how it ended (ok, error or aborted), whatever the caller does with the outcome. */
  async #run(request: RunRequest, signal: AbortSignal): Promise<RunOutcome> {
    const { outcome, failure } = await runTurn(this.#turn, request, signal);
    logRunEnd(this.#log, { agentId: request.agentId, sessionKey: request.sessionKey, outcome, failure });
    return outcome;
  }
}
