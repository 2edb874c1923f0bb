// A Baileys message, read as the reference reads it: the text (plain, extended, or a file's
// caption, inside the ephemeral/view-once wrappers), the sender as an E.164 phone number, the group,
// the bot's mentions (native @-mentions of its JID or LID, `mentionPatterns`, or its number in the
// text), and its durable-queue identity (sha256 of `<remoteJid>\n<id>`, lane `<remoteJid>`).

import { encodeBase64 } from "../../media/base64.ts";
import type { MediaKind } from "../../media/media_types.ts";
import type { InboundMessage, InboundReceipt } from "../types.ts";
import type { WaMessage } from "./socket.ts";

/** The payload version of a kept message, as the reference writes it. */
export const WHATSAPP_INGRESS_VERSION = 1;

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The message content inside Baileys' wrappers (ephemeral, view-once, captioned documents, edits). */
export function unwrapContent(content: unknown): Json | undefined {
  let current = isRecord(content) ? content : undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    const wrapper = [
      "ephemeralMessage",
      "viewOnceMessage",
      "viewOnceMessageV2",
      "viewOnceMessageV2Extension",
      "documentWithCaptionMessage",
      "editedMessage",
    ].map((key) => current![key]).find(isRecord);
    const inner = wrapper?.message;
    if (!isRecord(inner)) return current;
    current = inner;
  }
  return current;
}

/** The files a message may carry, by Baileys' content key. */
const MEDIA_KEYS: readonly [string, MediaKind][] = [
  ["imageMessage", "image"],
  ["videoMessage", "video"],
  ["ptvMessage", "video"],
  ["audioMessage", "audio"],
  ["documentMessage", "document"],
  ["stickerMessage", "image"],
];

/** The file a message carries, if any: its kind, type, name and whether it is a voice note. */
export function mediaOf(content: Json | undefined):
  | { kind: MediaKind; mimeType: string | undefined; fileName: string | undefined; voice: boolean; size?: number }
  | undefined {
  if (!content) return undefined;
  for (const [key, kind] of MEDIA_KEYS) {
    const part = content[key];
    if (!isRecord(part)) continue;
    const size = sizeOf(part.fileLength);
    return {
      kind,
      mimeType: text(part.mimetype),
      fileName: text(part.fileName),
      voice: part.ptt === true,
      ...(size === undefined ? {} : { size }),
    };
  }
  return undefined;
}

/** A protobuf length as a number: a number, a bigint, or a Long (`{low, high}` with `toNumber`). */
function sizeOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  if (isRecord(value) && typeof value.toNumber === "function") {
    const number: unknown = value.toNumber();
    return typeof number === "number" ? number : undefined;
  }
  return undefined;
}

/** The text of a message: plain, extended, or a file's caption. */
export function textOf(content: Json | undefined): string {
  if (!content) return "";
  const plain = text(content.conversation);
  if (plain !== undefined) return plain;
  for (const key of ["extendedTextMessage", "imageMessage", "videoMessage", "documentMessage"]) {
    const part = content[key];
    if (isRecord(part)) {
      const value = text(part.text) ?? text(part.caption);
      if (value !== undefined) return value;
    }
  }
  return "";
}

/** The JIDs a message @-mentions (`contextInfo.mentionedJid` of whichever part carries it). */
export function mentionedJidsOf(content: Json | undefined): string[] {
  if (!content) return [];
  for (const part of Object.values(content)) {
    if (!isRecord(part) || !isRecord(part.contextInfo)) continue;
    const jids = part.contextInfo.mentionedJid;
    if (Array.isArray(jids)) return jids.filter((jid): jid is string => typeof jid === "string");
  }
  return [];
}

/** `15551234567:3@s.whatsapp.net` → `15551234567@s.whatsapp.net` (a device-scoped JID to its user). */
export function userJid(jid: string): string {
  return jid.replace(/:\d+@/, "@");
}

