// The heartbeat: one timer for the nearest due agent, turns that run the agent (heartbeat_turn.ts),
// the system-event queue they read, `wake`, `set-heartbeats`, and the last outcome. What cron and
// hooks use of it is `HeartbeatControl`; the gateway's methods use the rest.
import { joinPath } from "../config/posix_path.ts";
import { timerSafeMs } from "../async/timer_ms.ts";
import type { HeartbeatControl, HeartbeatOutcome, SystemEventInput } from "./heartbeat_control.ts";
import { floodDecision, WakeRetries } from "./heartbeat_flood.ts";
import { heartbeatRoute } from "./heartbeat_route.ts";
import { type HeartbeatServiceDeps, readIfPresent } from "./heartbeat_service_deps.ts";
import { type HeartbeatSource, runHeartbeatTurn } from "./heartbeat_turn.ts";
import { SystemEventQueue } from "./system_events.ts";
import { type CancelTimer, webTimeout } from "../async/web_timer.ts";

/** How soon a wake that found its session busy tries again (the reference's retry delay). */
const BUSY_RETRY_MS = 1000;

/** The agent's main session key. */
function mainKey(agentId: string): string {
  return `agent:${agentId}:main`;
}

/**
 * Heartbeat turns per agent: on its interval (`heartbeat.every`, inside `activeHours`), and at once
 * on a wake. A turn asked for while one of the same agent runs joins it.
 */
export class HeartbeatService implements HeartbeatControl {
  #deps: HeartbeatServiceDeps;
  #events = new SystemEventQueue();
  #enabled = true;
  #last: HeartbeatOutcome | null = null;
  /** When each scheduled agent is next due, and the interval that was computed with. */
  #due = new Map<string, { at: number; everyMs: number }>();
  /** Disarms the timer of the soonest due turn. */
  #cancelTimer: CancelTimer | undefined;
  #running = new Map<string, Promise<HeartbeatOutcome>>();
  #lastSent = new Map<string, { text: string; at: number }>();
  /** When each agent's latest turns started, for the flood guard (heartbeat_flood.ts). */
  #starts = new Map<string, number[]>();
  /** Wakes deferred by the flood guard or a busy session, one per agent and session. */
  #retries = new WakeRetries();
  #stopped = false;

  constructor(deps: HeartbeatServiceDeps) {
    this.#deps = deps;
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now();
  }

  /** The last outcome, or null before any heartbeat ran. */
  get last(): HeartbeatOutcome | null {
    return this.#last;
  }

  /** Texts waiting for the default agent's main session (`status.queuedSystemEvents`). */
  get queued(): string[] {
    return this.#events.peek(mainKey(this.#deps.agents().defaultAgentId)).map((event) => event.text);
  }

  /** Whether heartbeats run at all (`set-heartbeats`). */
  get enabled(): boolean {
    return this.#enabled;
  }

  /** `set-heartbeats`: off stops scheduled turns and wakes alike; on resumes them. */
  setEnabled(enabled: boolean): void {
    this.#enabled = enabled;
    this.reconfigure();
  }

