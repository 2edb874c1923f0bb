/** Why a channel operation failed: the request was wrong, or the channel cannot do it now. */
export type ChannelErrorKind = "invalid" | "unavailable";

/** A channel operation that failed, with a message naming the action, the state and the fix. */
export class ChannelError extends Error {
  /** Whether the caller's request was wrong (`invalid`) or the channel is not able now (`unavailable`). */
  readonly kind: ChannelErrorKind;

  constructor(kind: ChannelErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChannelError";
    this.kind = kind;
  }
}

/** The message of anything thrown (one definition for every layer, in log/). */
export { messageOf } from "../log/error_text.ts";
