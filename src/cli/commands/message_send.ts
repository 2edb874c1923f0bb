import { resolve } from "node:path";
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `openclaw message send`. */
export interface MessageSendOptions extends RpcOptions {
  channel?: string;
  account?: string;
  target: string;
  message?: string;
  /** `--media`, repeatable: paths (under the agent workspace or the media store, on the gateway's host) or URLs. */
  media?: string[];
}

/** A relative path names a file from where the command runs; URLs and absolute paths pass as given. */
function absoluteReference(reference: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference) || reference.startsWith("/") || reference.startsWith("~")) {
    return reference;
  }
  return resolve(Deno.cwd(), reference);
}

/** `openclaw message send --channel irc --target '#room' --message 'hi'`: delivers through the gateway. */
export async function messageSend(options: MessageSendOptions): Promise<number> {
  const media = (options.media ?? []).map((reference) => absoluteReference(reference));
  if (!options.message?.trim() && media.length === 0) {
    printError("Message send needs --message or --media: pass the text or a file to send");
    return 1;
  }
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  try {
    const connection = await connectGateway(target, { scopes: ["operator.write"], timeoutMs });
    try {
      const result = await connection.request<{ channel: string; to: string; messageId?: string; chunks: number }>(
        "send",
        {
          to: options.target,
          ...(options.message ? { message: options.message } : {}),
          ...(media.length === 1 ? { mediaUrl: media[0] } : media.length > 1 ? { mediaUrls: media } : {}),
          ...(options.channel ? { channel: options.channel } : {}),
          ...(options.account ? { accountId: options.account } : {}),
          idempotencyKey: crypto.randomUUID(),
        },
        timeoutMs,
      );
      if (options.json) printJson(result);
      else {printLine(
          `Sent to ${result.to} on ${result.channel}${result.chunks > 1 ? ` in ${result.chunks} messages` : ""}${
            result.messageId ? ` (message ${result.messageId})` : ""
          }.`,
        );}
      return 0;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Message send" });
  }
}
