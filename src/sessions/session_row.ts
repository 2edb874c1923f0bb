// A session row of an agent database as this gateway reads and writes it: the reference's session
// entry fields it carries, the SQL that lists them, and the listed row whose preview is read lazily.
import { routeOfEntry, type SessionRoute } from "./session_delivery.ts";
import { messageText, type TranscriptMessage } from "./transcript.ts";
import { fromEvent } from "./transcript_event.ts";
import { totalTokensUpdates } from "./session_total_tokens.ts";

/** A session as the index lists it. */
export interface SessionRow {
  key: string;
  agentId: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  lastPreview: string | null;
  /** The name a client gave the session (`sessions.create`/`sessions.patch` `label`). */
  label?: string | undefined;
  /** The model chosen for this session instead of its agent's (`sessions.patch` `model`), as provider and id. */
  providerOverride?: string | undefined;
  modelOverride?: string | undefined;
  /** The thinking level chosen for this session (`/think`, `sessions.patch` `thinkingLevel`). */
  thinkingLevel?: string | undefined;
  /**
   * The session's own settings, as the reference's clients set them (`sessions.patch`, the TUI's `/verbose`,
   * `/usage`, `/reasoning`, `/send`, `/activation`): how much of a run its history shows, the usage footer,
   * reasoning visibility, whether replies may be sent, how a group chat wakes the agent. Absent: the default.
   */
  verboseLevel?: string | undefined;
  responseUsage?: string | undefined;
  reasoningLevel?: string | undefined;
  sendPolicy?: string | undefined;
  groupActivation?: string | undefined;
  /** Tokens of the last answer: its prompt (the context in use) and its output. */
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  /**
   * The context in use (the last answer's prompt tokens), with the reference's marks that it is current:
   * `totalTokensFresh` and `totalTokensVersion` 1 (session_total_tokens.ts).
   */
  totalTokens?: number | undefined;
  totalTokensFresh?: boolean | undefined;
  totalTokensVersion?: number | undefined;
  /** When the session was last active (a message written), as the reference's entry keeps it. */
  lastActivityAt?: number | undefined;
  /** The last run on this session, as the reference's entry keeps it: its id, start and end. */
  lastRunId?: string | undefined;
  startedAt?: number | undefined;
  endedAt?: number | undefined;
  runtimeMs?: number | undefined;
  /** The last run's state: `running` from its start, then `done`, `killed`, `timeout` or `failed`. */
  status?: string | undefined;
  abortedLastRun?: boolean | undefined;
  /** Why the last run failed or timed out, as the reference's entry says it (run_error_text.ts); absent otherwise. */
  lastRunError?: string | undefined;
  /** When the session was archived (`sessions.patch {archived: true}`); absent while it is active. */
  archivedAt?: number | undefined;
  /** When a person last turned to the session (their message, a new window), as the reference's entry keeps it. */
  lastInteractionAt?: number | undefined;
  /** When a client last marked the session read (`sessions.patch {unread: false}`). */
  lastReadAt?: number | undefined;
  /** When a client marked the session unread (`sessions.patch {unread: true}`); absent once read. */
  markedUnreadAt?: number | undefined;
  /** When the session was pinned (`sessions.patch {pinned: true}`); absent while it is not. */
  pinnedAt?: number | undefined;
  /** The chat the session last talked on (the entry's `delivery`, or the older flat fields); absent when none. */
  route?: SessionRoute | undefined;
}

/**
 * A plain copy of a row, its lazily read fields (`route`, `lastPreview`) included: what a hook handler gets, so
 * that changing it changes nothing the store keeps.
 */
export function sessionRowCopy(row: SessionRow): SessionRow {
  return structuredClone({ ...row, route: row.route, lastPreview: row.lastPreview });
}

/** How a run ended that left no answer in the transcript (`status`: `timeout`, `failed` or `killed`). */
export interface RunEnd {
  runId: string;
  startedAt: number;
  endedAt: number;
  status: "timeout" | "failed" | "killed";
  aborted: boolean;
  /** The entry's `lastRunError` (a timeout's or failure's text, shortened); absent for a killed run. */
  error?: string | undefined;
}

