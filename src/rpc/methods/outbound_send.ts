// How the RPC methods that send a message for a client (`send`, `message.action`'s send) hand it to the channels'
// outbound path: refused with the reference's words when there is nothing to send, and a channel's failure turned
// into the protocol error a client gets (a wrong request is INVALID_REQUEST, a channel that cannot deliver now is
// UNAVAILABLE and retryable).
import { ChannelError } from "../../channels/errors.ts";
import type { SendRequest, SendResult } from "../../channels/outbound.ts";
import { RpcError } from "../errors.ts";

/** Refuses a send with no text, no file and no bytes, in the reference's words. */
export function requireSomethingToSend(request: Pick<SendRequest, "message" | "mediaUrls" | "buffer">): void {
  if (!request.message && !request.mediaUrls?.length && !request.buffer) {
    throw new RpcError("INVALID_REQUEST", "invalid send params: text or media is required");
  }
}

/** Sends through `send`, a {@link ChannelError} answered as the protocol error the client gets. */
export async function sendOutbound(
  send: (request: SendRequest) => Promise<SendResult>,
  request: SendRequest,
): Promise<SendResult> {
  try {
    return await send(request);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    throw new RpcError(error.kind === "invalid" ? "INVALID_REQUEST" : "UNAVAILABLE", error.message, {
      retryable: error.kind === "unavailable",
    });
  }
}
