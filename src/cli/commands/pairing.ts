import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { cliWriteAccess } from "./state_write_access.ts";
import { resolveTarget } from "../../client/target.ts";
import { ConfigError } from "../../config/errors.ts";
import { loadConfig } from "../../config/load.ts";
import { PairingStore } from "../../state/pairing_store.ts";
import { declaredChannels, PAIRABLE_CHANNELS } from "../../config/resolve_sections.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `openclaw pairing list|approve`. */
export interface PairingOptions extends RpcOptions {
  channel?: string;
  account?: string;
  notify?: boolean;
}

function usage(message: string): ConfigError {
  return new ConfigError(message, { exitKind: "usage" });
}

/** The channels configured for pairing, the state dir, and the connection target. */
async function context(options: PairingOptions) {
  const env = Deno.env.toObject();
  const target = await resolveTarget(targetFlags(options), env);
  if (target.configError) throw target.configError;
  const snapshot = await loadConfig(target.configPath, env);
  const configured = declaredChannels(snapshot.config);
  return { target, configured, store: new PairingStore(target.stateDir, undefined, { access: cliWriteAccess() }) };
}

function accountOf(options: PairingOptions): string | undefined {
  if (options.account === undefined) return undefined;
  const account = options.account.trim();
  if (!account) throw usage("--account must not be blank");
  return account;
}

function pickChannel(raw: string | undefined, configured: string[]): string {
  const hint = configured.length > 0 ? configured.join(", ") : "none configured";
  const channel = (raw ?? (configured.length === 1 ? configured[0] : ""))?.trim().toLowerCase() ?? "";
  if (!channel) {
    if (configured.length === 0) {
      throw usage("No chat DM pairing channels are configured. Configure channels.irc or channels.telegram first.");
    }
    throw usage(`Channel required (expected one of: ${hint}).`);
  }
  if (!PAIRABLE_CHANNELS.includes(channel)) throw usage(`Unknown channel "${channel}" (expected one of: ${hint}).`);
  return channel;
}

/** `openclaw pairing list [channel]`: pending DM pairing requests, read from the state dir. */
export async function pairingList(channelArg: string | undefined, options: PairingOptions): Promise<number> {
  const { configured, store } = await context(options);
  const channel = pickChannel(options.channel ?? channelArg, configured);
  if (options.channel && channelArg && pickChannel(channelArg, configured) !== channel) {
    throw usage(
      `Conflicting pairing channels: "${channel}" and "${channelArg}". Pass the channel either positionally or with --channel.`,
    );
  }
  const requests = await store.list(channel, accountOf(options));
  if (options.json) {
    printJson({ channel, requests });
    return 0;
  }
  if (requests.length === 0) {
    printLine(`No pending ${channel} pairing requests.`);
    return 0;
  }
  printLine(`Pairing requests (${requests.length})`);
  printLine(["Code".padEnd(10), "ID".padEnd(32), "Account".padEnd(10), "Requested"].join("  "));
  for (const r of requests) {
    printLine([r.code.padEnd(10), r.id.padEnd(32), r.accountId.padEnd(10), r.createdAt].join("  "));
  }
  return 0;
}

/**
 * `openclaw pairing approve [channel] <code>`: admits the sender (the gateway reads the store on
 * every message, so no restart is needed); with `--notify` the running gateway approves and tells them.
 */
export async function pairingApprove(
  codeOrChannel: string,
  code: string | undefined,
  options: PairingOptions,
): Promise<number> {
  const { configured, store, target } = await context(options);
  if (options.channel && code !== undefined) {
    throw usage("Too many arguments. Use: openclaw pairing approve --channel <channel> <code>");
  }
  const channel = pickChannel(options.channel ?? (code !== undefined ? codeOrChannel : undefined), configured);
  const theCode = code ?? codeOrChannel;
  const notFound = () => {
    printError(
      `No pending pairing request found for code "${theCode}". Run openclaw pairing list --channel ${channel} to list pending requests.`,
    );
    return 1;
  };
  if (options.notify) {
    // The running gateway approves and notifies in one step, addressing the sender the way its channel does.
    const request = await store.find(channel, theCode, accountOf(options));
    if (!request) return notFound();
    const timeoutMs = timeoutOf(options, 10_000);
    try {
      const connection = await connectGateway(target, { scopes: ["operator.admin"], timeoutMs });
      try {
        const result = await connection.request<{ senderId: string; notification: string }>(
          "channels.pairing.approve",
          { channel, accountId: request.accountId, requestId: request.code, notify: true },
          timeoutMs,
        );
        printLine(`Approved ${channel} sender ${result.senderId}.`);
        if (result.notification !== "sent") {
          printError(`Approved, but the requester was not notified (${result.notification}).`);
        }
        return 0;
      } finally {
        connection.close();
      }
    } catch (error) {
      if (!(error instanceof GatewayTransportError)) throw error;
      // No gateway to send through: approve here, and say the notification could not go out.
      const approved = await store.approve(channel, theCode, request.accountId);
      if (!approved) return notFound();
      printLine(`Approved ${channel} sender ${approved.id}.`);
      printError(`Approved, but the requester was not notified: ${error.message}`);
      return 0;
    }
  }
  const approved = await store.approve(channel, theCode, accountOf(options));
  if (!approved) return notFound();
  printLine(`Approved ${channel} sender ${approved.id}.`);
  return 0;
}