/** How a session window started: why (`reset`, `rollover`, …; null for a first one), when, after which window. */
export interface WindowStart {
  reason: string | null;
  createdAt: number;
  previousSessionId: string | null;
}

/** What `update` may change on a session: fields of the reference's session entry, by its names. */
export type SessionPatch = Partial<Pick<SessionRow, (typeof PATCHABLE)[number]>>;

/** The entry fields `update` may change. */
export const PATCHABLE = [
  "label",
  "providerOverride",
  "modelOverride",
  "thinkingLevel",
  "verboseLevel",
  "responseUsage",
  "reasoningLevel",
  "sendPolicy",
  "groupActivation",
] as const;

/** The last run's fields of the entry: a reset starts a session with none. */
export const RUN_FIELDS = [
  "lastRunId",
  "startedAt",
  "endedAt",
  "runtimeMs",
  "status",
  "abortedLastRun",
  "lastRunError",
] as const;

/** The entry fields a row carries besides its columns, as the reference's session entry names them. */
export const ENTRY_FIELDS = [
  ...PATCHABLE,
  "inputTokens",
  "outputTokens",
  "totalTokens",
  "totalTokensFresh",
  "totalTokensVersion",
  "lastActivityAt",
  ...RUN_FIELDS,
  "archivedAt",
  "lastInteractionAt",
  "lastReadAt",
  "markedUnreadAt",
  "pinnedAt",
] as const;

/** The entry fields a route is read from: `delivery` (JSON text when an object), then the older flat ones. */
const ROUTE_FIELDS = [
  "delivery",
  "deliveryContext",
  "lastChannel",
  "lastTo",
  "lastAccountId",
  "lastThreadId",
  "chatType",
] as const;

/** The route of a row's raw route fields; objects arrive as JSON text from `json_extract`. */
export function routeOfRaw(raw: Partial<Record<(typeof ROUTE_FIELDS)[number], unknown>>): SessionRoute | undefined {
  if (ROUTE_FIELDS.every((f) => raw[f] === null || raw[f] === undefined)) return undefined;
  const parse = (value: unknown) => {
    if (typeof value !== "string") return value ?? undefined;
    try {
      return JSON.parse(value);
    } catch {
      return undefined;
    }
  };
  return routeOfEntry({
    delivery: parse(raw.delivery),
    deliveryContext: parse(raw.deliveryContext),
    lastChannel: raw.lastChannel ?? undefined,
    lastTo: raw.lastTo ?? undefined,
    lastAccountId: raw.lastAccountId ?? undefined,
    lastThreadId: raw.lastThreadId ?? undefined,
    chatType: raw.chatType ?? undefined,
  });
}

/** Every session of the agent with its entry fields and message count. */
export const ROWS_SQL = `
SELECT n.session_key AS key, n.current_session_id AS sessionId, n.updated_at AS updatedAt,
  coalesce(n.created_at, w.created_at, n.updated_at) AS createdAt,
  ${ENTRY_FIELDS.map((f) => `json_extract(n.entry_json, '$.${f}') AS ${f}`).join(", ")},
  ${ROUTE_FIELDS.map((f) => `json_extract(n.entry_json, '$.${f}') AS ${f}`).join(", ")},
  (SELECT count(*) FROM transcript_event_identities i
    WHERE i.session_id = n.current_session_id AND i.event_type = 'message') AS messageCount
FROM session_nodes n LEFT JOIN session_windows w ON w.session_id = n.current_session_id`;

