// The vocabulary every channel shares: what a channel account can do, what it reports, and what
// it hands the gateway when a message arrives.

import type { MediaStore, OutboundMedia, StoredMedia } from "../media/media_types.ts";

/** Channel ids this gateway serves. */
export type ChannelId = "irc" | "telegram" | "discord" | "slack" | "whatsapp";

/** The kind of conversation a message came from (the reference's peer kinds). */
export type PeerKind = "direct" | "group" | "channel";

/** One message received from a chat network, normalized. */
export interface InboundMessage {
  channel: ChannelId;
  accountId: string;
  /** Unique within the account's connection; the run's idempotency key is built from it. */
  messageId: string;
  peerKind: PeerKind;
  /** Stable sender identity, as allowlists and the pairing store name it (`nick!user@host`, a user id). */
  senderId: string;
  /** Other identities the sender may be allowlisted under (a bare nick, when name matching is allowed). */
  senderAliases: string[];
  senderName: string;
  /** The sender's handle where the channel has one apart from their name (Telegram's and Discord's username). */
  senderUsername?: string | undefined;
  /** The group or channel id (`#room`, a chat id); undefined for a direct message. */
  groupId: string | undefined;
  /** Where a reply goes (a nick or `#room`, a chat id). */
  replyTo: string;
  /** The text, with a leading mention of the bot removed. */
  text: string;
  /** Whether the bot was addressed (its nick or handle appears in the message). */
  mentioned: boolean;
  /** Files the message carried (photos, voice notes, documents), already kept in the media store. */
  media?: StoredMedia[] | undefined;
  /** A file the message carried that was not kept (too large, not downloadable): the reply the sender gets once admitted. */
  mediaRefused?: string | undefined;
  /** The thread a group message belongs to (Slack's root `thread_ts`): its session is the thread's own. */
  threadId?: string | undefined;
}

/** How an account names a received message for the durable inbound queue. */
export interface InboundReceipt {
  /**
   * The transport's id of the event, as the reference keys it: Telegram's `update_id` padded to 16 digits
   * (redelivered under the same id), IRC's `<connection>-<n>` (stable only within one connection).
   */
  eventId: string;
  /** The transport's own event, stored beside the message as the reference stores it (`{update}` for Telegram). */
  raw?: Record<string, unknown>;
  /** The conversation lane as the reference names it (Discord: `channel:<id>`); `<channel>:<replyTo>` by default. */
  laneKey?: string;
}

/** How an account reads the messages its queue kept, when it is ready to answer them. */
export interface ReplayRules {
  /**
   * The current connection (IRC): a kept DM received on another one is discarded, as the reference does, since
   * the nick may belong to someone else by now.
   */
  connection?: string;
  /** Reads a kept event that holds only the transport's own form (a row the reference wrote): its message, if any. */
  decode?(payload: Record<string, unknown>): InboundMessage | undefined;
}

/** A live probe of one account. */
export interface ProbeResult {
  ok: boolean;
  error?: string;
  elapsedMs: number;
  /** Channel-specific facts the probe learned (the bot's username, the server name). */
  details?: Record<string, string>;
}

/** One account's runtime state, in the reference's `channelAccounts` shape. */
export interface AccountStatus {
  accountId: string;
  enabled: boolean;
  configured: boolean;
  running: boolean;
  connected: boolean;
  reconnectAttempts: number;
  lastConnectedAt: number | null;
  lastError: string | null;
  lastStartAt: number | null;
  lastStopAt: number | null;
  lastInboundAt: number | null;
  lastOutboundAt: number | null;
  mode?: string;
  dmPolicy: string;
  allowFrom: string[];
  baseUrl?: string;
  webhookPath?: string;
  port?: number;
  bot?: { username: string };
  /** When the transport last worked (Telegram: the last successful `getUpdates`, or an update on the webhook). */
  lastTransportActivityAt?: number | null;
  /** When the account last heard from its network (an update, a successful poll). */
  lastEventAt?: number | null;
  /** Where the credential came from, in the reference's words (`config`, `tokenFile`, `env`), and its state. */
  tokenSource?: string;
  tokenStatus?: "available";
  probe?: ProbeResult;
  lastProbeAt?: number | null;
}

/** An account's own view of its state: everything but the access settings. */
export type ConnectionStatus = Omit<AccountStatus, "dmPolicy" | "allowFrom">;

/** What an account receives from the gateway. */
export interface AccountHost {
  /**
   * A message arrived; the gateway decides whether anyone answers it. With a receipt it is stored in the
   * durable inbound queue first: the promise settles once it is stored (acknowledge it to the network only
   * then) and rejects when it could not be. Answering goes on in the background.
   */
  inbound(message: InboundMessage, receipt?: InboundReceipt): Promise<void>;
  /** The account is connected and can send: messages its queue kept across a stop or crash are answered now. */
  ready(rules?: ReplayRules): void;
  /**
   * Registers the HTTP handler for a webhook path on the gateway's port (Telegram webhook mode);
   * throws when another account already serves that path. Returns the unmount function.
   */
  mountWebhook(path: string, handler: (request: Request) => Promise<Response>): () => void;
  /** The media store: where an account keeps the files a message carries before handing the message on. */
  media?: MediaStore | undefined;
}

/** A running channel account: one connection to one chat network identity. */
export interface ChannelAccount {
  readonly channel: ChannelId;
  readonly accountId: string;
  /** Longest text one outbound message may carry. */
  readonly textChunkLimit: number;
  /** Where a streamed answer may be cut into messages: at each line (IRC) or each paragraph. */
  readonly streamBreak: "line" | "paragraph";
  /** Starts connecting in the background; failures are retried with backoff and shown in status. */
  start(): void;
  /** Disconnects and stops retrying. */
  stop(): Promise<void>;
  /** Checks the account really works (credentials, reachability) within the timeout. */
  probe(timeoutMs: number): Promise<ProbeResult>;
  /** Sends one message (already chunked to the limit) to a target; returns its id when known. */
  send(target: string, text: string): Promise<{ messageId?: string }>;
  /** Shows "typing…" in a chat (the topic `threadId` names, when given); absent: the channel shows none. */
  sendTyping?(target: string, threadId?: string): Promise<void>;
  /** Sends one file (with its caption) to a target; absent on channels that carry no files (IRC). */
  sendMedia?(target: string, media: OutboundMedia): Promise<{ messageId?: string }>;
  /** Connection state; the manager adds the access fields from the config in force. */
  status(): ConnectionStatus;
  /**
   * The channel's own gate, run on a stored message before it is answered (Discord keeps every MESSAGE_CREATE,
   * then checks it): the message to answer, or undefined to drop it. `stored` is the queue row's payload.
   */
  admit?(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage | undefined>;
  /** Fetches the files an admitted message carries into the media store (after the access gate: a stranger's file is never downloaded). */
  hydrate?(message: InboundMessage, stored: Record<string, unknown> | undefined): Promise<InboundMessage>;
}
