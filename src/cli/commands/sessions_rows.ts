// One stored session as `openclaw sessions` shows it: the reference's JSON row (its keys, in its
// order) and the cells of its table (kind, key cut in the middle, age, model, runtime, tokens, flags).
import type { StoredSessionEntry } from "../../state/session_entries_read.ts";

/** A `provider/model` pair. */
export interface DisplayModel {
  provider: string;
  model: string;
}

/** What the rows need from config: each agent's default model, and model context windows. */
export interface RowContext {
  /** The agent's primary model, else `agents.defaults.model`, else the reference's `openai/gpt-6-astra`. */
  defaultModel(agentId: string): DisplayModel;
  /** A configured model's context window (`models.providers.<p>.models[].contextWindow`). */
  contextWindow(model: DisplayModel): number | undefined;
  /** The window of the configured default model, else 200000: what a row without its own shows. */
  fallbackContextTokens: number;
  now: number;
}

/** A row of the listing: the reference's JSON row, plus what its table shows. */
export interface SessionListRow {
  json: Record<string, unknown>;
  runtimeLabel: string;
  flags: string;
}

/** The keys the reference copies from a stored entry, in its order (`toSessionDisplayRow`). */
const ENTRY_KEYS = [
  "sessionId",
  "spawnedBy",
  "spawnedWorkspaceDir",
  "spawnedCwd",
  "parentSessionKey",
  "forkedFromParent",
  "spawnDepth",
  "subagentRole",
  "subagentControlScope",
  "sessionStartedAt",
  "lastInteractionAt",
  "label",
  "color",
  "status",
  "visibility",
  "createdActor",
  "owner",
  "participants",
  "participantCount",
  "systemSent",
  "abortedLastRun",
  "thinkingLevel",
  "verboseLevel",
  "traceLevel",
  "reasoningLevel",
  "elevatedLevel",
  "responseUsage",
  "groupActivation",
  "inputTokens",
  "outputTokens",
  "totalTokens",
  "totalTokensFresh",
  "totalTokensVersion",
  "model",
  "modelProvider",
  "providerOverride",
  "modelOverride",
  "contextTokens",
] as const;

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;

/** The agent a key names (`agent:<id>:…`), else undefined. */
export function agentOfSessionKey(key: string): string | undefined {
  return /^agent:([^:]+):./.exec(key)?.[1]?.toLowerCase();
}

/**
 * The chat type a session's route recorded: the reference's entries say it at the top level (`chatType`, what its
 * kind reads); ours only in `delivery` (its route's target, then its origin), where src/sessions reads a route's.
 */
export function recordedChatType(entry: Record<string, unknown>): unknown {
  const delivery = record(entry.delivery);
  const origin = record(delivery?.origin) ?? record(entry.origin);
  return entry.chatType ?? record(record(delivery?.route)?.target)?.chatType ?? origin?.chatType;
}

/** The reference's session kind: global, unknown, cron, spawn-child, group or direct. */
export function sessionKind(key: string, entry: Record<string, unknown>): string {
  if (key === "global") return "global";
  if (key === "unknown") return "unknown";
  const rest = /^agent:[^:]+:(.+)$/.exec(key)?.[1];
  if (rest?.trim().toLowerCase().startsWith("cron:")) return "cron";
  if (entry.spawnedBy) return "spawn-child";
  const chatType = recordedChatType(entry);
  if (chatType === "group" || chatType === "channel") return "group";
  if (key.includes(":group:") || key.includes(":channel:")) return "group";
  return "direct";
}

/** The model a row shows: the session's chosen model, else the one it last ran, else its agent's. */
export function displayModel(entry: Record<string, unknown>, fallback: DisplayModel): DisplayModel {
  const override = text(entry.modelOverride);
  if (override) return { provider: text(entry.providerOverride) ?? fallback.provider, model: override };
  const model = text(entry.model);
  if (model) return { provider: text(entry.modelProvider) ?? fallback.provider, model };
  return fallback;
}