/** One row of {@link ROWS_SQL}. */
export interface RawRow {
  key: string;
  sessionId: string;
  updatedAt: number;
  createdAt: number;
  messageCount: number;
  label: string | null;
  providerOverride: string | null;
  modelOverride: string | null;
  thinkingLevel: string | null;
  verboseLevel: string | null;
  responseUsage: string | null;
  reasoningLevel: string | null;
  sendPolicy: string | null;
  groupActivation: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  totalTokens: number | null;
  /** SQLite's json_extract gives a JSON boolean as 0 or 1. */
  totalTokensFresh: number | boolean | null;
  totalTokensVersion: number | null;
  lastActivityAt: number | null;
  lastRunId: string | null;
  startedAt: number | null;
  endedAt: number | null;
  runtimeMs: number | null;
  status: string | null;
  /** SQLite's json_extract gives a JSON boolean as 0 or 1. */
  abortedLastRun: number | boolean | null;
  lastRunError: string | null;
  archivedAt: number | null;
  lastInteractionAt: number | null;
  lastReadAt: number | null;
  markedUnreadAt: number | null;
  pinnedAt: number | null;
  delivery: string | null;
  deliveryContext: string | null;
  lastChannel: string | null;
  lastTo: string | null;
  lastAccountId: string | null;
  lastThreadId: string | number | null;
}

/** The entry fields that hold a JSON boolean, which `json_extract` reads as 0 or 1. */
const BOOLEAN_FIELDS: ReadonlySet<string> = new Set(["abortedLastRun", "totalTokensFresh"]);

/** Copies the entry fields that are set: an absent field stays absent (not an own `undefined`). */
export function copyEntryFields(
  from: Partial<Record<(typeof ENTRY_FIELDS)[number], unknown>>,
  to: SessionRow,
  onlyGiven = false,
): void {
  for (const field of ENTRY_FIELDS) {
    const value = from[field];
    if (onlyGiven && !(field in from)) continue;
    if (value === null || value === undefined) delete to[field];
    else if (BOOLEAN_FIELDS.has(field)) {
      (to as unknown as Record<string, unknown>)[field] = value === true || value === 1;
    } else (to as unknown as Record<string, unknown>)[field] = value;
  }
}

/** The message events of a transcript, newest first (the index on identities serves both orders). */
export const LAST_MESSAGES_SQL =
  "SELECT e.event_json AS json FROM transcript_event_identities i JOIN transcript_events e " +
  "ON e.session_id = i.session_id AND e.seq = i.seq WHERE i.session_id = ? AND i.event_type = 'message' " +
  "ORDER BY i.seq DESC LIMIT ?";

/** The text a list shows for a message event: its first 200 characters. */
export function preview(eventJson: string | null): string | null {
  const message = eventJson === null ? undefined : fromEvent(eventJson);
  return message ? messageText(message).slice(0, 200) : null;
}

/** One entry field an append sets, by its JSON path; `undefined` removes the field. */
export type EntryUpdate = [string, string | number | boolean | undefined];

/**
 * The session entry fields an append updates, as the reference names them; `lastInteractionAt` only for an
 * interaction (a person's turn opening), as the reference leaves it on heartbeat, cron and tool writes.
 */
export function entryUpdates(
  messages: TranscriptMessage[],
  now: number,
  row: SessionRow,
  interaction = false,
): EntryUpdate[] {
  const updates: EntryUpdate[] = [["$.updatedAt", now], ["$.lastActivityAt", now]];
  if (interaction) updates.push(["$.lastInteractionAt", now]);
  // A run's user message opens it; its answer (whole, or what an abort kept) closes it.
  const opened = messages.findLast((m) => m.role === "user" && m.runId !== undefined);
  // Until it ends, the last run is running: the previous run's end must not describe it.
  if (opened) updates.push(["$.lastRunId", opened.runId!], ["$.startedAt", opened.timestamp], ["$.status", "running"]);
  // A step that called tools (`toolUse`) is the run going on, not its end.
  const answer = messages.findLast((m) => m.role === "assistant" && m.stopReason !== "toolUse");
  if (answer?.runId !== undefined) {
    const startedAt = opened?.timestamp ?? row.startedAt;
    const aborted = answer.stopReason === "aborted";
    updates.push(["$.lastRunId", answer.runId], ["$.endedAt", now], ["$.status", aborted ? "killed" : "done"], [
      "$.abortedLastRun",
      aborted,
    ]);
    if (startedAt !== undefined) updates.push(["$.runtimeMs", Math.max(0, now - startedAt)]);
  }
  if (answer?.provider !== undefined) updates.push(["$.modelProvider", answer.provider]);
  if (answer?.model !== undefined) updates.push(["$.model", answer.model]);
  if (answer?.usage !== undefined) {
    updates.push(["$.inputTokens", answer.usage.input], ["$.outputTokens", answer.usage.output]);
    // The context size the reference's session tables read, in the same write as the counts it comes from.
    updates.push(...totalTokensUpdates(answer.usage));
  }
  return updates;
}

