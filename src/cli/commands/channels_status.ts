import { isJsonObject } from "../../log/json_object.ts";
import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { loadConfig } from "../../config/load.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

interface AccountLine {
  accountId: string;
  enabled?: boolean;
  configured?: boolean;
  running?: boolean;
  connected?: boolean;
  lastError?: string | null;
  lastInboundAt?: number | null;
  lastOutboundAt?: number | null;
  lastTransportActivityAt?: number | null;
  tokenSource?: string;
  mode?: string;
  bot?: { username?: string };
  dmPolicy?: string;
  allowFrom?: string[];
  baseUrl?: string;
  probe?: { ok: boolean; error?: string };
}

interface ChannelsStatus {
  channelOrder: string[];
  channelLabels: Record<string, string>;
  channelAccounts: Record<string, AccountLine[]>;
}

function ago(at: number): string {
  const seconds = Math.max(0, Math.round((Date.now() - at) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes}m ago` : `${Math.round(minutes / 60)}h ago`;
}

/** One account as the reference's CLI prints it: `- IRC default: enabled, configured, running, …`. */
export function accountLine(label: string, account: AccountLine): string {
  const bits: string[] = [];
  if (typeof account.enabled === "boolean") bits.push(account.enabled ? "enabled" : "disabled");
  if (typeof account.configured === "boolean") bits.push(account.configured ? "configured" : "not configured");
  if (account.lastError) bits.push(`error:${account.lastError}`);
  if (typeof account.running === "boolean") bits.push(account.running ? "running" : "stopped");
  if (typeof account.connected === "boolean") bits.push(account.connected ? "connected" : "disconnected");
  if (account.lastInboundAt) bits.push(`in:${ago(account.lastInboundAt)}`);
  if (account.lastOutboundAt) bits.push(`out:${ago(account.lastOutboundAt)}`);
  if (account.lastTransportActivityAt) bits.push(`transport:${ago(account.lastTransportActivityAt)}`);
  if (account.mode) bits.push(`mode:${account.mode}`);
  if (account.bot?.username) bits.push(`bot:@${account.bot.username.replace(/^@/, "")}`);
  if (account.dmPolicy) bits.push(`dm:${account.dmPolicy}`);
  if (account.allowFrom?.length) bits.push(`allow:${account.allowFrom.slice(0, 2).join(",")}`);
  if (account.tokenSource && account.tokenSource !== "none") bits.push(`token:${account.tokenSource}`);
  if (account.baseUrl) bits.push(`url:${account.baseUrl}`);
  if (account.probe) {
    bits.push(account.probe.ok ? "works" : `probe failed${account.probe.error ? ` (${account.probe.error})` : ""}`);
  }
  return `- ${label} ${account.accountId}: ${bits.join(", ")}`;
}

const LABELS: Record<string, string> = { irc: "IRC", telegram: "Telegram", discord: "Discord" };

/** The channel sections the config declares (for the offline view); none when it does not load. */
async function configuredChannels(path: string): Promise<{ id: string; label: string; enabled: boolean }[]> {
  try {
    const channels = (await loadConfig(path, Deno.env.toObject())).config.channels ?? {};
    return Object.entries(LABELS)
      .flatMap(([id, label]) => {
        const section: unknown = channels[id];
        if (!section) return [];
        return [{ id, label, enabled: !(isJsonObject(section) && section.enabled === false) }];
      });
  } catch {
    return [];
  }
}

/**
 * `openclaw channels status [--probe]`: each channel as the gateway reports it. When the
 * gateway is down it says so and shows what the config declares; exit 0 either way.
 */
export async function channelsStatus(options: RpcOptions & { probe?: boolean }): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  if (!options.json) printLine(`Checking channel status${options.probe ? " (probe)" : ""}…`);
  try {
    const connection = await connectGateway(target, { clientId: "gateway-client", mode: "backend", timeoutMs });
    try {
      const status = await connection.request<ChannelsStatus>(
        "channels.status",
        { probe: options.probe ?? false, timeoutMs },
        timeoutMs,
      );
      if (options.json) {
        printJson(status);
        return 0;
      }
      printLine("Gateway reachable.");
      if (status.channelOrder.length === 0) printLine("- no configured chat channels");
      for (const id of status.channelOrder) {
        for (const account of status.channelAccounts[id] ?? []) {
          printLine(accountLine(status.channelLabels[id] ?? id, account));
        }
      }
      // As in the reference, a failed probe is reported, not an exit status (--json carries it).
      return 0;
    } finally {
      connection.close();
    }
  } catch (error) {
    if (!(error instanceof GatewayTransportError)) {
      return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Channel status" });
    }
    const configured = await configuredChannels(target.configPath);
    if (options.json) {
      printJson({
        ok: false,
        reachable: false,
        error: error.message,
        configPath: target.configPath,
        channels: Object.fromEntries(
          configured.map((c) => [c.id, { configured: true, enabled: c.enabled, running: false }]),
        ),
      });
      return 0;
    }
    printLine("Gateway not reachable; showing config-only status.");
    printLine(`Config: ${target.configPath}`);
    if (configured.length === 0) printLine("- no configured chat channels");
    for (const c of configured) {
      printLine(`- ${c.label}: ${c.enabled ? "enabled" : "disabled"}, configured, not running`);
    }
    return 0;
  }
}