/** The E.164 number of a phone-number JID (`+15551234567`), or undefined for a LID or a group. */
export function jidToE164(jid: string | null | undefined): string | undefined {
  const digits = jid ? /^(\d+)(?::\d+)?@(s\.whatsapp\.net|hosted)$/.exec(jid)?.[1] : undefined;
  return digits ? `+${digits}` : undefined;
}

/** A phone number or target as the reference normalizes it: `whatsapp:` dropped, digits with a leading `+`. */
export function normalizeE164(value: string): string {
  const stripped = value.trim().replace(/^whatsapp:/i, "");
  if (stripped === "*") return "*";
  return `+${stripped.replace(/\D/g, "")}`;
}

/** The JID a send target names: a JID as is, else a phone number's `<digits>@s.whatsapp.net`. */
export function targetJid(target: string): string | undefined {
  const stripped = target.trim().replace(/^whatsapp:/i, "").trim();
  if (stripped.includes("@")) return stripped;
  const digits = stripped.replace(/\D/g, "");
  return digits.length >= 5 ? `${digits}@s.whatsapp.net` : undefined;
}

/** The linked identity, for mentions: its user JID, its LID, its number. */
export interface SelfIdentity {
  jid: string;
  lid: string | undefined;
  e164: string | undefined;
}

/** Whether the bot is addressed, as the reference decides (`isBotMentionedFromTargets`). */
export function mentionsSelf(
  body: string,
  mentionedJids: readonly string[],
  self: SelfIdentity,
  patterns: readonly RegExp[],
): boolean {
  const own = new Set([self.jid, self.lid].filter((id): id is string => !!id).map(userJid));
  if (mentionedJids.some((jid) => own.has(userJid(jid)))) return true;
  if (patterns.some((pattern) => pattern.test(body))) return true;
  // A native mention of someone else is not a mention of the bot, even if the text has its number.
  if (mentionedJids.length > 0) return false;
  const digits = self.e164?.replace(/\D/g, "");
  return !!digits && body.replace(/[^\d]/g, "").includes(digits);
}

/** Why a message is not read at all (status posts, newsletters, the bot's own, nothing to read). */
export type Skip = "no-key" | "broadcast" | "own" | "empty" | "no-sender";

/** A received message, normalized; `media` names the file still to download. */
export interface ReadMessage {
  message: InboundMessage;
  media: ReturnType<typeof mediaOf>;
  remoteJid: string;
}

/** Reads a Baileys message into the gateway's form, or says why it is skipped. */
export function readWaMessage(
  raw: WaMessage,
  context: { accountId: string; self: SelfIdentity; patterns: readonly RegExp[] },
): ReadMessage | Skip {
  const key = raw.key;
  const remoteJid = key?.remoteJid?.trim();
  const id = key?.id?.trim();
  if (!key || !remoteJid || !id) return "no-key";
  if (remoteJid === "status@broadcast" || remoteJid.endsWith("@broadcast") || remoteJid.endsWith("@newsletter")) {
    return "broadcast";
  }
  if (key.fromMe) return "own";
  const content = unwrapContent(raw.message);
  const body = textOf(content);
  const media = mediaOf(content);
  if (!body.trim() && !media) return "empty";
  const group = remoteJid.endsWith("@g.us");
  // Baileys 7 gives the phone-number form beside a LID (`remoteJidAlt`, `participantAlt`).
  const senderJid = group ? key.participant ?? undefined : remoteJid;
  const senderAlt = group ? key.participantAlt ?? undefined : key.remoteJidAlt ?? undefined;
  const e164 = jidToE164(senderJid) ?? jidToE164(senderAlt);
  const senderId = e164 ?? (senderJid ? userJid(senderJid) : undefined);
  if (!senderId) return "no-sender";
  const mentionedJids = mentionedJidsOf(content);
  const mentioned = group ? mentionsSelf(body, mentionedJids, context.self, context.patterns) : true;
  return {
    remoteJid,
    media,
    message: {
      channel: "whatsapp",
      accountId: context.accountId,
      messageId: id,
      peerKind: group ? "group" : "direct",
      senderId,
      senderAliases: [senderJid, senderAlt].filter((jid): jid is string => !!jid).map(userJid),
      senderName: raw.pushName?.trim() || senderId,
      groupId: group ? remoteJid : undefined,
      replyTo: group ? remoteJid : (e164 ?? remoteJid),
      text: stripLeadingMention(body, context.self).trim(),
      mentioned,
    },
  };
}

