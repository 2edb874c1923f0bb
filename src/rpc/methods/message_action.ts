// `message.action`, the method the reference CLI's `openclaw message <action>` (and its message tool) calls:
// `send` goes out through the same outbound path as the `send` method, answered with the reference's payload
// (`{ok, messageId, chatId, receipt}`); the other actions (react, edit, delete, poll, read, pin, ...) are refused in
// the reference's words for a channel without them, since no channel here implements them.
import type { SendRequest, SendResult } from "../../channels/outbound.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { requireSomethingToSend, sendOutbound } from "./outbound_send.ts";

/** What `message.action` needs: the outbound send. */
export interface MessageActionDeps {
  send(request: SendRequest): Promise<SendResult>;
}

/** Send options the reference's channels honour and this gateway's do not: asked for, they refuse the send. */
const UNSUPPORTED_SEND_OPTIONS = [
  "replyTo",
  "pin",
  "silent",
  "presentation",
  "delivery",
  "forceDocument",
  "gifPlayback",
  "buttons",
] as const;

const text = (value: unknown) => typeof value === "string" ? value : undefined;

/** Paths or URLs from the reference's media fields: `media` (one or repeated), `mediaUrl`, `mediaUrls`. */
function mediaOf(params: Record<string, unknown>): string[] {
  const listed = [params.media, params.mediaUrl, params.mediaUrls].flatMap((v) => Array.isArray(v) ? v : [v]);
  return [...new Set(listed.map((v) => text(v)?.trim()).filter((v): v is string => Boolean(v)))];
}

/**
 * The outbound request a `send` action asks for: the target as written (`target`, else `to` without its
 * `<channel>:` prefix), the text, files and thread; refused when it asks for an option no channel here has.
 */
export function sendRequestOf(
  request: { channel: string; params: Record<string, unknown>; idempotencyKey: string; accountId?: string },
): SendRequest {
  const p = request.params;
  const asked = UNSUPPORTED_SEND_OPTIONS.filter((key) => p[key] !== undefined && p[key] !== false && p[key] !== "");
  if (asked.length) {
    throw new RpcError(
      "INVALID_REQUEST",
      `message.action send: ${asked.join(", ")} ${asked.length === 1 ? "is" : "are"} not supported by this gateway; ` +
        "send without them",
    );
  }
  const prefix = `${request.channel}:`;
  const to = text(p.target)?.trim() ||
    (text(p.to)?.startsWith(prefix) ? text(p.to)!.slice(prefix.length) : text(p.to))?.trim();
  if (!to) throw new RpcError("INVALID_REQUEST", "message.action send: a target is required (params.target)");
  const message = text(p.message)?.trim() ? text(p.message)! : "";
  const media = mediaOf(p);
  const buffer = text(p.buffer);
  const accountId = text(p.accountId) ?? request.accountId;
  const agentId = text(p.__agentId) ?? text(p.agentId);
  // A Telegram topic's number or a Slack thread's ts; anything else names no thread.
  const threadId = typeof p.threadId === "number" || typeof p.threadId === "string" ? String(p.threadId) : undefined;
  const send: SendRequest = {
    to,
    message,
    channel: request.channel,
    idempotencyKey: request.idempotencyKey,
    ...(accountId ? { accountId } : {}),
    ...(media.length ? { mediaUrls: media } : {}),
    ...(buffer ? { buffer: { data: buffer, fileName: text(p.filename), mimeType: text(p.contentType) } } : {}),
    ...(agentId ? { agentId } : {}),
    ...(threadId ? { threadId } : {}),
    ...(p.asVoice === true ? { asVoice: true } : {}),
    ...(text(p.__sessionKey) ? { sessionKey: text(p.__sessionKey) } : {}),
  };
  requireSomethingToSend(send);
  return send;
}

/** `message.action`: `send` delivered; any other action refused as the reference refuses a channel without it. */
export function messageActionMethods(deps: MessageActionDeps): MethodTable {
  return {
    "message.action": validated("operator.write", "validateMessageActionParams", async ({ params }) => {
      const channel = params.channel.trim().toLowerCase();
      if (params.action !== "send") {
        throw new RpcError("INVALID_REQUEST", `Channel ${channel} does not support action ${params.action}.`);
      }
      const request = sendRequestOf({
        channel,
        params: params.params,
        idempotencyKey: params.idempotencyKey,
        ...(params.accountId ? { accountId: params.accountId } : {}),
      });
      const sent = await sendOutbound(deps.send, request);
      return { ok: true, messageId: sent.messageId, chatId: sent.to, receipt: {} };
    }),
  };
}