  /** The session a system event for `agentId`/`sessionKey` waits in. */
  #sessionFor(input: { agentId?: string | undefined; sessionKey?: string | undefined }): string {
    if (input.sessionKey) return input.sessionKey;
    const agentId = input.agentId ?? this.#deps.agents().defaultAgentId;
    return this.#deps.settings().of(agentId).session ?? mainKey(agentId);
  }

  /** Queues a system event for the next heartbeat turn; an identical queued text coalesces. */
  enqueue(event: SystemEventInput): "queued" | "coalesced" {
    return this.#events.enqueue(this.#sessionFor(event), event.text, this.#now());
  }

  /** `wake`: queues the text; `now` (or a named session) runs a turn at once without waiting for it. */
  wake(input: {
    mode: "now" | "next-heartbeat";
    text: string;
    agentId?: string | undefined;
    sessionKey?: string | undefined;
  }): "queued" | "coalesced" {
    const result = this.enqueue(input);
    if (input.mode === "now" || input.sessionKey) {
      void this.#turn({ reason: "wake", source: "manual", agentId: input.agentId, sessionKey: input.sessionKey });
    }
    return result;
  }

  /** Asks for a heartbeat turn now (joining one already running) and resolves with its outcome. */
  runNow(
    input: { reason: string; agentId?: string | undefined; sessionKey?: string | undefined },
  ): Promise<HeartbeatOutcome> {
    const source: HeartbeatSource = input.reason.startsWith("cron") ? "cron" : "manual";
    return this.#turn({ ...input, source });
  }

  /** The session a turn of `agentId` runs in: the one named, else `heartbeat.session`, else the main one. */
  #sessionOf(agentId: string, sessionKey: string | undefined): string {
    return sessionKey ?? this.#deps.settings().of(agentId).session ?? mainKey(agentId);
  }

  #agentOf(input: { agentId?: string | undefined; sessionKey?: string | undefined }): string {
    if (input.agentId) return input.agentId;
    const fromKey = /^agent:([^:]+):/.exec(input.sessionKey ?? "")?.[1];
    return fromKey ?? this.#deps.agents().defaultAgentId;
  }

  #turn(
    input: { reason: string; source: HeartbeatSource; agentId?: string | undefined; sessionKey?: string | undefined },
  ): Promise<HeartbeatOutcome> {
    // A stopped heartbeat starts nothing (a wake that waited on a turn running at shutdown included).
    if (this.#stopped) {
      return Promise.resolve({ ts: this.#now(), status: "skipped", reason: "disabled", durationMs: 0 });
    }
    const agentId = this.#agentOf(input);
    const running = this.#running.get(agentId);
    if (running) {
      // Events queued after the running turn read the queue get a turn of their own right after it
      // (a cron job's wake must not resolve with a turn that never saw its event).
      const sessionKey = this.#sessionOf(agentId, input.sessionKey);
      return running.then((outcome) =>
        input.source !== "interval" && this.#events.peek(sessionKey).length > 0 ? this.#turn(input) : outcome
      );
    }
    // The flood guard counts configured agents only: an unknown agent id must not grow its map.
    const known = this.#deps.agents().agents.some((agent) => agent.id === agentId);
    const flood = known ? floodDecision(this.#starts.get(agentId) ?? [], this.#now()) : undefined;
    if (flood?.kind === "defer") {
      // A flooded turn runs and emits nothing (as in the reference); a wake's events get one turn later.
      if (this.#retryLater(agentId, input, flood.retryAt - this.#now())) {
        this.#deps.warn?.(`heartbeat: flood guard tripped for agent ${agentId}; deferring the wake`);
      }
      return Promise.resolve({ ts: this.#now(), status: "skipped", reason: "flood", durationMs: 0 });
    }
    if (flood) this.#starts.set(agentId, flood.starts);
    const turn = this.#runTurn(agentId, input).then((outcome) => {
      if (outcome.status === "skipped" && outcome.reason === "requests-in-flight") {
        // A busy session is no turn (the flood guard does not count it); a wake's events try again
        // in a second, as in the reference, instead of waiting for the next interval.
        this.#starts.get(agentId)?.pop();
        this.#retryLater(agentId, input, BUSY_RETRY_MS);
      }
      return outcome;
    }).finally(() => this.#running.delete(agentId));
    this.#running.set(agentId, turn);
    return turn;
  }

  /**
   * The turn's checklist: the reference's monitor scratch when the agent has a heartbeat monitor in the cron
   * store (a state dir the reference has run on), else the workspace's `HEARTBEAT.md`. A store that cannot be
   * read is warned about and the file read instead.
   */
  async #scratchOf(agentId: string, workspace: string): Promise<string | undefined> {
    let monitor: { content: string | undefined } | undefined;
    try {
      monitor = this.#deps.monitor?.(agentId);
    } catch (error) {
      this.#deps.warn?.(
        `heartbeat: monitor scratch of ${agentId} not read: ${error instanceof Error ? error.message : error}`,
      );
    }
    if (monitor) return monitor.content;
    const read = this.#deps.readScratch ?? ((path: string) => readIfPresent(path, this.#deps.warn));
    return await read(joinPath(workspace, "HEARTBEAT.md")).catch(() => undefined);
  }

  /** Runs a wake's turn again after `delayMs` if its events are still queued then; whether one was armed. */
  #retryLater(
    agentId: string,
    input: { reason: string; source: HeartbeatSource; sessionKey?: string | undefined },
    delayMs: number,
  ): boolean {
    if (input.source === "interval") return false;
    return this.#retries.schedule(`${agentId}\n${input.sessionKey ?? ""}`, delayMs, () => {
      const sessionKey = this.#sessionOf(agentId, input.sessionKey);
      // Events a later turn already took need no turn of their own.
      if (this.#events.peek(sessionKey).length > 0) void this.#turn({ ...input, agentId, reason: "retry" });
    });
  }

  async #runTurn(
    agentId: string,
    input: { reason: string; source: HeartbeatSource; sessionKey?: string | undefined },
  ): Promise<HeartbeatOutcome> {
    const startedAt = this.#now();
    const view = this.#deps.settings();
    const settings = view.of(agentId);
    const agent = this.#deps.agents().agents.find((a) => a.id === agentId);
    const enrolled = view.agentIds.includes(agentId);
    // Disabled turns emit nothing, as in the reference; a wake runs for an unenrolled agent too (measured).
    if (!this.#enabled || !agent || (input.source === "interval" && (!enrolled || !settings.enabled))) {
      return { ts: startedAt, status: "skipped", reason: "disabled", durationMs: 0 };
    }
    const sessionKey = input.sessionKey ?? settings.session ?? mainKey(agentId);
    const runSessionKey = settings.isolatedSession ? `${sessionKey}:heartbeat` : sessionKey;
    const events = this.#events.peek(sessionKey);
    let outcome: HeartbeatOutcome;
    let consumed = false;
    try {
      const scratch = await this.#scratchOf(agentId, agent.workspace);
      const result = await runHeartbeatTurn({
        agentId,
        settings,
        sessionKey,
        runSessionKey,
        source: input.source,
        reason: input.reason,
        events,
        scratch,
        route: heartbeatRoute(settings, this.#deps.ownerAllowFrom()),
        unrunnable: settings.model ? undefined : agent.unrunnable,
        lastSent: this.#lastSent.get(agentId),
      }, {
        run: this.#deps.run,
        deliver: this.#deps.deliver,
        busy: this.#deps.busy,
        now: () => this.#now(),
        lastRoute: this.#deps.lastRoute,
        // A fresh isolated session only for a turn that runs (a skipped one would leave an empty window).
        beforeRun: settings.isolatedSession ? () => this.#deps.resetSession(runSessionKey, agentId) : undefined,
      });
      outcome = result.outcome;
      consumed = result.consumed;
      if (result.sent !== undefined) this.#lastSent.set(agentId, { text: result.sent, at: startedAt });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#deps.warn?.(`heartbeat failed: ${reason}`);
      outcome = { ts: this.#now(), status: "failed", reason, durationMs: this.#now() - startedAt };
    }
    if (consumed) this.#events.consume(sessionKey, events);
    this.#last = outcome;
    this.#deps.emit(outcome);
    return outcome;
  }

  /** `status.heartbeat.agents[].waitingForRoute`: a running heartbeat with nowhere to deliver yet. */
  async waitingForRoute(agentId: string): Promise<boolean> {
    const settings = this.#deps.settings().of(agentId);
    if (!this.#enabled || !settings.enabled) return false;
    const route = heartbeatRoute(settings, this.#deps.ownerAllowFrom());
    if (route.kind === "none") return route.reason === "no-route";
    if (route.target.channel !== "last" || !this.#deps.hasLastRoute) return false;
    return !(await this.#deps.hasLastRoute(settings.session ?? mainKey(agentId), agentId));
  }

  /** Scheduled heartbeats need automations on, as in the reference (`cron.enabled: false` stops them). */
  #scheduling(): boolean {
    return this.#enabled && !this.#stopped && this.#deps.settings().cronEnabled;
  }

  /** Starts the schedule (warning when automations are off, as the reference does). */
  start(): void {
    if (!this.#scheduling() && this.#enabled) {
      this.#deps.warn?.("cron is disabled (cron.enabled=false); scheduled heartbeats will not run");
    }
    this.reconfigure();
    // As the reference words it: `started` when some agent has a cadence, else `disabled`.
    this.#deps.info?.(this.#due.size > 0 ? "started" : "disabled");
  }

  /** Re-reads the config (after a reload): agents enrolled or removed, intervals changed. */
  reconfigure(): void {
    const now = this.#now();
    const view = this.#deps.settings();
    const next = new Map<string, { at: number; everyMs: number }>();
    if (this.#scheduling()) {
      for (const agentId of view.agentIds) {
        const settings = view.of(agentId);
        if (!settings.enabled || settings.everyMs === null) continue;
        const kept = this.#due.get(agentId);
        next.set(
          agentId,
          kept?.everyMs === settings.everyMs ? kept : { at: now + settings.everyMs, everyMs: settings.everyMs },
        );
      }
    }
    this.#due = next;
    this.#arm();
  }

  #arm(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#due.size === 0) return;
    const soonest = Math.min(...[...this.#due.values()].map((due) => due.at));
    // Armed as the gateway starts and at each due turn: the web platform's timer, so neither the work after the first
    // client nor an idle gateway loads Node's (async/web_timer.ts).
    this.#cancelTimer = webTimeout(timerSafeMs(Math.max(0, soonest - this.#now())), () => this.#tick());
  }

  #tick(): void {
    const now = this.#now();
    for (const [agentId, due] of this.#due) {
      if (due.at > now) continue;
      due.at = now + due.everyMs;
      void this.#turn({ reason: "interval", source: "interval", agentId });
    }
    this.#arm();
  }

  /** The next scheduled turn per agent (epoch ms), for tests and diagnostics. */
  nextDue(): Record<string, number> {
    return Object.fromEntries([...this.#due].map(([agentId, due]) => [agentId, due.at]));
  }

  /** Stops the schedule; turns in flight finish (their runs belong to the run engine). */
  stop(): void {
    this.#stopped = true;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#retries.stop();
  }
}
