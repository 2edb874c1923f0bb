// `openclaw channels login|logout`, as the reference runs them: login links the device in this
// process (src/server/whatsapp_local_auth.ts), then asks the running gateway to start the account
// (`channels.start`); logout asks the gateway first (`channels.logout`) and clears the credentials
// here when it cannot.

import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { loadConfig } from "../../config/load.ts";
import type { ChannelsSection } from "../../config/resolve.ts";
import { resolveRouting } from "../../config/resolve_sections.ts";
import { messageOf } from "../../log/error_text.ts";
import {
  type AuthOutput,
  resolveAuthTarget,
  whatsAppLocalLogin,
  whatsAppLocalLogout,
} from "../../server/whatsapp_local_auth.ts";
import { printError, printLine } from "../output.ts";
import { type RpcOptions, targetFlags } from "../rpc_options.ts";

/** `channels login|logout` flags. */
export interface ChannelAuthOptions extends RpcOptions {
  channel?: string;
  account?: string;
  agent?: string;
  verbose?: boolean;
}

const OUT: AuthOutput = { line: printLine, error: printError, terminal: Deno.stdout.isTerminal() };

/** Calls one gateway method with the CLI's backend identity; the connection is closed after. */
async function callGateway(options: ChannelAuthOptions, method: string, params: unknown): Promise<unknown> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const connection = await connectGateway(target, { clientId: "gateway-client", mode: "backend", timeoutMs: 10_000 });
  try {
    return await connection.request(method, params, 10_000);
  } finally {
    connection.close();
  }
}

/** The config's `channels` section and where state lives. */
async function context(options: ChannelAuthOptions) {
  const env = Deno.env.toObject();
  const target = await resolveTarget(targetFlags(options), env);
  const snapshot = await loadConfig(target.configPath, env);
  const channels: ChannelsSection = resolveRouting(snapshot.config).channels;
  return { env, stateDir: target.stateDir, channels };
}

/** `openclaw channels login [--channel whatsapp] [--account <id>]`: links a WhatsApp device by QR. */
export async function channelsLogin(options: ChannelAuthOptions): Promise<number> {
  const { env, stateDir, channels } = await context(options);
  const { channel, accountId } = resolveAuthTarget(options, channels, "login");
  await whatsAppLocalLogin({ channels, accountId, env, stateDir, out: OUT });
  try {
    await callGateway(options, "channels.start", { channel, accountId });
  } catch (error) {
    printLine(
      `Local login saved auth for ${channel}/${accountId}, but the running gateway did not restart it: ${
        messageOf(error)
      }`,
    );
  }
  return 0;
}

/** `openclaw channels logout [--channel whatsapp] [--account <id>]`: clears the linked device's credentials. */
export async function channelsLogout(options: ChannelAuthOptions): Promise<number> {
  const { env, stateDir, channels } = await context(options);
  const { channel, accountId } = resolveAuthTarget(options, channels, "logout");
  let result: { cleared?: unknown; loggedOut?: unknown } | undefined;
  try {
    const answer = await callGateway(options, "channels.logout", { channel, accountId });
    result = answer && typeof answer === "object" ? answer : {};
  } catch (error) {
    printLine(
      `Local logout will clear auth for ${channel}/${accountId}, but the running gateway did not stop it: ${
        messageOf(error)
      }`,
    );
  }
  if (!result) {
    const cleared = await whatsAppLocalLogout({ channels, accountId, env, stateDir, out: OUT });
    result = { cleared, loggedOut: cleared };
  }
  printLine(
    `${result.cleared === true ? "Cleared saved auth" : "No saved auth was cleared"} for ${channel}/${accountId}.${
      result.loggedOut === false ? " Other credentials may still be active." : ""
    }`,
  );
  return 0;
}
