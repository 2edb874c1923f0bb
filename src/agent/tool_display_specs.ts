// The reference's display table of tools (its tool-display config) for the tools this gateway has and the
// names its clients know: a tool's title, and which arguments its one-line detail is made of, per action
// where the tool has actions. Tools not listed get their name's words as title and the fallback keys.

/** How one tool (or one of its actions) is shown. */
export interface ToolDisplaySpec {
  title?: string;
  detailKeys?: readonly string[];
  actions?: Record<string, { label: string; detailKeys?: readonly string[] }>;
}

/** The arguments a tool without its own keys is described by, in order. */
export const FALLBACK_DETAIL_KEYS: readonly string[] = [
  "command",
  "path",
  "url",
  "targetUrl",
  "targetId",
  "ref",
  "element",
  "node",
  "nodeId",
  "id",
  "requestId",
  "to",
  "channelId",
  "guildId",
  "userId",
  "name",
  "query",
  "pattern",
  "messageId",
];

/** The words a detail key is shown as, where not its own name's words. */
export const DETAIL_LABEL_OVERRIDES: Record<string, string> = {
  agentId: "agent",
  sessionKey: "session",
  targetId: "target",
  targetUrl: "url",
  nodeId: "node",
  requestId: "request",
  messageId: "message",
  threadId: "thread",
  channelId: "channel",
  guildId: "guild",
  userId: "user",
  runTimeoutSeconds: "timeout",
  timeoutSeconds: "timeout",
  includeTools: "tools",
  pollQuestion: "poll",
  maxChars: "max chars",
};

const action = (label: string, detailKeys?: readonly string[]) => detailKeys ? { label, detailKeys } : { label };

const MESSAGE_ACTIONS: Record<string, { label: string; detailKeys?: readonly string[] }> = {
  send: action("send", ["provider", "to", "media", "replyTo", "threadId"]),
  poll: action("poll", ["provider", "to", "pollQuestion"]),
  react: action("react", ["provider", "to", "messageId", "emoji", "remove"]),
  reactions: action("reactions", ["provider", "to", "messageId", "limit"]),
  read: action("read", ["provider", "to", "limit"]),
  edit: action("edit", ["provider", "to", "messageId"]),
  delete: action("delete", ["provider", "to", "messageId"]),
  pin: action("pin", ["provider", "to", "messageId"]),
  unpin: action("unpin", ["provider", "to", "messageId"]),
  "list-pins": action("list pins", ["provider", "to"]),
  permissions: action("permissions", ["provider", "channelId", "to"]),
  "thread-create": action("thread create", ["provider", "channelId", "threadName"]),
  "thread-list": action("thread list", ["provider", "guildId", "channelId"]),
  "thread-reply": action("thread reply", ["provider", "channelId", "messageId"]),
  search: action("search", ["provider", "guildId", "query"]),
  sticker: action("sticker", ["provider", "to", "stickerId"]),
  "member-info": action("member", ["provider", "guildId", "userId"]),
  "role-info": action("roles", ["provider", "guildId"]),
  "emoji-list": action("emoji list", ["provider", "guildId"]),
  "emoji-upload": action("emoji upload", ["provider", "guildId", "emojiName"]),
  "sticker-upload": action("sticker upload", ["provider", "guildId", "stickerName"]),
  "role-add": action("role add", ["provider", "guildId", "userId", "roleId"]),
  "role-remove": action("role remove", ["provider", "guildId", "userId", "roleId"]),
  "channel-info": action("channel", ["provider", "channelId"]),
  "channel-list": action("channels", ["provider", "guildId"]),
  "voice-status": action("voice", ["provider", "guildId", "userId"]),
  "event-list": action("events", ["provider", "guildId"]),
  "event-create": action("event create", ["provider", "guildId", "eventName"]),
  timeout: action("timeout", ["provider", "guildId", "userId"]),
  kick: action("kick", ["provider", "guildId", "userId"]),
  ban: action("ban", ["provider", "guildId", "userId"]),
};

/** The reference's table, by lowercased tool name. */
export const TOOL_DISPLAY_SPECS: Record<string, ToolDisplaySpec> = {
  bash: { title: "Bash", detailKeys: ["command"] },
  exec: { title: "Exec", detailKeys: ["command"] },
  process: { title: "Process", detailKeys: ["sessionId"] },
  read: { title: "Read", detailKeys: ["path"] },
  write: { title: "Write", detailKeys: ["path"] },
  edit: { title: "Edit", detailKeys: ["path"] },
  "apply_patch": { title: "Apply Patch", detailKeys: [] },
  "web_fetch": { title: "Web Fetch", detailKeys: ["url", "extractMode", "maxChars"] },
  "web_search": { title: "Web Search", detailKeys: ["query", "count"] },
  "memory_get": { title: "Memory Get", detailKeys: ["path", "from", "lines"] },
  "memory_search": { title: "Memory Search", detailKeys: ["query"] },
  "sessions_list": {
    title: "Sessions",
    detailKeys: [
      "kinds",
      "label",
      "agentId",
      "search",
      "limit",
      "activeMinutes",
      "includeDerivedTitles",
      "includeLastMessage",
      "messageLimit",
    ],
  },
  "sessions_history": { title: "Session History", detailKeys: ["sessionKey", "limit", "includeTools"] },
  "sessions_send": { title: "Session Send", detailKeys: ["label", "sessionKey", "agentId", "timeoutSeconds"] },
  "agents_list": { title: "Agents", detailKeys: [] },
  message: { title: "Message", actions: MESSAGE_ACTIONS },
  cron: {
    title: "Cron",
    actions: {
      status: action("status"),
      list: action("list"),
      add: action("add", ["job.name", "job.id", "job.schedule", "job.cron"]),
      update: action("update", ["id"]),
      remove: action("remove", ["id"]),
      run: action("run", ["id"]),
      runs: action("runs", ["id"]),
      wake: action("wake", ["text", "mode"]),
    },
  },
  gateway: { title: "Gateway", detailKeys: ["action", "path"] },
  // Tool Search's call names its target in the result, not the title (tool_search.ts).
  "tool_call": { title: "Tool Call", detailKeys: [] },
};