/** The harness the reference reports for a provider: OpenAI models run on Codex, the rest on its default. */
function agentRuntime(model: DisplayModel): { id: string; source: string; label: string } {
  return model.provider === "openai"
    ? { id: "codex", source: "implicit", label: "OpenAI Codex" }
    : { id: "auto", source: "implicit", label: "OpenClaw Default" };
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The flags cell: levels, markers, visibility, owner, participants and the session id. */
function flagsOf(entry: Record<string, unknown>, visibility: string, policy: unknown): string {
  const level = (field: string, name: string) => entry[field] ? `${name}:${entry[field]}` : null;
  const owner = (entry.owner as { actor?: Record<string, unknown> } | undefined)?.actor ??
    entry.createdActor as Record<string, unknown> | undefined;
  const ownerName = owner ? text(owner.label) ?? text(owner.id) ?? String(owner.type) : undefined;
  const participants = (Array.isArray(entry.participants) ? entry.participants : []).slice(0, 4).map((p) =>
    text(p?.label) ?? `${p?.identity?.type}:${p?.identity?.id}`
  );
  const more = Math.max(0, (nonNegative(entry.participantCount) ?? participants.length) - participants.length);
  return [
    level("thinkingLevel", "think"),
    level("verboseLevel", "verbose"),
    level("traceLevel", "trace"),
    level("reasoningLevel", "reasoning"),
    level("elevatedLevel", "elev"),
    level("responseUsage", "usage"),
    level("groupActivation", "activation"),
    entry.systemSent ? "system" : null,
    entry.abortedLastRun ? "aborted" : null,
    `visibility:${visibility}`,
    ownerName ? `owner:${ownerName}` : null,
    participants.length > 0 ? `participants:${participants.join(",")}${more > 0 ? `,+${more}` : ""}` : null,
    policy ? `policy:${policy}` : null,
    entry.sessionId ? `id:${entry.sessionId}` : null,
  ].filter(Boolean).join(" ");
}

/** A recipient without its `<channel>:` prefix and `:topic:` suffix. */
function stripChannel(value: unknown, channel: string): string | undefined {
  const raw = text(value);
  if (!raw || !raw.toLowerCase().startsWith(`${channel.toLowerCase()}:`)) return raw;
  const stripped = raw.slice(channel.length + 1);
  const topic = stripped.toLowerCase().indexOf(":topic:");
  return topic >= 0 ? stripped.slice(0, topic) : stripped;
}

/**
 * The key the reference's runtime policy uses for a direct chat that landed in an agent's main session: the
 * per-account-channel-peer key (`agent:<id>:<channel>:<account>:direct:<peer>`); undefined for any other row.
 */
export function policySessionKey(key: string, agentId: string, entry: Record<string, unknown>): string | undefined {
  if (key.toLowerCase() !== `agent:${agentId}:main` && key.toLowerCase() !== "agent:main:main") return undefined;
  const delivery = record(entry.delivery);
  const origin = record(delivery?.origin) ?? record(entry.origin);
  const context = record(delivery?.context) ?? record(entry.deliveryContext);
  if ((origin?.chatType ?? entry.chatType) !== "direct") return undefined;
  const channel = text(origin?.provider ?? context?.channel ?? origin?.surface)?.toLowerCase();
  if (!channel || channel === "webchat") return undefined;
  const peer = text(origin?.nativeDirectUserId) ?? stripChannel(origin?.to ?? context?.to, channel) ??
    stripChannel(origin?.from, channel);
  if (!peer) return undefined;
  const account = text(origin?.accountId ?? context?.accountId)?.toLowerCase() ?? "default";
  const policy = `agent:${agentId}:${channel}:${account}:direct:${peer.toLowerCase()}`;
  return policy === key ? undefined : policy;
}

/** One stored session as the reference lists it. */
export function sessionListRow(stored: StoredSessionEntry, storeAgentId: string, ctx: RowContext): SessionListRow {
  const { sessionKey: key, entry } = stored;
  const agentId = agentOfSessionKey(key) ?? storeAgentId;
  const updatedAt = typeof entry.updatedAt === "number" ? entry.updatedAt : null;
  const visibility = typeof entry.visibility === "string" ? entry.visibility : "shared";
  const json: Record<string, unknown> = { key, updatedAt, ageMs: updatedAt ? ctx.now - updatedAt : null };
  for (const field of ENTRY_KEYS) json[field] = entry[field];
  json.forkedFromParent = undefined;
  json.visibility = visibility;
  const model = displayModel(entry, ctx.defaultModel(agentId));
  const runtime = agentRuntime(model);
  const own = nonNegative(entry.contextTokens);
  json.contextTokens = own && own > 0 ? own : ctx.contextWindow(model) ?? ctx.fallbackContextTokens;
  json.totalTokens = nonNegative(entry.totalTokens) ?? null;
  json.totalTokensFresh = json.totalTokens !== null && entry.totalTokensFresh === true &&
    entry.totalTokensVersion === 1;
  json.modelProvider = model.provider;
  json.model = model.model;
  Object.assign(json, {
    agentId,
    acpRuntime: false,
    agentRuntime: { id: runtime.id, source: runtime.source },
    kind: sessionKind(key, entry),
    runtimePolicySessionKey: policySessionKey(key, agentId, entry),
  });
  return { json, runtimeLabel: runtime.label, flags: flagsOf(entry, visibility, json.runtimePolicySessionKey) };
}
