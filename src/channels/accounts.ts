import type { AccessPolicy, GroupAccess } from "./access.ts";

/** The id of the account the root of a channel section describes. */
export const DEFAULT_ACCOUNT_ID = "default";

/** One account's settings as the config declares them: the root's, overlaid with its own entry under `accounts`. */
export interface AccountEntry<S> {
  accountId: string;
  settings: S;
}

/** A channel section as written: the root's settings (the default account) plus named accounts inheriting them. */
export type ChannelSection<S> = S & {
  enabled?: boolean | undefined;
  accounts?: Record<string, S> | undefined;
  defaultAccount?: string | undefined;
};

/** An allowlist as written: ids, possibly numeric (Telegram user ids). */
type AllowList = readonly (string | number)[];

/** The access keys every channel account shares, as written. */
export interface AccessSettings {
  enabled?: boolean | undefined;
  dmPolicy?: AccessPolicy["dmPolicy"] | undefined;
  allowFrom?: AllowList | undefined;
  groupPolicy?: AccessPolicy["groupPolicy"] | undefined;
  groupAllowFrom?: AllowList | undefined;
  groups?: Record<string, GroupSettings & { topics?: Record<string, GroupSettings> | undefined }> | undefined;
}

/** One group's (or Telegram forum topic's) access keys, as written. */
export interface GroupSettings {
  enabled?: boolean | undefined;
  requireMention?: boolean | undefined;
  allowFrom?: AllowList | undefined;
}

/** `channels.defaults`: the DM and group policy for accounts that set none. */
export interface AccessDefaults {
  dmPolicy?: AccessPolicy["dmPolicy"] | undefined;
  groupPolicy?: AccessPolicy["groupPolicy"] | undefined;
}

/**
 * The accounts a channel section declares. Named accounts inherit the root's settings (a
 * shallow overlay, as the reference merges them); the root itself is the `default` account
 * unless `accounts` names others and the root has no identity of its own (`hasIdentity`).
 */
export function sectionAccounts<S extends object>(
  section: ChannelSection<S>,
  hasIdentity: (settings: S) => boolean,
): AccountEntry<S>[] {
  // The root's own settings: the section without the keys that only sections carry.
  const root: S = { ...section };
  Reflect.deleteProperty(root, "accounts");
  Reflect.deleteProperty(root, "defaultAccount");
  const accounts = section.accounts ?? {};
  const named = Object.entries(accounts);
  const result: AccountEntry<S>[] = [];
  if (named.length === 0 || (hasIdentity(root) && !accounts[DEFAULT_ACCOUNT_ID])) {
    result.push({ accountId: DEFAULT_ACCOUNT_ID, settings: root });
  }
  for (const [accountId, own] of named) result.push({ accountId, settings: { ...root, ...own } });
  return result;
}

/** The account outbound messages use when none is named: `defaultAccount`, `default`, else the first. */
export function defaultAccountId(
  section: { defaultAccount?: string | undefined },
  accounts: readonly { accountId: string }[],
): string {
  const chosen = typeof section.defaultAccount === "string" ? section.defaultAccount : undefined;
  if (chosen && accounts.some((a) => a.accountId === chosen)) return chosen;
  return accounts.find((a) => a.accountId === DEFAULT_ACCOUNT_ID)?.accountId ?? accounts[0]?.accountId ??
    DEFAULT_ACCOUNT_ID;
}

function stringList(value: AllowList | undefined, normalize: (entry: string) => string): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((entry) => normalize(String(entry))).filter((entry) => entry.length > 0);
}

/**
 * The access policy of an account: its own settings, then `channels.defaults`, then the
 * reference's safe defaults (DMs need pairing, groups an allowlist).
 */
export function accessPolicy(
  settings: AccessSettings,
  defaults: AccessDefaults,
  normalize: (entry: string) => string = (entry) => entry.trim(),
): AccessPolicy {
  const access = (entry: GroupSettings): GroupAccess => ({
    ...(typeof entry.enabled === "boolean" ? { enabled: entry.enabled } : {}),
    ...(typeof entry.requireMention === "boolean" ? { requireMention: entry.requireMention } : {}),
    ...(Array.isArray(entry.allowFrom) ? { allowFrom: stringList(entry.allowFrom, normalize) } : {}),
  });
  const groups: AccessPolicy["groups"] = {};
  for (const [id, entry] of Object.entries(settings.groups ?? {})) {
    const topics = Object.entries(entry.topics ?? {}).map(([topic, own]) => [topic, access(own)]);
    groups[id] = { ...access(entry), ...(topics.length ? { topics: Object.fromEntries(topics) } : {}) };
  }
  return {
    dmPolicy: settings.dmPolicy ?? defaults.dmPolicy ?? "pairing",
    allowFrom: stringList(settings.allowFrom, normalize) ?? [],
    groupPolicy: settings.groupPolicy ?? defaults.groupPolicy ?? "allowlist",
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
export function connectionFingerprint(settings: object): string {
  const kept = Object.entries(settings).filter(([key]) => !ACCESS_KEYS.has(key)).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(kept);
}
