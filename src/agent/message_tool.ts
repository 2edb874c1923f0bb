// The `message` tool: the model sends text to a chat channel target, by the reference's name and
// argument names. The gateway lends the send (ToolHost.send, through the channel manager); a run a
// channel started defaults to answering in the chat it came from.
import type { AgentTool, RunOrigin, ToolCall, ToolFamily, ToolHost, ToolResult } from "./tool.ts";
import { ToolError } from "./tool.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The actions this gateway's channels support (the reference lists the configured channels' actions). */
const ACTIONS = ["send"] as const;

/** The reference's argument schema, narrowed to what the `send` action of our channels reads. */
const PARAMETERS: Record<string, unknown> = {
  type: "object",
  required: ["action"],
  properties: {
    action: {
      enum: [...ACTIONS],
      type: "string",
      description: 'Select one action. For action="send", provide message or another send payload; ' +
        "fields for other actions do not count as send content.",
    },
    channel: { type: "string" },
    target: {
      type: "string",
      description: "Recipient/channel: IRC nick or #channel, Telegram chat id/@username. " +
        "Omit to answer in the chat this run came from.",
    },
    accountId: { type: "string" },
    dryRun: { type: "boolean" },
    message: {
      type: "string",
      description: 'Text for action="send". A send needs message or another send payload such as media, ' +
        "attachments, or presentation.",
    },
    // The reference's media fields of a send (its buildSendSchema).
    media: { type: "string", description: "Media URL/path. data: use buffer." },
    filename: { type: "string" },
    buffer: { type: "string", description: "Base64/data-URL attachment." },
    contentType: { type: "string" },
    mimeType: { type: "string" },
    caption: { type: "string" },
    asVoice: { type: "boolean", description: "Send audio as a voice note; combines with voiceText." },
    attachments: {
      type: "array",
      description: "Attachments; each uses media.",
      items: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["image", "audio", "video", "file"] },
          media: { type: "string" },
          name: { type: "string" },
          mimeType: { type: "string" },
        },
      },
    },
    threadId: { type: "string" },
  },
};

function text(args: Record<string, unknown>, key: string): string | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ToolError(`${key} must be a string`);
  return value.trim() === "" ? undefined : value.trim();
}

/** Where a send goes: the arguments first, the run's origin chat for what they leave out. */
export function sendTarget(
  args: { channel?: string | undefined; target?: string | undefined; accountId?: string | undefined },
  origin: RunOrigin | undefined,
): { channel: string; to: string; accountId?: string | undefined } {
  const channel = args.channel?.toLowerCase() ?? origin?.channel;
  // The origin's chat is the default only on the origin's own channel.
  const sameChannel = origin !== undefined && channel === origin.channel;
  const to = args.target ?? (sameChannel ? origin.to : undefined);
  if (!channel) {
    throw new ToolError(
      "Channel is required (no current chat to answer in). Pass channel (irc, telegram) and target.",
    );
  }
  if (!to) throw new ToolError("Action send requires a target.");
  // Another chat on the origin's channel goes out through the same account (the bot that is in it)
  // unless the model names one; another channel has its own accounts.
  const accountId = args.accountId ?? (sameChannel ? origin.accountId : undefined);
  return { channel, to, ...(accountId ? { accountId } : {}) };
}

/** The files a send names, in the reference's order: `media` (or its aliases), `mediaUrls`, `attachments[].media`. */
export function mediaReferences(args: Record<string, unknown>): string[] {
  const found: string[] = [];
  const add = (value: unknown) => {
    if (typeof value === "string" && value.trim() && !found.includes(value.trim())) found.push(value.trim());
  };
  add(["media", "mediaUrl", "path", "filePath", "fileUrl", "image"].map((key) => args[key]).find((v) => v));
  if (Array.isArray(args.mediaUrls)) args.mediaUrls.forEach(add);
  if (Array.isArray(args.attachments)) {
    for (const attachment of args.attachments) {
      if (!isJsonObject(attachment)) continue;
      add(["media", "mediaUrl", "path", "filePath", "fileUrl", "url"].map((key) => attachment[key]).find((v) => v));
    }
  }
  return found;
}

function result(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

async function execute(host: ToolHost, args: Record<string, unknown>, call: ToolCall): Promise<ToolResult> {
  const action = text(args, "action");
  if (!action) throw new ToolError("action required");
  if (!(ACTIONS as readonly string[]).includes(action)) {
    throw new ToolError(`Unknown message action: ${action}. Supported actions: ${ACTIONS.join(", ")}.`);
  }
  const message = text(args, "message") ?? text(args, "caption");
  const references = mediaReferences(args);
  const buffer = text(args, "buffer");
  if (!message && references.length === 0 && !buffer) throw new ToolError("send requires text or media or location");
  const where = sendTarget(
    {
      channel: text(args, "channel"),
      target: text(args, "target") ?? text(args, "to"),
      accountId: text(args, "accountId"),
    },
    call.origin,
  );
  // A number is what a model writes for a Telegram topic id; the reference reads it as its string.
  const thread = typeof args.threadId === "number" ? String(args.threadId) : text(args, "threadId");
  if (args.dryRun === true) {
    return result({
      ok: true,
      dryRun: true,
      action,
      channel: where.channel,
      to: where.to,
      message: message ?? "",
      ...(references.length ? { mediaUrls: references } : {}),
    });
  }
  if (!host.send) throw new ToolError("Cannot send: no chat channel runs on this gateway.");
  const media = references.map((reference) => ({ path: reference }));
  if (buffer) {
    if (!host.media) throw new ToolError("Cannot send a buffer: this gateway has no media store.");
    // Kept in the store's outbound side, whose files may be sent; checked again with the others.
    const { saveOutboundBuffer } = await import("./outbound_media.ts");
    const kept = await saveOutboundBuffer(buffer, {
      fileName: text(args, "filename"),
      mimeType: text(args, "contentType") ?? text(args, "mimeType"),
    }, { store: host.media }).catch((error) => {
      throw new ToolError(error instanceof Error ? error.message : String(error));
    });
    media.push({ path: kept.path });
  }
  const sent = await host.send({
    ...where,
    text: message ?? "",
    sessionKey: call.sessionKey,
    ...(media.length ? { media, agentId: call.agentId } : {}),
    ...(media.length && args.asVoice === true ? { asVoice: true } : {}),
    ...(thread ? { threadId: thread } : {}),
  });
  return result({
    ok: true,
    action,
    channel: where.channel,
    to: where.to,
    ...(where.accountId ? { accountId: where.accountId } : {}),
    ...(sent.messageId ? { messageId: sent.messageId } : {}),
  });
}

/** The `message` tool, as the reference names and describes it for the actions our channels support. */
export function messageTool(host: ToolHost): AgentTool {
  return {
    name: "message",
    label: "Message",
    description: `Send/manage channel messages. Supports actions: ${ACTIONS.join(", ")}.`,
    parameters: PARAMETERS,
    execute: (args, call) => execute(host, args, call),
  };
}

/** The messaging family: `message` (sessions_send lives with the session tools' runner, sessions_send_tool.ts). */
export const messagingTools: ToolFamily = (host) => [messageTool(host)];
