import type { AccountPool } from "./account_pool.ts";
import { type AccessDefaults, accessPolicy } from "./accounts.ts";
import type { DeclaredAccount } from "./catalog.ts";
import { messageOf } from "./errors.ts";
import { freshStatus } from "./reconnect.ts";
import type { AccountStatus, ProbeResult } from "./types.ts";

/** Channel status in the reference's `channels.status` shape (the parts about channels). */
export interface ChannelsSummary {
  channelOrder: string[];
  channelLabels: Record<string, string>;
  channels: Record<string, Record<string, unknown>>;
  channelAccounts: Record<string, AccountStatus[]>;
  channelDefaultAccountId: Record<string, string>;
}

/** An account as the config declares it, before any connection: the base every status is laid over. */
export function baseStatus(account: DeclaredAccount, sectionEnabled: boolean, defaults: AccessDefaults): AccountStatus {
  const settings = account.settings;
  const policy = accessPolicy(settings, defaults);
  return {
    ...freshStatus(account.accountId, { enabled: sectionEnabled && settings.enabled !== false }),
    running: false,
    connected: false,
    dmPolicy: policy.dmPolicy,
    allowFrom: policy.allowFrom,
  };
}

/** Fills each channel's one-line summary from its default account (and any account for the flags). */
function summarizeChannels(summary: ChannelsSummary): void {
  for (const [id, statuses] of Object.entries(summary.channelAccounts)) {
    const primary = statuses.find((s) => s.accountId === summary.channelDefaultAccountId[id]) ?? statuses[0];
    summary.channels[id] = {
      configured: statuses.some((s) => s.configured),
      running: statuses.some((s) => s.running),
      connected: statuses.some((s) => s.connected),
      // The reference CLI prints this word in `openclaw health`.
      healthState: !primary ? "unknown" : primary.connected ? "healthy" : primary.running ? "disconnected" : "stopped",
      lastError: primary?.lastError ?? null,
      ...(primary?.probe ? { probe: primary.probe } : {}),
    };
  }
}

/** Each configured channel's accounts as they stand, without probing (for `health` too). */
export function channelsSummary(pool: AccountPool, channel?: string): ChannelsSummary {
  const summary: ChannelsSummary = {
    channelOrder: [],
    channelLabels: {},
    channels: {},
    channelAccounts: {},
    channelDefaultAccountId: {},
  };
  for (const kind of pool.kinds) {
    if (channel && channel !== kind.id) continue;
    const section = pool.section(kind);
    if (!section) continue;
    summary.channelOrder.push(kind.id);
    summary.channelLabels[kind.id] = kind.label;
    summary.channelAccounts[kind.id] = section.accounts.map((account) => pool.status(kind, section, account));
    summary.channelDefaultAccountId[kind.id] = section.defaultAccountId;
  }
  summarizeChannels(summary);
  return summary;
}

/** The summary with each running account probed live (an account that is not running reports why). */
export async function probedSummary(
  pool: AccountPool,
  options: { timeoutMs: number; channel?: string | undefined },
): Promise<ChannelsSummary> {
  const summary = channelsSummary(pool, options.channel);
  for (const [channel, statuses] of Object.entries(summary.channelAccounts)) {
    summary.channelAccounts[channel] = await Promise.all(statuses.map(async (status) => {
      const running = pool.running(channel, status.accountId);
      const probe: ProbeResult = running
        ? await running.account.probe(options.timeoutMs).catch((error) => ({
          ok: false,
          error: messageOf(error),
          elapsedMs: 0,
        }))
        : { ok: false, error: status.lastError ?? "not running", elapsedMs: 0 };
      return { ...status, ...running?.account.status(), probe, lastProbeAt: Date.now() };
    }));
  }
  summarizeChannels(summary);
  return summary;
}
