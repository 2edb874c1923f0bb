// The MCP tools of `openclaw mcp serve`, named, described and validated as the reference's bridge
// registers them; each handler is thin and leaves routing, readiness and queueing to the bridge.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import type { ChannelBridge } from "./channel_bridge.ts";
import { attachmentsOf } from "./channel_conversation.ts";
import type { ChannelEventQueue } from "./channel_event_queue.ts";
import { boundedInt } from "./channel_bridge.ts";

interface ListArgs {
  limit?: number;
  search?: string;
  channel?: string;
  includeDerivedTitles?: boolean;
  includeLastMessage?: boolean;
}

function summary(label: string, count: number) {
  return { content: [{ type: "text" as const, text: `${label}: ${count}` }] };
}

/** The summary line, then the payload as indented JSON, for clients that do not render structured content. */
function summaryWithJson(label: string, count: number, payload: Record<string, unknown>) {
  return { content: [{ type: "text" as const, text: `${label}: ${count}\n\n${JSON.stringify(payload, null, 2)}` }] };
}

/** JSON as the client receives it: undefined fields dropped, as JSON.stringify drops them. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value));
}

function sessionKeyOf(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The capabilities `initialize` advertises for a Claude channel mode (none extra when off). */
export function channelCapabilities(mode: "auto" | "on" | "off"): Record<string, unknown> | undefined {
  if (mode === "off") return undefined;
  return { experimental: { "claude/channel": {}, "claude/channel/permission": {} } };
}

/** Registers the nine channel tools on `server`. */
export function registerChannelTools(server: McpServer, bridge: ChannelBridge, queue: ChannelEventQueue): void {
  server.registerTool(
    "conversations_list",
    {
      description: "List OpenClaw channel-backed conversations available through session routes.",
      inputSchema: {
        limit: z.number().int().min(1).max(500).optional(),
        search: z.string().optional(),
        channel: z.string().optional(),
        includeDerivedTitles: z.boolean().optional(),
        includeLastMessage: z.boolean().optional(),
      },
    },
    async (args: ListArgs) => {
      const conversations = plain(await bridge.listConversations(args));
      return {
        ...summaryWithJson("conversations", conversations.length, { conversations }),
        structuredContent: { conversations },
      };
    },
  );
  server.registerTool(
    "conversation_get",
    { description: "Get one OpenClaw conversation by session key.", inputSchema: { session_key: z.string().min(1) } },
    async ({ session_key }: { session_key: string }) => {
      const conversation = await bridge.getConversation(session_key);
      if (!conversation) {
        return { content: [{ type: "text", text: `conversation not found: ${session_key}` }], isError: true };
      }
      return {
        content: [{ type: "text", text: `conversation ${conversation.sessionKey}` }],
        structuredContent: { conversation: plain(conversation) },
      };
    },
  );
  server.registerTool(
    "messages_read",
    {
      description: "Read recent messages for one OpenClaw conversation.",
      inputSchema: { session_key: z.string().min(1), limit: z.number().int().min(1).max(200).optional() },
    },
    async ({ session_key, limit }: { session_key: string; limit?: number }) => {
      const messages = await bridge.readMessages(session_key, limit ?? 20);
      return { ...summaryWithJson("messages", messages.length, { messages }), structuredContent: { messages } };
    },
  );
  server.registerTool(
    "attachments_fetch",
    {
      description: "List non-text attachments for a message in one OpenClaw conversation.",
      inputSchema: {
        session_key: z.string().min(1),
        message_id: z.string().min(1),
        limit: z.number().int().min(1).max(200).optional(),
      },
    },
    async ({ session_key, message_id, limit }: { session_key: string; message_id: string; limit?: number }) => {
      const message = await bridge.readMessage(session_key, message_id, limit ?? 100);
      if (!message) return { content: [{ type: "text", text: `message not found: ${message_id}` }], isError: true };
      const attachments = attachmentsOf(message);
      return { ...summary("attachments", attachments.length), structuredContent: { attachments, message } };
    },
  );
  server.registerTool(
    "events_poll",
    {
      description: "Poll queued OpenClaw conversation events since a cursor.",
      inputSchema: {
        after_cursor: z.number().int().min(0).optional(),
        session_key: z.string().optional(),
        limit: z.number().int().min(1).max(200).optional(),
      },
    },
    ({ after_cursor, session_key, limit }: { after_cursor?: number; session_key?: string; limit?: number }) => {
      const { events, nextCursor, gap } = queue.poll(
        { afterCursor: after_cursor ?? 0, sessionKey: sessionKeyOf(session_key) },
        boundedInt(limit ?? 20, 20, { min: 1, max: 200 }),
      );
      return {
        ...summary("events", events.length),
        structuredContent: plain({ events, next_cursor: nextCursor, ...(gap ? { gap } : {}) }),
      };
    },
  );
  server.registerTool(
    "events_wait",
    {
      description: "Wait for the next queued OpenClaw conversation event.",
      inputSchema: {
        after_cursor: z.number().int().min(0).optional(),
        session_key: z.string().optional(),
        timeout_ms: z.number().int().min(1).max(300_000).optional(),
      },
    },
    async (
      { after_cursor, session_key, timeout_ms }: { after_cursor?: number; session_key?: string; timeout_ms?: number },
      extra: { signal: AbortSignal },
    ) => {
      const { event, gap } = await bridge.waitForEvent(
        { afterCursor: after_cursor ?? 0, sessionKey: sessionKeyOf(session_key) },
        timeout_ms ?? 30_000,
        extra.signal,
      );
      const line = event
        ? `event ${event.cursor}`
        : gap
        ? `event gap before ${gap.oldest_available_cursor}`
        : "timeout";
      return {
        content: [{ type: "text", text: line }],
        structuredContent: plain({ event, ...(gap ? { gap } : {}) }),
      };
    },
  );
  server.registerTool(
    "messages_send",
    {
      description: "Send a message back through the same OpenClaw conversation route.",
      inputSchema: { session_key: z.string().min(1), text: z.string().min(1) },
    },
    async ({ session_key, text }: { session_key: string; text: string }) => {
      const result = await bridge.sendMessage(session_key, text);
      return { content: [{ type: "text", text: "sent" }], structuredContent: { result } };
    },
  );
  server.registerTool(
    "permissions_list_open",
    {
      description: "List open OpenClaw exec or plugin approval requests visible through the Gateway.",
      inputSchema: {},
    },
    () => {
      const approvals = plain(bridge.listOpenApprovals());
      return { ...summary("approvals", approvals.length), structuredContent: { approvals } };
    },
  );
  server.registerTool(
    "permissions_respond",
    {
      description: "Allow or deny one pending OpenClaw exec or plugin approval request.",
      inputSchema: {
        kind: z.enum(["exec", "plugin"]),
        id: z.string().min(1),
        decision: z.enum(["allow-once", "allow-always", "deny"]),
      },
    },
    async ({ kind, id, decision }: { kind: "exec" | "plugin"; id: string; decision: string }) => {
      const result = await bridge.respondToApproval({ kind, id, decision });
      return { content: [{ type: "text", text: "approval resolved" }], structuredContent: { result } };
    },
  );
}
