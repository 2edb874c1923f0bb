// Token usage of sessions as the reference's Usage page reads it (`sessions.usage`), summed from
// the usage each answer recorded in our transcripts. There are no prices here, so every cost is 0
// and each priced-less answer counts as a missing cost entry, as the reference counts one.
import type { TranscriptMessage } from "../../sessions/store.ts";

/** Token and cost totals, the reference's `CostUsageTotals`. */
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
}

/** Message counts by kind. */
export interface MessageCounts {
  total: number;
  user: number;
  assistant: number;
  toolCalls: number;
  toolResults: number;
  errors: number;
}

/** Totals with nothing counted yet. */
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

/** Adds `source` into `target`. */
export function addTotals(target: UsageTotals, source: UsageTotals): void {
  for (const key of TOTAL_KEYS) target[key] += source[key];
}

const COUNT_KEYS = Object.keys(emptyCounts()) as (keyof MessageCounts)[];
const TOTAL_KEYS = Object.keys(emptyTotals()) as (keyof UsageTotals)[];

/** Adds counts only (a dated row keeps its date). */
function addCounts(target: MessageCounts, source: MessageCounts): void {
  for (const key of COUNT_KEYS) target[key] += source[key];
}

/** One answer's usage as totals (no price known: a missing cost entry). */
function answerTotals(usage: { input: number; output: number }): UsageTotals {
  return {
    ...emptyTotals(),
    input: usage.input,
    output: usage.output,
    totalTokens: usage.input + usage.output,
    missingCostEntries: 1,
  };
}

/** A day (`YYYY-MM-DD`, UTC) of a timestamp. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const ERROR_STOPS = new Set(["error", "aborted", "timeout"]);

/** A model's share of usage: answers counted and their totals. */
export interface ModelUsage {
  provider: string | undefined;
  model: string | undefined;
  count: number;
  totals: UsageTotals;
}

/** One session's usage in a time range: the reference's session cost summary, from our transcript. */
export function sessionUsage(
  messages: readonly TranscriptMessage[],
  sessionId: string,
  range: { startMs: number; endMs: number },
) {
  const totals = emptyTotals();
  const messageCounts = emptyCounts();
  const models = new Map<string, ModelUsage>();
  const daily = new Map<string, UsageTotals>();
  const dailyMessages = new Map<string, MessageCounts & { date: string }>();
  const dailyModels = new Map<
    string,
    { date: string; provider?: string; model?: string; tokens: number; cost: number; count: number }
  >();
  let first: number | undefined;
  let last: number | undefined;
  for (const m of messages) {
    if (m.timestamp < range.startMs || m.timestamp > range.endMs) continue;
    const date = utcDay(m.timestamp);
    first = first === undefined ? m.timestamp : Math.min(first, m.timestamp);
    last = last === undefined ? m.timestamp : Math.max(last, m.timestamp);
    const counts = { ...emptyCounts(), total: 1, [m.role]: 1, errors: ERROR_STOPS.has(m.stopReason ?? "") ? 1 : 0 };
    addCounts(messageCounts, counts);
    const day = dailyMessages.get(date) ?? { date, ...emptyCounts() };
    addCounts(day, counts);
    dailyMessages.set(date, day);
    if (m.role !== "assistant" || !m.usage) continue;
    const used = answerTotals(m.usage);
    addTotals(totals, used);
    const dayTotals = daily.get(date) ?? emptyTotals();
    addTotals(dayTotals, used);
    daily.set(date, dayTotals);
    const id = JSON.stringify([m.provider ?? "unknown", m.model ?? "unknown"]);
    const model = models.get(id) ?? { provider: m.provider, model: m.model, count: 0, totals: emptyTotals() };
    model.count += 1;
    addTotals(model.totals, used);
    models.set(id, model);
    const dayId = JSON.stringify([date, m.provider ?? "unknown", m.model ?? "unknown"]);
    const dayModel = dailyModels.get(dayId) ??
      { date, provider: m.provider, model: m.model, tokens: 0, cost: 0, count: 0 };
    dayModel.tokens += used.totalTokens;
    dayModel.count += 1;
    dailyModels.set(dayId, dayModel);
  }
  const byDate = <T extends { date: string }>(rows: Iterable<T>) =>
    [...rows].sort((a, b) => a.date.localeCompare(b.date));
  return {
    sessionId,
    firstActivity: first,
    lastActivity: last,
    durationMs: first !== undefined && last !== undefined ? last - first : undefined,
    activityDates: [...dailyMessages.keys()].sort(),
    dailyBreakdown: byDate([...daily].map(([date, t]) => ({ date, tokens: t.totalTokens, cost: t.totalCost, ...t }))),
    dailyMessageCounts: byDate(dailyMessages.values()),
    ...(dailyModels.size > 0 ? { dailyModelUsage: byDate(dailyModels.values()) } : {}),
    messageCounts,
    toolUsage: { totalCalls: 0, uniqueTools: 0, tools: [] },
    modelUsage: [...models.values()].sort((a, b) => b.totals.totalTokens - a.totals.totalTokens),
    ...totals,
  };
}

