// Who a hook may reach and under which session key, as the reference decides it: the agent
// allowlist, caller-supplied keys (off unless `allowRequestSessionKey`), the key prefix allowlist,
// `defaultSessionKey` or a generated `hook:<uuid>`, and the delivery fields of a direct `/agent`.

/** The session and agent policy in force (resolved from `hooks.*`). */
export interface HookPolicy {
  knownAgentIds: Set<string>;
  defaultAgentId: string;
  /** Undefined: every agent (omitted or `"*"`); an empty set denies all. */
  allowedAgentIds: Set<string> | undefined;
  defaultSessionKey: string | undefined;
  allowRequestSessionKey: boolean;
  /** Lower-cased; undefined when no restriction. */
  allowedSessionKeyPrefixes: string[] | undefined;
}

/** A verdict: a value, or a 400 refusal's `error` in the reference's words. */
export type Verdict<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Verdict<T> => ({ ok: true, value });
const no = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** A trimmed string, or undefined when not a non-empty string. */
export function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** An agent id as the reference normalizes it: lower-cased, other characters as `-`; undefined when nothing is left. */
export function normalizeAgentId(raw: string): string | undefined {
  const lower = raw.trim().toLowerCase();
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/i.test(raw.trim())) return lower;
  return lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64) || undefined;
}

/** `hooks.allowedAgentIds`: undefined (all) when omitted or holding `"*"`. */
export function resolveAllowedAgentIds(raw: string[] | undefined): Set<string> | undefined {
  if (!Array.isArray(raw)) return undefined;
  const allowed = new Set<string>();
  for (const entry of raw) {
    const trimmed = entry.trim();
    if (!trimmed) continue;
    if (trimmed === "*") return undefined;
    allowed.add(normalizeAgentId(trimmed) ?? "main");
  }
  return allowed;
}

/** `hooks.allowedSessionKeyPrefixes`: lower-cased, blanks dropped; none left means no restriction. */
export function resolveAllowedPrefixes(raw: string[] | undefined): string[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const set = new Set(raw.map((p) => p.trim().toLowerCase()).filter((p) => p !== ""));
  return set.size > 0 ? [...set] : undefined;
}

/** Whether `key` starts with one of the prefixes (case-insensitive). */
export function keyAllowedByPrefix(key: string, prefixes: string[]): boolean {
  const normalized = key.trim().toLowerCase();
  return normalized !== "" && prefixes.some((p) => normalized.startsWith(p));
}

/** The refusal for a key outside the prefixes. */
export const prefixError = (prefixes: string[]): string => `sessionKey must start with one of: ${prefixes.join(", ")}`;

/** The refusal for a caller-supplied key while they are off. */
export const REQUEST_KEY_ERROR =
  "sessionKey is disabled for externally supplied hook payload values; set hooks.allowRequestSessionKey=true to enable";

/** Which agent a request (strict: must exist) or a mapping (unknown ids fall back to the default) targets. */
export function resolveTargetAgent(
  policy: HookPolicy,
  agentId: string | undefined,
  source: "request" | "mapping",
): Verdict<{ selected: string | undefined; effective: string }> {
  const raw = agentId?.trim();
  let selected: string | undefined;
  if (raw && source === "mapping") {
    const normalized = normalizeAgentId(raw) ?? "main";
    selected = policy.knownAgentIds.has(normalized) ? normalized : policy.defaultAgentId;
  } else if (raw) {
    const normalized = normalizeAgentId(raw);
    if (!normalized) return no(`unknown agentId "${raw}"`);
    if (!policy.knownAgentIds.has(normalized)) return no(`unknown agentId "${normalized}"`);
    selected = normalized;
  }
  const effective = selected ?? policy.defaultAgentId;
  if (policy.allowedAgentIds && !policy.allowedAgentIds.has(effective)) {
    return no("agentId is not allowed by hooks.allowedAgentIds");
  }
  return ok({ selected, effective });
}

