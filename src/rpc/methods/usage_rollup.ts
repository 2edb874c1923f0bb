// Token usage from this gateway's own transcripts, shaped as the reference's `usage.cost` and
// `sessions.usage` payloads. Each assistant message with `usage` is one entry; this gateway has no
// price table, so every cost is 0 and each entry counts in `missingCostEntries`, as the reference
// counts entries whose cost it cannot resolve.
import type { TranscriptMessage } from "../../sessions/store.ts";
import type { UsageRange } from "./usage_range.ts";

/** The fields of a transcript message the usage rollup reads (its text is never needed). */
export type UsageMessage = Pick<
  TranscriptMessage,
  "role" | "timestamp" | "provider" | "model" | "stopReason" | "usage"
>;

/** One session's transcript, as the usage methods read it. */
export interface UsageSession {
  agentId: string;
  key: string;
  sessionId: string;
  updatedAt: number;
  messages: readonly UsageMessage[];
}

/** The reference's token/cost totals (`CostUsageTotals`). */
export interface UsageTotals {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  totalTokens: number;
  totalCost: number;
  inputCost: number;
  outputCost: number;
  cacheReadCost: number;
  cacheWriteCost: number;
  missingCostEntries: number;
  missingCostByModel?: Record<string, number>;
}

interface MessageCounts {
  total: number;
  user: number;
  assistant: number;
  toolCalls: number;
  toolResults: number;
  errors: number;
}

interface ModelUsage {
  provider: string | undefined;
  model: string | undefined;
  count: number;
  totals: UsageTotals;
}

const ERROR_STOP_REASONS = new Set(["error", "aborted", "timeout"]);

/** Zeroed totals. */
export function emptyTotals(): UsageTotals {
  return {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    totalTokens: 0,
    totalCost: 0,
    inputCost: 0,
    outputCost: 0,
    cacheReadCost: 0,
    cacheWriteCost: 0,
    missingCostEntries: 0,
  };
}

function emptyCounts(): MessageCounts {
  return { total: 0, user: 0, assistant: 0, toolCalls: 0, toolResults: 0, errors: 0 };
}

const TOTAL_KEYS = Object.keys(emptyTotals()) as Exclude<keyof UsageTotals, "missingCostByModel">[];

/** Adds the token and cost fields of `source` (which may carry others, such as a day's `date`) to `target`. */
function addTotals(target: UsageTotals, source: UsageTotals): void {
  for (const key of TOTAL_KEYS) target[key] += source[key];
  for (const [model, count] of Object.entries(source.missingCostByModel ?? {})) {
    target.missingCostByModel ??= {};
    target.missingCostByModel[model] = (target.missingCostByModel[model] ?? 0) + count;
  }
}

/** The totals one message contributes: its tokens, and one missing cost when it has usage. */
function messageTotals(message: UsageMessage): UsageTotals | undefined {
  if (!message.usage) return undefined;
  const totals = emptyTotals();
  totals.input = message.usage.input;
  totals.output = message.usage.output;
  totals.totalTokens = message.usage.input + message.usage.output;
  totals.missingCostEntries = 1;
  totals.missingCostByModel = { [`${message.provider ?? "unknown"}/${message.model ?? "unknown"}`]: 1 };
  return totals;
}

function inRange(range: UsageRange, ts: number): string | undefined {
  const day = range.dayOf(ts);
  return day >= range.startDate && day <= range.endDate ? day : undefined;
}

