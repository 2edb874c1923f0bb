// A channel's failure as the protocol error a client gets: a wrong request (unknown channel or target) is
// INVALID_REQUEST, a channel that cannot deliver now is UNAVAILABLE and retryable.
import { ChannelError } from "../../channels/errors.ts";
import { RpcError } from "../errors.ts";

/** `error` as a protocol error when it is a {@link ChannelError}; anything else as it is. */
export function channelRpcError(error: unknown): unknown {
  if (!(error instanceof ChannelError)) return error;
  return new RpcError(error.kind === "invalid" ? "INVALID_REQUEST" : "UNAVAILABLE", error.message, {
    retryable: error.kind === "unavailable",
  });
}
