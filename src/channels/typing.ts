// Typing indicators while a channel's run works, as the reference shows them: `agents.defaults.typingMode`
// (or an agent's own) decides when typing starts, `agents.defaults.typingIntervalSeconds` (6 s) how often it
// is sent again (Telegram's lasts about 5 s), and it stops when the run ends or after 2 minutes without activity.

/** When typing starts (`typingMode`): never, as the run starts, or on its first activity (thinking, message). */
export type TypingMode = "never" | "instant" | "thinking" | "message";

/** The reference's refresh cadence when `typingIntervalSeconds` is unset. */
const DEFAULT_INTERVAL_SECONDS = 6;
/** The reference stops typing after this long without run activity (a stuck run shows no endless typing). */
const DEFAULT_TTL_MS = 120_000;

/** The timers a typing loop runs on: the real ones, or a manual clock in tests. */
export interface TypingClock {
  now(): number;
  setTimeout(run: () => void, ms: number): number;
  clearTimeout(id: number): void;
}

/** When and how often one run's chat shows typing. */
export interface TypingPlan {
  /** `instant`: at run start; `activity`: at the run's first delta. */
  start: "never" | "instant" | "activity";
  intervalMs: number;
}

const MODES: readonly string[] = ["never", "instant", "thinking", "message"];

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** The agent's own `typingMode` (`agents.entries.<id>` or `agents.list[]`), else `agents.defaults.typingMode`. */
function configuredMode(agents: Record<string, unknown> | undefined, agentId: string): TypingMode | undefined {
  const listed = Array.isArray(agents?.list)
    ? agents.list.map(record).find((entry) => entry?.id === agentId)
    : undefined;
  for (const source of [record(record(agents?.entries)?.[agentId]), listed, record(agents?.defaults)]) {
    const mode = source?.typingMode;
    if (typeof mode === "string" && MODES.includes(mode)) return mode as TypingMode;
  }
  return undefined;
}

/**
 * The typing plan for a run answering a chat message, from the config as written. Unset mode: at once in a
 * direct chat or when the bot was mentioned, else at the run's first activity (the reference's defaults).
 */
export function typingPlan(
  rawConfig: Record<string, unknown> | undefined,
  agentId: string,
  chat: { direct: boolean; mentioned: boolean },
): TypingPlan {
  const agents = record(rawConfig?.agents);
  const seconds = record(agents?.defaults)?.typingIntervalSeconds;
  const intervalMs = (typeof seconds === "number" && seconds > 0 ? seconds : DEFAULT_INTERVAL_SECONDS) * 1000;
  const mode = configuredMode(agents, agentId) ?? (chat.direct || chat.mentioned ? "instant" : "message");
  return { start: mode === "never" ? "never" : mode === "instant" ? "instant" : "activity", intervalMs };
}

/** A running typing indicator: told of run activity, stopped when the run ends. */
export interface TypingLoop {
  /** The run produced something: starts an `activity` plan, keeps a started one alive. */
  activity(): void;
  /** The run ended (reply, error, abort): no typing is sent after this. */
  stop(): void;
}

/** What a typing loop needs: the plan, the send (its failures are the caller's to log) and the clock. */
export interface TypingLoopDeps {
  plan: TypingPlan;
  send(): Promise<void>;
  onError(error: unknown): void;
  clock: TypingClock;
}

/**
 * Starts a run's typing loop. Sends are fire-and-forget: a failed or slow `sendChatAction` never delays the
 * reply. The loop keeps one timer; activity only stamps a time, so streamed deltas cost nothing more.
 */
export function startTypingLoop(deps: TypingLoopDeps): TypingLoop {
  const { plan, clock } = deps;
  const ttlMs = Math.max(DEFAULT_TTL_MS, plan.intervalMs * 2);
  let timer: number | undefined;
  let started = false;
  let stopped = false;
  let lastActivity = clock.now();
  const tick = () => {
    timer = undefined;
    if (stopped) return;
    if (clock.now() - lastActivity >= ttlMs) return;
    deps.send().catch(deps.onError);
    timer = clock.setTimeout(tick, plan.intervalMs);
  };
  const begin = () => {
    if (started || stopped || plan.start === "never") return;
    started = true;
    tick();
  };
  if (plan.start === "instant") begin();
  return {
    activity() {
      lastActivity = clock.now();
      if (!started) begin();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The real timers, for a running gateway. */
export function systemTypingClock(): TypingClock {
  return {
    now: () => Date.now(),
    setTimeout: (run, ms) => Number(setTimeout(run, ms)),
    clearTimeout: (id) => clearTimeout(id),
  };
}
