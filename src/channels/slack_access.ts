// Slack access settings the catalog reads at start: outside src/channels/slack/, so no Slack module
// loads before a Slack account runs (tests/integration/start_path_test.ts).
import type { SlackAccountConfig } from "../config/resolve.ts";
import type { AccessSettings } from "./accounts.ts";

/** An allowlist entry as a Slack user id: `slack:U…`, `user:U…` and `<@U…>` name the same user. */
export function normalizeSlackAllowEntry(entry: string): string {
  return entry.trim().replace(/^(slack:|user:)/i, "").replace(/^<@([A-Z0-9]+)>$/i, "$1");
}

/**
 * The shared gate's settings in Slack's words: DMs by `dmPolicy`/`allowFrom` (legacy `dm.policy`/`dm.allowFrom`);
 * channels by `groupPolicy` and the `channels` allowlist keyed by channel id, each with its `users` and
 * `requireMention` (the account's `requireMention`, else true). Anyone in an allowed channel may talk unless it
 * lists `users`, as in the reference (the DM allowlist does not apply to channels). Kept apart from the account so
 * the catalog reads it without loading the Slack SDKs.
 */
export function slackAccessSettings(settings: SlackAccountConfig): AccessSettings {
  const requireMention = settings.requireMention;
  const groups: NonNullable<AccessSettings["groups"]> = {};
  for (const [id, entry] of Object.entries(settings.channels ?? {})) {
    groups[id] = {
      enabled: entry.enabled ?? entry.allow,
      requireMention: entry.requireMention ?? requireMention,
      ...(entry.users ? { allowFrom: entry.users } : {}),
    };
  }
  // Under an open policy every channel is allowed, with the account's mention rule.
  if (settings.groupPolicy === "open" && !groups["*"]) groups["*"] = { requireMention };
  const owners = settings.allowFrom ?? settings.dm?.allowFrom;
  // Group DMs the account admits (`dm.groupEnabled`) and `dm.groupChannels` names: as in the reference, their senders
  // must be in `allowFrom`, and no mention is needed (a group DM is not a room).
  if (settings.dm?.groupEnabled === true) {
    for (const raw of settings.dm.groupChannels ?? []) {
      const id = String(raw).trim().replace(/^channel:/i, "");
      if (id && id !== "*" && !groups[id]) groups[id] = { requireMention: false, allowFrom: owners ?? [] };
    }
  }
  return {
    ...settings,
    dmPolicy: settings.dmPolicy ?? settings.dm?.policy,
    allowFrom: owners,
    groupAllowFrom: ["*"],
    groups,
  };
}
