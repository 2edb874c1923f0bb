// What kind of conversation a session is, as the reference's session rows say it (`kind`,
// `classification`, `chatType`, `isBackground`): its clients group and label sessions by these.
// Derived the reference's way (its classifySessionKind and sessionClassificationForRow) from the
// session key and the chat type its route recorded.

/** A chat's type as a channel reports it. */
export type ChatType = "direct" | "group" | "channel";

/** The row fields that say what kind of session a key is. */
export interface SessionKindFields {
  kind: "direct" | "group" | "global" | "unknown";
  classification: string;
  isMain: boolean;
  isBackground: boolean;
  chatType?: ChatType;
  /** The peer kind a channel route key names (`group`, `channel`, `direct`): the reference's `peerKind`. */
  peerKind?: string;
}

/** Classifications the reference counts as background work, not a conversation. */
const BACKGROUND = new Set(["acp", "cron", "dreaming", "harness", "heartbeat", "hook", "subagent", "system"]);

/** Key prefixes (after `agent:<id>:`) of sessions no person chats on: no chat type is assumed for them. */
const BACKGROUND_REST =
  /^(?:cron:|subagent:|acp:|hook:|harness:|dreaming-narrative-|boot(?::|$)|internal-session-effects:)/;

/**
 * A session's kind fields from its key, whether it is its agent's main session, and the chat type its
 * route recorded. A session without one (the Control UI's, the reference's webchat) is a direct chat,
 * except the background ones (cron, hook, subagent...) and a key naming a group or channel room.
 */
export function sessionKindFields(key: string, isMain: boolean, recorded?: ChatType): SessionKindFields {
  const rest = /^agent:[^:]+:(.*)$/i.exec(key)?.[1] ?? key;
  const lower = rest.toLowerCase();
  const chatType = recorded ?? keyChatType(lower) ?? (BACKGROUND_REST.test(lower) ? undefined : "direct");
  const classification = classify(key, lower, isMain, chatType);
  const threadAt = lower.lastIndexOf(":thread:");
  const peer = deliveryPeerKind(threadAt === -1 ? lower : lower.slice(0, threadAt));
  return {
    kind: rowKind(key, lower, chatType),
    classification,
    isMain,
    isBackground: BACKGROUND.has(classification),
    ...(chatType ? { chatType } : {}),
    ...(peer ? { peerKind: peer === "dm" ? "direct" : peer } : {}),
  };
}

/** The room kind a key names (`<channel>:group:<id>`, `<channel>:channel:<id>`), if any. */
function keyChatType(rest: string): ChatType | undefined {
  const parts = rest.split(":");
  if (parts.length >= 3 && (parts[1] === "group" || parts[1] === "channel")) return parts[1];
  if (parts.length >= 4 && (parts[2] === "direct" || parts[2] === "dm")) return "direct";
  if (parts.length >= 3 && (parts[1] === "direct" || parts[1] === "dm")) return "direct";
  return undefined;
}

/** The reference's `kind`: a cron or spawned session shows as direct; a group or channel room as group. */
function rowKind(key: string, rest: string, chatType: ChatType | undefined): SessionKindFields["kind"] {
  if (key === "global") return "global";
  if (key === "unknown") return "unknown";
  if (rest.startsWith("cron:")) return "direct";
  if (chatType === "group" || chatType === "channel") return "group";
  if (key.includes(":group:") || key.includes(":channel:")) return "group";
  return "direct";
}

/** The reference's `classification`, its checks in its order: the more specific signal first. */
function classify(key: string, rest: string, isMain: boolean, chatType: ChatType | undefined): string {
  if (key === "global") return "global";
  if (key === "unknown") return "unknown";
  if (isMain) return "main";
  if (rest.startsWith("subagent:")) return "subagent";
  if (rest.startsWith("acp:")) return "acp";
  if (rest.startsWith("cron:")) return "cron";
  const threadAt = rest.lastIndexOf(":thread:");
  if (threadAt !== -1 && rest.slice(threadAt + 8).trim()) return "thread";
  const peer = deliveryPeerKind(threadAt === -1 ? rest : rest.slice(0, threadAt));
  if (peer === "group" || peer === "channel") return peer;
  if (peer === "direct" || peer === "dm" || chatType === "direct") return "direct";
  if (chatType) return chatType;
  return classifyRest(rest);
}

/** The peer kind of a channel route key (`<channel>:<kind>:<peer>` or `<channel>:<account>:direct:<peer>`). */
function deliveryPeerKind(rest: string): string | undefined {
  const parts = rest.split(":");
  if (parts[0] === "agent" || parts.length < 3 || !parts[0]) return undefined;
  if (parts.length >= 4 && (parts[2] === "direct" || parts[2] === "dm") && parts[1] && parts[3]) return parts[2];
  const kind = parts[1]!;
  return ["channel", "direct", "dm", "group"].includes(kind) && parts[2] ? kind : undefined;
}

/** A session no route names, by its key's shape (the reference's classifyRest). */
function classifyRest(rest: string): string {
  if (rest.startsWith("dashboard:")) return "dashboard";
  if (rest.startsWith("tui-")) return "tui";
  if (rest.startsWith("explicit:")) return "explicit";
  if (rest.startsWith("hook:")) return "hook";
  if (rest.startsWith("node-") || rest.startsWith("node:")) return "node";
  if (rest.startsWith("harness:")) return "harness";
  if (rest.startsWith("voice:")) return "voice";
  if (rest.startsWith("dreaming-narrative-")) return "dreaming";
  if (rest === "boot" || rest.startsWith("boot:") || rest.startsWith("internal-session-effects:")) return "system";
  return "custom";
}