/** JSON numbers bound as SQLite integers, so `json_set` writes `1796…` and not `1796….0`. */
export function integral(value: string | number): string | number | bigint {
  return typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
}

/**
 * Whether the reference accepts a key as canonical for a row this gateway certifies: trimmed, lower case,
 * `agent:<id>:<rest>`. Any other key is left pending, for the reference's doctor to judge.
 */
export function isCanonicalKey(key: string): boolean {
  return key === key.trim().toLowerCase() && /^agent:[a-z0-9][a-z0-9_-]{0,63}:\S/.test(key);
}

/**
 * A listed session whose `lastPreview` is read on first access: a list of 10,000 sessions shows a page of
 * them, and reading every session's last message up front costs a random read and a parse each. A class
 * keeps construction cheap (a getter on the prototype, not one per row); `toJSON` keeps it serializable.
 */
export class ListedRow implements SessionRow {
  key: string;
  agentId: string;
  sessionId: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
  declare label?: string;
  declare providerOverride?: string;
  declare modelOverride?: string;
  declare thinkingLevel?: string;
  declare verboseLevel?: string;
  declare responseUsage?: string;
  declare reasoningLevel?: string;
  declare sendPolicy?: string;
  declare groupActivation?: string;
  declare inputTokens?: number;
  declare outputTokens?: number;
  declare totalTokens?: number;
  declare totalTokensFresh?: boolean;
  declare totalTokensVersion?: number;
  declare lastActivityAt?: number;
  declare lastRunId?: string;
  declare startedAt?: number;
  declare endedAt?: number;
  declare runtimeMs?: number;
  declare status?: string;
  declare abortedLastRun?: boolean;
  declare lastRunError?: string;
  declare archivedAt?: number;
  declare lastInteractionAt?: number;
  declare lastReadAt?: number;
  declare markedUnreadAt?: number;
  declare pinnedAt?: number;
  #preview: { value: string | null } | undefined;
  #read: (sessionId: string) => string | null;
  #raw: RawRow;
  #route: { value: SessionRoute | undefined } | undefined;

  constructor(raw: RawRow, agentId: string, read: (sessionId: string) => string | null) {
    this.key = raw.key;
    this.agentId = agentId;
    this.sessionId = raw.sessionId;
    this.createdAt = raw.createdAt;
    this.updatedAt = raw.updatedAt;
    this.messageCount = raw.messageCount;
    copyEntryFields(raw, this);
    this.#read = read;
    this.#raw = raw;
  }

  /** The route, parsed on its first read (a listed row's view reads it; the store's own reads of a row do not). */
  get route(): SessionRoute | undefined {
    this.#route ??= { value: routeOfRaw(this.#raw) };
    return this.#route.value;
  }

  set route(value: SessionRoute | undefined) {
    this.#route = { value };
  }

  /** Reads the preview now if it was never read (before the database it comes from closes). */
  settle(): void {
    void this.lastPreview;
  }

  /** The last message's text, read once. */
  get lastPreview(): string | null {
    this.#preview ??= { value: this.#read(this.sessionId) };
    return this.#preview.value;
  }

  set lastPreview(value: string | null) {
    this.#preview = { value };
  }

  /** The row as a plain object, preview included. */
  toJSON(): SessionRow {
    const { key, agentId, sessionId, createdAt, updatedAt, messageCount, lastPreview } = this;
    const plain: SessionRow = { key, agentId, sessionId, createdAt, updatedAt, messageCount, lastPreview };
    copyEntryFields(this, plain);
    if (this.route) plain.route = this.route;
    return plain;
  }
}