/** The `usage.cost` payload: a row for every day of the window, and the window's totals. */
export function costUsageSummary(sessions: readonly UsageSession[], range: UsageRange, now: number) {
  const byDay = new Map<string, UsageTotals>();
  for (let i = 0; i < range.days; i++) {
    const date = new Date(Date.parse(`${range.startDate}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(date, emptyTotals());
  }
  const totals = emptyTotals();
  for (const session of sessions) {
    for (const message of session.messages) {
      const day = inRange(range, message.timestamp);
      const entry = day === undefined ? undefined : messageTotals(message);
      if (!entry || day === undefined) continue;
      addTotals(byDay.get(day)!, entry);
      addTotals(totals, entry);
    }
  }
  return {
    updatedAt: now,
    days: range.days,
    daily: [...byDay].map(([date, day]) => ({ date, ...day })),
    totals,
    cacheStatus: { status: "fresh", cachedFiles: 0, pendingFiles: 0, staleFiles: 0 },
  };
}

/** One session's usage within the window (the reference's `SessionCostSummary`), or undefined when it had none. */
export function sessionUsage(session: UsageSession, range: UsageRange) {
  const totals = emptyTotals();
  const counts = emptyCounts();
  const days = new Map<string, UsageTotals>();
  const dayCounts = new Map<string, MessageCounts & { date: string }>();
  const models = new Map<string, ModelUsage>();
  const dayModels = new Map<
    string,
    { date: string; provider?: string; model?: string; tokens: number; cost: number; count: number }
  >();
  let first: number | undefined;
  let last: number | undefined;
  for (const message of session.messages) {
    // A nested tool call's entry is no message of the conversation: its parent call's result counts.
    if (message.role === "custom") continue;
    const day = inRange(range, message.timestamp);
    if (day === undefined) continue;
    first = Math.min(first ?? message.timestamp, message.timestamp);
    last = Math.max(last ?? message.timestamp, message.timestamp);
    const dayCount = dayCounts.get(day) ?? { date: day, ...emptyCounts() };
    for (const target of [counts, dayCount]) {
      target.total += 1;
      if (message.role === "toolResult") target.toolResults += 1;
      else target[message.role] += 1;
      if (message.stopReason && ERROR_STOP_REASONS.has(message.stopReason)) target.errors += 1;
    }
    dayCounts.set(day, dayCount);
    const entry = messageTotals(message);
    if (!entry) continue;
    addTotals(totals, entry);
    const dayTotals = days.get(day) ?? emptyTotals();
    addTotals(dayTotals, entry);
    days.set(day, dayTotals);
    const modelKey = `${message.provider ?? ""}/${message.model ?? ""}`;
    const model = models.get(modelKey) ??
      { provider: message.provider, model: message.model, count: 0, totals: emptyTotals() };
    model.count += 1;
    addTotals(model.totals, entry);
    models.set(modelKey, model);
    const dayModelKey = `${day}|${modelKey}`;
    const dayModel = dayModels.get(dayModelKey) ??
      { date: day, provider: message.provider, model: message.model, tokens: 0, cost: 0, count: 0 };
    dayModel.tokens += entry.totalTokens;
    dayModel.count += 1;
    dayModels.set(dayModelKey, dayModel);
  }
  if (first === undefined || last === undefined) return undefined;
  const byDate = (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date);
  return {
    ...totals,
    sessionId: session.sessionId,
    firstActivity: first,
    lastActivity: last,
    durationMs: Math.max(0, last - first),
    activityDates: [...dayCounts.keys()].sort(),
    dailyBreakdown: [...days].map(([date, day]) => ({ date, tokens: day.totalTokens, cost: day.totalCost, ...day }))
      .sort(byDate),
    dailyMessageCounts: [...dayCounts.values()].sort(byDate),
    dailyModelUsage: dayModels.size ? [...dayModels.values()].sort(byDate) : undefined,
    messageCounts: counts,
    modelUsage: models.size
      ? [...models.values()].sort((a, b) => b.totals.totalTokens - a.totals.totalTokens)
      : undefined,
  };
}

/** What `sessions.usage` lists per session besides its usage. */
type SessionUsage = NonNullable<ReturnType<typeof sessionUsage>>;

function groupTotals(map: Map<string, UsageTotals>, key: string, usage: UsageTotals): void {
  const totals = map.get(key) ?? emptyTotals();
  addTotals(totals, usage);
  map.set(key, totals);
}

function usageTotalsOf(usage: SessionUsage): UsageTotals {
  const totals = emptyTotals();
  addTotals(totals, usage);
  return totals;
}

/** The `aggregates` of `sessions.usage`: counts, per model/provider/agent and per day. */
function aggregate(rows: { agentId: string; usage: SessionUsage }[]) {
  const messages = emptyCounts();
  const models = new Map<string, ModelUsage>();
  const providers = new Map<string, ModelUsage>();
  const agents = new Map<string, UsageTotals>();
  const costDays = new Map<string, UsageTotals>();
  const days = new Map<
    string,
    { date: string; tokens: number; cost: number; messages: number; toolCalls: number; errors: number }
  >();
  const modelDaily = new Map<string, { date: string; tokens: number; cost: number; count: number }>();
  let longest = 0;
  const day = (date: string) => {
    const existing = days.get(date) ?? { date, tokens: 0, cost: 0, messages: 0, toolCalls: 0, errors: 0 };
    days.set(date, existing);
    return existing;
  };
  for (const { agentId, usage } of rows) {
    longest = Math.max(longest, usage.durationMs);
    for (const key of Object.keys(messages) as (keyof MessageCounts)[]) messages[key] += usage.messageCounts[key];
    for (const model of usage.modelUsage ?? []) {
      for (
        const [map, key, name] of [
          [models, `${model.provider}/${model.model}`, model.model],
          [providers, model.provider ?? "unknown", undefined],
        ] as const
      ) {
        const existing = map.get(key) ?? { provider: model.provider, model: name, count: 0, totals: emptyTotals() };
        existing.count += model.count;
        addTotals(existing.totals, model.totals);
        map.set(key, existing);
      }
    }
    groupTotals(agents, agentId, usageTotalsOf(usage));
    for (const row of usage.dailyBreakdown) {
      day(row.date).tokens += row.tokens;
      groupTotals(costDays, row.date, row);
    }
    for (const row of usage.dailyMessageCounts) {
      const existing = day(row.date);
      existing.messages += row.total;
      existing.toolCalls += row.toolCalls;
      existing.errors += row.errors;
    }
    for (const row of usage.dailyModelUsage ?? []) {
      const key = `${row.date}|${row.provider}/${row.model}`;
      const existing = modelDaily.get(key) ?? { ...row, tokens: 0, cost: 0, count: 0 };
      existing.tokens += row.tokens;
      existing.count += row.count;
      modelDaily.set(key, existing);
    }
  }
  const byTokens = (a: { totals: UsageTotals }, b: { totals: UsageTotals }) =>
    b.totals.totalCost - a.totals.totalCost || b.totals.totalTokens - a.totals.totalTokens;
  const byDate = (a: { date: string }, b: { date: string }) => a.date.localeCompare(b.date);
  return {
    sessionCount: rows.length,
    ...(longest > 0 ? { longestSessionDurationMs: longest } : {}),
    messages,
    tools: { totalCalls: 0, uniqueTools: 0, tools: [] },
    byModel: [...models.values()].sort(byTokens),
    byProvider: [...providers.values()].sort(byTokens),
    byAgent: [...agents].map(([agentId, totals]) => ({ agentId, totals })).sort(byTokens),
    byChannel: [],
    byCreator: [],
    costDaily: [...costDays].map(([date, totals]) => ({ date, ...totals })).sort(byDate),
    dailyLatency: [],
    modelDaily: [...modelDaily.values()].sort(byDate),
    daily: [...days.values()].sort(byDate),
  };
}

/** The `sessions.usage` payload: sessions active in the window, newest first, up to `limit`. */
export function sessionsUsageSummary(
  sessions: readonly UsageSession[],
  range: UsageRange,
  limit: number,
  now: number,
) {
  const rows = sessions
    .map((session) => ({ session, agentId: session.agentId, usage: sessionUsage(session, range) }))
    .filter((row): row is { session: UsageSession; agentId: string; usage: SessionUsage } => row.usage !== undefined)
    .sort((a, b) => b.session.updatedAt - a.session.updatedAt);
  const totals = emptyTotals();
  for (const row of rows) addTotals(totals, usageTotalsOf(row.usage));
  return {
    updatedAt: now,
    startDate: range.startDate,
    endDate: range.endDate,
    sessions: rows.slice(0, limit).map(({ session, usage }) => ({
      key: session.key,
      sessionId: session.sessionId,
      scope: "instance",
      updatedAt: session.updatedAt,
      agentId: session.agentId,
      usage,
      hasContextWeight: false,
    })),
    totals,
    aggregates: aggregate(rows),
    creatorOptions: [],
  };
}
