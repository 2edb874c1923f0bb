import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `openclaw message send`. */
export interface MessageSendOptions extends RpcOptions {
  channel?: string;
  account?: string;
  target: string;
  message: string;
}

/** `openclaw message send --channel irc --target '#room' --message 'hi'`: delivers through the gateway. */
export async function messageSend(options: MessageSendOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  try {
    const connection = await connectGateway(target, { scopes: ["operator.write"], timeoutMs });
    try {
      const result = await connection.request<{ channel: string; to: string; messageId?: string; chunks: number }>(
        "send",
        {
          to: options.target,
          message: options.message,
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