/** A leading `@<number>` addressing the bot is not part of what the sender asks. */
function stripLeadingMention(body: string, self: SelfIdentity): string {
  const ids = [self.e164?.replace(/\D/g, ""), self.lid?.split("@")[0]?.split(":")[0]].filter((id) => !!id);
  for (const id of ids) {
    const match = new RegExp(`^\\s*@${id}\\b[:,]?\\s*`).exec(body);
    if (match) return body.slice(match[0].length);
  }
  return body;
}

/** Baileys' JSON form of bytes (`BufferJSON`): `{type: "Buffer", data: <base64>}`. */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return { type: "Buffer", data: encodeBase64(value) };
  if (typeof value === "bigint") return Number(value);
  if (isRecord(value) && typeof value.toNumber === "function" && "low" in value && "high" in value) {
    return Number(value.toNumber());
  }
  return value;
}

/** The durable-queue receipt of a message, keyed as the reference keys it. */
export async function waReceipt(raw: WaMessage, remoteJid: string, receivedAt: number): Promise<InboundReceipt> {
  const id = raw.key?.id?.trim() ?? "";
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${remoteJid}\n${id}`));
  const message: unknown = JSON.parse(JSON.stringify(raw, replacer));
  return {
    eventId: [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join(""),
    laneKey: remoteJid,
    // The reference keeps the Baileys message under `message`; the queue keeps our normalized message there, so
    // ours goes beside it, as Discord's `rawMessage` does.
    raw: { version: WHATSAPP_INGRESS_VERSION, receivedAt, rawMessage: message },
  };
}

/** The Baileys message a kept row holds (`rawMessage` in ours, `message` in the reference's), if it reads as one. */
export function keptWaMessage(payload: Record<string, unknown>): WaMessage | undefined {
  const message = isRecord(payload.rawMessage) ? payload.rawMessage : payload.message;
  if (payload.version !== WHATSAPP_INGRESS_VERSION || !isRecord(message)) return undefined;
  const key = message.key;
  if (!isRecord(key) || typeof key.remoteJid !== "string" || typeof key.id !== "string") return undefined;
  return {
    key: {
      id: key.id,
      remoteJid: key.remoteJid,
      remoteJidAlt: text(key.remoteJidAlt) ?? null,
      participant: text(key.participant) ?? null,
      participantAlt: text(key.participantAlt) ?? null,
      fromMe: key.fromMe === true,
    },
    message: isRecord(message.message) ? reviveBuffers(message.message) : null,
    pushName: text(message.pushName) ?? null,
  };
}

/** Bytes kept as Baileys' BufferJSON writes them (`{type: "Buffer", data: <base64 | byte array>}`) made bytes again. */
export function reviveBuffers(value: Json): Json {
  const revive = (item: unknown, depth: number): unknown => {
    if (Array.isArray(item)) return depth > 32 ? item : item.map((entry) => revive(entry, depth + 1));
    if (!isRecord(item) || depth > 32) return item;
    if (item.type === "Buffer" && typeof item.data === "string") {
      // Malformed base64 stays as it was (the download then fails on its own) rather than throwing out of a replay.
      try {
        return Uint8Array.from(atob(item.data), (char) => char.charCodeAt(0));
      } catch {
        return item;
      }
    }
    if (item.type === "Buffer" && Array.isArray(item.data) && item.data.every((byte) => typeof byte === "number")) {
      return Uint8Array.from(item.data);
    }
    return Object.fromEntries(Object.entries(item).map(([key, entry]) => [key, revive(entry, depth + 1)]));
  };
  const revived = revive(value, 0);
  return isRecord(revived) ? revived : value;
}
