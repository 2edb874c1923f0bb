// Which automatic reset policy applies to one session: `session.resetByChannel` for its channel, else
// `session.resetByType` for its kind over `session.reset`, else nothing (sessions never reset on their own),
// exactly as the reference's resolveSessionResetPolicy decides (tests/fixtures/session_reset/).
import type { RawConfig } from "./schema.ts";

/** `session` as written, as far as resets go. */
export type RawSessionResetConfig = Pick<NonNullable<RawConfig["session"]>, "reset" | "resetByType" | "resetByChannel">;

/** One policy entry as written (`session.reset`, a type's or a channel's). */
export type RawResetPolicy = NonNullable<NonNullable<RawConfig["session"]>["reset"]>;

/** What kind of conversation a session is, as `session.resetByType` names them. */
export type SessionResetType = "direct" | "group" | "thread";

/** When a session goes stale: every field decided. */
export interface ResolvedResetPolicy {
  mode: "none" | "daily" | "idle";
  /** The local hour (0–23) of the daily boundary; used by `daily` only. */
  atHour: number;
  /** Minutes without an interaction after which the session is stale; absent or 0: never. */
  idleMinutes?: number | undefined;
  /** Whether any entry applied (the reference keeps provider-owned sessions alive otherwise). */
  configured: boolean;
}

/** The reference's defaults: no automatic reset; a daily one at 04:00; `idle` without minutes never expires. */
export const RESET_DEFAULTS = { mode: "none", atHour: 4, idleMinutesForIdleMode: 0 } as const;

/** Markers of a group's session key, as the reference lists them (`:channel:` is a Discord/Slack room). */
const GROUP_MARKERS = [":group:", ":channel:"] as const;

/** The kind of a session from its key: a `:thread:` suffix, a group marker, else a direct chat. */
export function sessionResetType(
  sessionKey: string,
  facts: { isGroup?: boolean; isThread?: boolean } = {},
): SessionResetType {
  const key = sessionKey.trim().toLowerCase();
  const thread = key.lastIndexOf(":thread:");
  if (facts.isThread || (thread !== -1 && key.slice(thread + 8).trim() !== "")) return "thread";
  if (facts.isGroup || GROUP_MARKERS.some((marker) => key.includes(marker))) return "group";
  return "direct";
}

/** The `resetByChannel` entry for a channel id (trimmed, lower case), if one is written. */
export function channelResetEntry(
  session: RawSessionResetConfig | undefined,
  channel: string | undefined,
): RawResetPolicy | undefined {
  const key = channel?.trim().toLowerCase();
  if (!session?.resetByChannel || !key) return undefined;
  return Object.hasOwn(session.resetByChannel, key) ? session.resetByChannel[key] : undefined;
}

function clampHour(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return RESET_DEFAULTS.atHour;
  return Math.min(23, Math.max(0, Math.floor(value)));
}

/**
 * The layers that decide one field, most specific first; a layer that is absent or does not write the
 * field passes. The mode has its own rule ({@link resolveMode}).
 */
function firstWritten<K extends keyof RawResetPolicy>(
  layers: readonly (RawResetPolicy | undefined)[],
  field: K,
): RawResetPolicy[K] | undefined {
  for (const layer of layers) {
    if (layer?.[field] !== undefined) return layer[field];
  }
  return undefined;
}

/**
 * The mode: the type entry's own; else the global's, unless that is `none` (a type entry written under
 * a global `none` still turns resets on); else `daily` for any entry written without one; else `none`.
 */
function resolveMode(base: RawResetPolicy | undefined, type: RawResetPolicy | undefined): ResolvedResetPolicy["mode"] {
  if (type?.mode) return type.mode;
  if (type && base?.mode && base.mode !== "none") return base.mode;
  if (type) return "daily";
  if (base?.mode) return base.mode;
  return base ? "daily" : RESET_DEFAULTS.mode;
}

/**
 * The policy of one session: its channel's entry replaces everything else (its unwritten fields take the
 * defaults, not the global's); otherwise its type's entry over `session.reset`.
 */
export function resolveResetPolicy(
  session: RawSessionResetConfig | undefined,
  target: { type: SessionResetType; channel?: string | undefined },
): ResolvedResetPolicy {
  const channel = channelResetEntry(session, target.channel);
  const base = channel ?? session?.reset;
  const type = channel ? undefined : session?.resetByType?.[target.type];
  const mode = resolveMode(base, type);
  const layers = [type, base];
  const rawIdle = firstWritten(layers, "idleMinutes");
  const idle = typeof rawIdle === "number" && Number.isFinite(Math.floor(rawIdle))
    ? Math.max(0, Math.floor(rawIdle))
    : rawIdle === undefined && mode === "idle"
    ? RESET_DEFAULTS.idleMinutesForIdleMode
    : undefined;
  return {
    mode,
    atHour: clampHour(firstWritten(layers, "atHour")),
    ...(idle !== undefined ? { idleMinutes: idle } : {}),
    configured: Boolean(base || type),
  };
}