/** One session's usage summary. */
export type SessionUsage = ReturnType<typeof sessionUsage>;

/** Sums session summaries into the totals and `aggregates` of `sessions.usage`. */
export function usageAggregates(
  entries: { usage: SessionUsage; agentId: string; creatorKey: string; actor: unknown }[],
) {
  const totals = emptyTotals();
  const messages = emptyCounts();
  const byModel = new Map<string, ModelUsage>();
  const byProvider = new Map<string, ModelUsage>();
  const byAgent = new Map<string, UsageTotals>();
  const creators = new Map<string, { key: string; actor: unknown; totals: UsageTotals; sessionCount: number }>();
  const days = new Map<
    string,
    { date: string; tokens: number; cost: number; messages: number; toolCalls: number; errors: number }
  >();
  const costDaily = new Map<string, UsageTotals>();
  const modelDaily = new Map<string, NonNullable<SessionUsage["dailyModelUsage"]>[number]>();
  let sessionCount = 0;
  const day = (date: string) => {
    const found = days.get(date) ?? { date, tokens: 0, cost: 0, messages: 0, toolCalls: 0, errors: 0 };
    days.set(date, found);
    return found;
  };
  const merge = (map: Map<string, ModelUsage>, key: string, entry: ModelUsage, model: string | undefined) => {
    const found = map.get(key) ?? { provider: entry.provider, model, count: 0, totals: emptyTotals() };
    found.count += entry.count;
    addTotals(found.totals, entry.totals);
    map.set(key, found);
  };
  for (const { usage, agentId, creatorKey, actor } of entries) {
    const { firstActivity, messageCounts } = usage;
    // A session summary is a superset of totals: take just those.
    const own = emptyTotals();
    addTotals(own, usage);
    addTotals(totals, own);
    const counted = firstActivity !== undefined || messageCounts.total > 0;
    if (counted) sessionCount++;
    addCounts(messages, messageCounts);
    for (const m of usage.modelUsage) {
      merge(byModel, JSON.stringify([m.provider ?? "unknown", m.model ?? "unknown"]), m, m.model);
      merge(byProvider, m.provider ?? "unknown", m, undefined);
    }
    const agentTotals = byAgent.get(agentId) ?? emptyTotals();
    addTotals(agentTotals, own);
    byAgent.set(agentId, agentTotals);
    const creator = creators.get(creatorKey) ?? { key: creatorKey, actor, totals: emptyTotals(), sessionCount: 0 };
    addTotals(creator.totals, own);
    if (counted) creator.sessionCount++;
    creators.set(creatorKey, creator);
    for (const d of usage.dailyBreakdown) {
      const { date, tokens: _t, cost: _c, ...t } = d;
      day(date).tokens += d.tokens;
      const c = costDaily.get(date) ?? emptyTotals();
      addTotals(c, t);
      costDaily.set(date, c);
    }
    for (const d of usage.dailyMessageCounts) {
      day(d.date).messages += d.total;
      day(d.date).errors += d.errors;
    }
    for (const d of usage.dailyModelUsage ?? []) {
      const key = JSON.stringify([d.date, d.provider ?? "unknown", d.model ?? "unknown"]);
      const found = modelDaily.get(key) ?? { ...d, tokens: 0, cost: 0, count: 0 };
      found.tokens += d.tokens;
      found.count += d.count;
      modelDaily.set(key, found);
    }
  }
  const byTokens = (a: { totals: UsageTotals }, b: { totals: UsageTotals }) =>
    b.totals.totalTokens - a.totals.totalTokens;
  const byDate = <T extends { date: string }>(rows: Iterable<T>) =>
    [...rows].sort((a, b) => a.date.localeCompare(b.date));
  return {
    totals,
    aggregates: {
      sessionCount,
      messages,
      tools: { totalCalls: 0, uniqueTools: 0, tools: [] },
      byModel: [...byModel.values()].sort(byTokens),
      byProvider: [...byProvider.values()].sort(byTokens),
      byAgent: [...byAgent].map(([agentId, t]) => ({ agentId, totals: t })).sort(byTokens),
      byChannel: [],
      byCreator: [...creators.values()].map((c) => ({ ...c, daily: [], sessionActivity: [] })).sort(byTokens),
      costDaily: byDate([...costDaily].map(([date, t]) => ({ date, ...t }))),
      dailyLatency: [],
      modelDaily: byDate(modelDaily.values()),
      daily: byDate(days.values()),
    },
  };
}