/** Where a key came from: the caller, a mapping's fixed string, or a payload-derived template. */
export type KeySource = "request" | "mapping-static" | "mapping-templated";

/** The logical key: the requested one (policy permitting), `defaultSessionKey`, or a fresh `hook:<uuid>`. */
export function resolveLogicalKey(
  policy: HookPolicy,
  requested: string | undefined,
  source: KeySource,
): Verdict<string> {
  const key = requested?.trim();
  const prefixes = policy.allowedSessionKeyPrefixes;
  if (key) {
    if (source !== "mapping-static" && !policy.allowRequestSessionKey) return no(REQUEST_KEY_ERROR);
    if (prefixes && !keyAllowedByPrefix(key, prefixes)) return no(prefixError(prefixes));
    return ok(key);
  }
  if (policy.defaultSessionKey) return ok(policy.defaultSessionKey);
  const generated = `hook:${crypto.randomUUID()}`;
  if (prefixes && !keyAllowedByPrefix(generated, prefixes)) return no(prefixError(prefixes));
  return ok(generated);
}

/** An `agent:<id>:<rest>` key re-scoped to the target agent, then prefix-checked again. */
export function scopeKeyToAgent(policy: HookPolicy, key: string, agentId: string): Verdict<string> {
  const match = /^agent:[^:]+:(.+)$/.exec(key.trim());
  const scoped = match ? `agent:${agentId}:${match[1]}` : key.trim();
  const prefixes = policy.allowedSessionKeyPrefixes;
  if (prefixes && !keyAllowedByPrefix(scoped, prefixes)) return no(prefixError(prefixes));
  return ok(scoped);
}

/** Where a hook run's answer goes: nowhere, or announced to a channel target (`last`: the session's last route). */
export type HookDelivery = { mode: "none" } | {
  mode: "announce";
  channel: string;
  to?: string | undefined;
  accountId?: string | undefined;
};

/** The channel values hooks accept: `last` and the channels this gateway runs. */
export function channelError(channels: string[]): string {
  return `channel must be ${["last", ...channels].join("|")}`;
}

/** A raw channel value: omitted is `last`; anything not `last` or a running channel is null. */
export function resolveChannel(raw: unknown, channels: string[]): string | null {
  if (raw === undefined) return "last";
  if (typeof raw !== "string") return null;
  const normalized = raw.trim().toLowerCase();
  return normalized === "last" || channels.includes(normalized) ? normalized : null;
}

/** The delivery of a direct `/agent` request (`deliver`, `channel`, `to`, `accountId`), checked as the reference does. */
export function directDelivery(
  payload: Record<string, unknown>,
  channels: string[],
): Verdict<{ deliver: boolean; channel: string; to?: string | undefined; delivery: HookDelivery }> {
  if (payload.deliver === false) return ok({ deliver: false, channel: "last", delivery: { mode: "none" } });
  const to = optionalString(payload.to);
  const accountId = optionalString(payload.accountId);
  const channel = resolveChannel(payload.channel, channels);
  if (!channel) return no(channelError(channels));
  const hasChannel = payload.channel !== undefined;
  const hasTo = payload.to !== undefined;
  const hasAccount = payload.accountId !== undefined;
  if (!hasChannel && !hasTo && !hasAccount) return ok({ deliver: true, channel, to, delivery: { mode: "none" } });
  if (hasTo && !to) return no("to must be a non-empty string for hook delivery");
  if (hasAccount && !accountId) return no("accountId must be a non-empty string for hook delivery");
  if (hasAccount && (!hasChannel || !to)) return no("accountId requires channel and to for hook delivery");
  if (!hasChannel || !to) return no("channel and to must be set together for hook delivery");
  if (channel === "last") return no("channel must name a concrete channel for hook delivery");
  return ok({
    deliver: true,
    channel,
    to,
    delivery: { mode: "announce", channel, to, ...(accountId ? { accountId } : {}) },
  });
}
