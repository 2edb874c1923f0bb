// `chat.send`'s working context (src/sessions/work_context.ts) taken as the reference 2026.9.6's chat.send
// takes it: only with an ordinary message (no command, stop word or `!` shell line), captured into its
// bounded snapshot, and the model's message made of the trimmed text and the formatted context.
import { isChatStopText } from "../../agent/chat_stop_text.ts";
import {
  captureWorkContext,
  messageWithWorkContext,
  type StoredWorkContext,
  type WorkContext,
} from "../../sessions/work_context.ts";
import { RpcError } from "../errors.ts";

/** A send with its working context applied: the model's message and what the user row keeps. */
export interface ChatSendWithContext {
  message: string;
  workContext: StoredWorkContext;
}

/**
 * The model's message and the stored context for `chat.send` `message` with `context` (validated by the
 * schema already); refused, in the reference's words, for an empty send, a command or a blank page.
 */
export function applyWorkContext(message: string, context: WorkContext, hasAttachments: boolean): ChatSendWithContext {
  const text = message.trim();
  if (!text && !hasAttachments) throw new RpcError("INVALID_REQUEST", "message or attachment required");
  // A command, a stop word or `/btw` is not a turn the context could belong to.
  if (text.startsWith("/") || text.startsWith("!") || isChatStopText(text)) {
    throw new RpcError("INVALID_REQUEST", "Working context is only supported for ordinary chat messages.");
  }
  const snapshot = captureWorkContext(context);
  if (!snapshot.page) throw new RpcError("INVALID_REQUEST", "Working context requires a nonempty page.");
  return { message: messageWithWorkContext(text, snapshot), workContext: { snapshot, text } };
}
