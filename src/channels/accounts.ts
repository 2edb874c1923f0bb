import type { AccessPolicy } from "./access.ts";

/** The id of the account the root of a channel section describes. */
export const DEFAULT_ACCOUNT_ID = "default";

/** One account's raw settings: the root's, overlaid with its own entry under `accounts`. */
export interface RawAccount {
  accountId: string;
  settings: Record<string, unknown>;
}

/**
 * The accounts a channel section declares. Named accounts inherit the root's settings (a
 * shallow overlay, as the reference merges them); the root itself is the `default` account
 * unless `accounts` names others and the root has no identity of its own (`hasIdentity`).
 */
export function sectionAccounts(
  section: Record<string, unknown>,
  hasIdentity: (settings: Record<string, unknown>) => boolean,
): RawAccount[] {
  const { accounts, defaultAccount: _default, ...root } = section as {
    accounts?: Record<string, Record<string, unknown>>;
    defaultAccount?: string;
  } & Record<string, unknown>;
  const named = Object.entries(accounts ?? {});
  const result: RawAccount[] = [];
  if (named.length === 0 || (hasIdentity(root) && !(accounts ?? {})[DEFAULT_ACCOUNT_ID])) {
    result.push({ accountId: DEFAULT_ACCOUNT_ID, settings: root });
  }
  for (const [accountId, own] of named) result.push({ accountId, settings: { ...root, ...own } });
  return result;
}

/** The account outbound messages use when none is named: `defaultAccount`, `default`, else the first. */
export function defaultAccountId(section: Record<string, unknown>, accounts: readonly RawAccount[]): string {
  const chosen = typeof section.defaultAccount === "string" ? section.defaultAccount : undefined;
  if (chosen && accounts.some((a) => a.accountId === chosen)) return chosen;
  return accounts.find((a) => a.accountId === DEFAULT_ACCOUNT_ID)?.accountId ?? accounts[0]?.accountId ??
    DEFAULT_ACCOUNT_ID;
}

function stringList(value: unknown, normalize: (entry: string) => string): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((entry) => normalize(String(entry))).filter((entry) => entry.length > 0);
}

/**
 * The access policy of an account: its own settings, then `channels.defaults`, then the
 * reference's safe defaults (DMs need pairing, groups an allowlist).
 */
export function accessPolicy(
  settings: Record<string, unknown>,
  defaults: Record<string, unknown>,
  normalize: (entry: string) => string = (entry) => entry.trim(),
): AccessPolicy {
  const groups: AccessPolicy["groups"] = {};
  for (const [id, entry] of Object.entries((settings.groups ?? {}) as Record<string, Record<string, unknown>>)) {
    groups[id] = {
      ...(typeof entry.enabled === "boolean" ? { enabled: entry.enabled } : {}),
      ...(typeof entry.requireMention === "boolean" ? { requireMention: entry.requireMention } : {}),
      ...(Array.isArray(entry.allowFrom) ? { allowFrom: stringList(entry.allowFrom, normalize) } : {}),
    };
  }
  return {
    dmPolicy: (settings.dmPolicy ?? defaults.dmPolicy ?? "pairing") as AccessPolicy["dmPolicy"],
    allowFrom: stringList(settings.allowFrom, normalize) ?? [],
    groupPolicy: (settings.groupPolicy ?? defaults.groupPolicy ?? "allowlist") as AccessPolicy["groupPolicy"],
    groupAllowFrom: stringList(settings.groupAllowFrom, normalize),
    groups,
  };
}

/** The keys that decide who may talk, read per message: changing them never reconnects an account. */
export const ACCESS_KEYS: ReadonlySet<string> = new Set([
  "dmPolicy",
  "allowFrom",
  "groupPolicy",
  "groupAllowFrom",
  "groups",
  "dangerouslyAllowNameMatching",
  "textChunkLimit",
]);

/** A fingerprint of an account's connection settings: when it changes, the account restarts. */
export function connectionFingerprint(settings: Record<string, unknown>): string {
  const kept = Object.entries(settings).filter(([key]) => !ACCESS_KEYS.has(key)).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(kept);
}
