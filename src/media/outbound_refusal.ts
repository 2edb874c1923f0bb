// Why an outbound file was refused: the reference tells a chat these apart (its reply media failure
// codes), so the refusal carries its reason. Kept apart from the rules that raise it, so the channel
// code that words the chat's notice loads nothing of the network side.
import { MediaRefusedError } from "./media_types.ts";

/** Why a file was refused: not found, a type not sent, outside the allowed directories, or anything else. */
export type OutboundRefusal = "file-not-found" | "unsupported-format" | "not-allowed" | "delivery-failed";

/** A refused outbound file, with the reason the chat is told. */
export class OutboundMediaError extends MediaRefusedError {
  /** Names the file and the rule, with the reason for the chat's notice. */
  constructor(readonly code: OutboundRefusal, message: string) {
    super(message);
  }
}
