// One agent's sessions and transcripts in its reference database (decision 0012): a session is a row of
// session_nodes (key -> current session id, the reference's session entry as JSON) with one
// session_windows row per transcript; a message is a `message` event in transcript_events with its id
// in transcript_event_identities. The reference's derived tables (active-event projection, full-text
// index) are left for it to rebuild: it does so when their watermark lags transcript_events.
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { messageText, type TranscriptMessage } from "./transcript.ts";
import { fromEvent, messageEvent, sessionHeaderEvent } from "./transcript_event.ts";
import { frozenMessage, type KeptTranscript, KeptTranscripts } from "./kept_transcripts.ts";
import { ENSURE_TRANSCRIPT_GENERATION_SQL } from "../state/transcript_generation.ts";
import { type ReadStateChange, type ReadStateUpdate, readStateUpdate } from "./read_state.ts";
import { routeOfEntry } from "./session_delivery.ts";
import { fallbackNoticeOf, type FallbackNoticeState } from "./fallback_notice_state.ts";
import {
  appendTrajectoryRows,
  SESSION_MAX_BYTES,
  type SessionEventsSize,
  SWEEP_INTERVAL_MS,
  sweepTrajectoryRetention,
  type TrajectoryRow,
} from "./trajectory_runtime_store.ts";
import {
  copyEntryFields,
  entryUpdates,
  integral,
  isCanonicalKey,
  LAST_MESSAGES_SQL,
  ListedRow,
  PATCHABLE,
  preview,
  type RawRow,
  ROWS_SQL,
  RUN_FIELDS,
  type RunEnd,
  type SessionPatch,
  type SessionRow,
  type WindowStart,
} from "./session_row.ts";

export type { SessionPatch, SessionRow } from "./session_row.ts";

/** A message event as {@link MESSAGES_FROM_SQL} reads it. */
interface EventRow {
  seq: number;
  id: string;
  json: string | null;
}

/** A transcript's message events from a seq on, oldest first, with their seqs and event ids. */
const MESSAGES_FROM_SQL =
  "SELECT i.seq AS seq, i.event_id AS id, e.event_json AS json FROM transcript_event_identities i JOIN " +
  "transcript_events e ON e.session_id = i.session_id AND e.seq = i.seq WHERE i.session_id = ? AND " +
  "i.event_type = 'message' AND i.seq >= ? ORDER BY i.seq";

/** The message a message event's JSON holds; a compressed event (event_zstd) has none this gateway can read. */
function messageOfEvent(json: string | null): TranscriptMessage | undefined {
  return json === null ? undefined : fromEvent(json);
}

/** Sessions whose trajectory size a connection keeps between appends (a few are active at a time). */
const MAX_KEPT_TRAJECTORY_SIZES = 256;

/** One agent's open database and the session index read from it, kept until another connection writes. */
export class AgentSessions {
  #db: DatabaseSync;
  #agentId: string;
  /** Rows read so far, kept in step with this connection's own writes; every session once {@link all} loaded them. */
  #rows: Map<string, SessionRow> | undefined;
  /** Whether {@link #rows} holds every session (a key it lacks then has none). */
  #complete = false;
  #dataVersion = -1;
  #statements = new Map<string, StatementSync>();
  #closed = false;
  #trajectorySweptAt: number | undefined;
  /**
   * Each session's trajectory events as this connection's last append left them (trajectory_runtime_store.ts), so
   * the next append trims without summing the session; dropped when another connection commits, a sweep or a
   * maintenance write runs, and bounded to the sessions appended to most recently.
   */
  #trajectorySizes = new Map<string, SessionEventsSize>();
  /** The transcripts turns read ({@link turnHistory}), kept until another connection commits or maintenance runs. */
  #transcripts = new KeptTranscripts();

  constructor(db: DatabaseSync, agentId: string) {
    this.#db = db;
    this.#agentId = agentId;
  }

  /** A prepared statement, compiled once per connection (compiling dominates a small write otherwise). */
  #sql(text: string): StatementSync {
    let statement = this.#statements.get(text);
    if (!statement) {
      statement = this.#db.prepare(text);
      this.#statements.set(text, statement);
    }
    return statement;
  }

  /** Drops the cached index when another connection (the reference's CLI or gateway) committed. */
  #checkFresh(): void {
    const { data_version: version } = this.#sql("PRAGMA data_version").get() as { data_version: number };
    if (version !== this.#dataVersion) {
      this.#rows = undefined;
      this.#complete = false;
      this.#trajectorySizes.clear();
      this.#transcripts.clear();
      this.#dataVersion = version;
    }
  }

  /**
   * A row whose `lastPreview` is read on first use (see {@link ListedRow}). A row read after its database
   * closed (a caller kept it past {@link close}) has no preview rather than failing its whole list.
   */
  #toRow(raw: RawRow): SessionRow {
    return new ListedRow(
      raw,
      this.#agentId,
      (sessionId) => this.#closed ? null : preview(this.#lastMessageEvent(sessionId)),
    );
  }

  #lastMessageEvent(sessionId: string): string | null {
    const last = this.#sql(LAST_MESSAGES_SQL).get(sessionId, 1) as { json: string | null } | undefined;
    return last?.json ?? null;
  }

  /** Every session of the agent, keyed by session key. */
  all(): Map<string, SessionRow> {
    this.#checkFresh();
    if (!this.#rows || !this.#complete) {
      const raws = this.#sql(ROWS_SQL).all() as unknown as RawRow[];
      this.#rows = new Map(raws.map((raw) => [raw.key, this.#toRow(raw)]));
      this.#complete = true;
    }
    return this.#rows;
  }

  /**
   * One session, read alone when the whole index is not loaded, and then kept as the index keeps its rows (each
   * write updates its row once committed): a channel DM's run asks for its session five times.
   */
  get(key: string): SessionRow | undefined {
    this.#checkFresh();
    const kept = this.#rows?.get(key);
    if (kept || this.#complete) return kept;
    const row = this.#read(key);
    if (row) (this.#rows ??= new Map()).set(key, row);
    return row;
  }

  /** One session as the database holds it now (inside a transaction: as it will commit). */
  #read(key: string): SessionRow | undefined {
    const raw = this.#sql(`${ROWS_SQL} WHERE n.session_key = ?`).get(key) as RawRow | undefined;
    return raw && this.#toRow(raw);
  }

  /** How many sessions there are and the five most recently updated, without loading the index. */
  summary(): { count: number; recent: { key: string; updatedAt: number }[] } {
    const { n } = this.#sql("SELECT count(*) AS n FROM session_nodes").get() as { n: number };
    const recent = this.#sql(
      "SELECT session_key AS key, updated_at AS updatedAt FROM session_nodes ORDER BY updated_at DESC LIMIT 5",
    ).all() as unknown as { key: string; updatedAt: number }[];
    return { count: n, recent: recent.map((r) => ({ key: r.key, updatedAt: r.updatedAt })) };
  }

  /**
   * Runs a write in one IMMEDIATE transaction; the session rows it touched are then marked valid and
   * certified, as the reference's own session writer does (its triggers mark every changed row pending).
   */
  #transaction<T>(work: () => T, touched?: string): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      if (touched !== undefined && isCanonicalKey(touched)) {
        this.#sql("UPDATE session_nodes SET entry_valid = 1 WHERE session_key = ?").run(touched);
        this.#sql("DELETE FROM session_canonical_validation_pending WHERE session_key = ?").run(touched);
      }
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /**
   * Points a key at a new, empty transcript (a new session window), creating the session if needed;
   * `delivery` (the route it talks on) is written in the same transaction, as {@link setDelivery} writes it.
   */
  start(
    key: string,
    options: {
      sessionId?: string;
      at?: number;
      cwd?: string;
      delivery?: Record<string, unknown>;
      /** Why a window follows another: `reset` (asked for), `rollover` (the reset policy's automatic one). */
      reason?: "reset" | "rollover";
    } = {},
  ): SessionRow {
    const row = this.#transaction(() => {
      const started = this.#startIn(key, options);
      if (options.delivery) this.#setDeliveryIn(key, options.delivery);
      return started;
    }, key);
    if (options.delivery) row.route = routeOfEntry({ delivery: options.delivery });
    this.#rows?.set(key, row);
    return row;
  }

  /**
   * Opens a turn in one transaction: the session started when the key has none, `delivery` written when given
   * (as {@link setDelivery}), then `messages` appended (as {@link append}).
   */
  openTurn(
    key: string,
    turn: { delivery?: Record<string, unknown> | undefined; messages: TranscriptMessage[]; interaction?: boolean },
  ): SessionRow {
    const existing = this.get(key);
    // A turn that creates its session opens it at the same instant, as the reference's does: the session's
    // first interaction is its creation, so it is not unread for it (read_state.ts).
    const now = Date.now();
    const [row, appended] = this.#transaction(() => {
      const row = existing ?? this.#startIn(key, { at: now });
      if (turn.delivery) this.#setDeliveryIn(key, turn.delivery);
      return [row, this.#appendIn(row, turn.messages, now, turn.interaction ?? false)] as const;
    }, key);
    appended(row);
    if (turn.delivery) row.route = routeOfEntry({ delivery: turn.delivery });
    if (!existing) this.#rows?.set(key, row);
    return row;
  }

  /**
   * Writes one session and its messages in one transaction (the import of the earlier layout), so a
   * crash leaves either all of it or nothing.
   */
  importSession(
    entry: { key: string; sessionId: string; createdAt: number; updatedAt: number },
    messages: TranscriptMessage[],
  ): SessionRow {
    const [row, appended] = this.#transaction(() => {
      const started = this.#startIn(entry.key, { sessionId: entry.sessionId, at: entry.createdAt });
      return [started, this.#appendIn(started, messages, entry.updatedAt, true)] as const;
    }, entry.key);
    appended(row);
    this.#rows?.set(entry.key, row);
    return row;
  }

  /**
   * Why a session window started (`reset`, `rollover`, …; null for a first one), when, and the window it
   * followed (null for a first one); undefined when unknown.
   */
  windowStart(sessionId: string): WindowStart | undefined {
    return this.#sql(
      "SELECT reason, created_at AS createdAt, previous_session_id AS previousSessionId FROM session_windows " +
        "WHERE session_id = ?",
    ).get(sessionId) as WindowStart | undefined;
  }

  /** Whether a transcript (session window) with this id exists, under any key. */
  hasTranscript(sessionId: string): boolean {
    return this.#sql("SELECT 1 FROM session_windows WHERE session_id = ?").get(sessionId) !== undefined;
  }

  #startIn(
    key: string,
    options: { sessionId?: string; at?: number; cwd?: string; reason?: "reset" | "rollover" },
  ): SessionRow {
    const now = options.at ?? Date.now();
    const sessionId = options.sessionId ?? crypto.randomUUID();
    const previous = this.#sql("SELECT current_session_id AS id FROM session_nodes WHERE session_key = ?")
      .get(key) as { id: string } | undefined;
    if (previous) {
      // A new window holds no context yet: its size is 0, fresh, as the reference's reset writes it.
      this.#sql(
        "UPDATE session_nodes SET current_session_id = ?, entry_json = json_set(" +
          `json_remove(entry_json, ${RUN_FIELDS.map((f) => `'$.${f}'`).join(", ")}), '$.sessionId', ?, ` +
          "'$.updatedAt', ?, '$.sessionStartedAt', ?, '$.lastInteractionAt', ?, '$.totalTokens', 0, " +
          "'$.totalTokensFresh', json('true'), '$.totalTokensVersion', 1), updated_at = ?, " +
          "last_interaction_at = ? WHERE session_key = ?",
      ).run(sessionId, sessionId, BigInt(now), BigInt(now), BigInt(now), now, now, key);
    } else {
      // A new window starts as an interaction, as the reference's rollover writes it: idle counts from here.
      const entry = JSON.stringify({ sessionId, updatedAt: now, sessionStartedAt: now, lastInteractionAt: now });
      this.#sql(
        "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at, created_at, " +
          "last_interaction_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run(key, sessionId, entry, now, now, now);
    }
    this.#sql(
      "INSERT INTO session_windows (session_id, session_key, previous_session_id, reason, created_at, updated_at, " +
        "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run(sessionId, key, previous?.id ?? null, previous ? options.reason ?? "reset" : null, now, now, now);
    const header = { seq: 0, id: sessionId, type: "session", parentId: null, at: now };
    this.#insertEvent(sessionId, header, sessionHeaderEvent(sessionId, now, options.cwd));
    // The row is read back, not built: a reset keeps the entry's label, model choice, pin and read state,
    // and the cached index must say what the database says.
    return this.#read(key)!;
  }

  #insertEvent(
    sessionId: string,
    event: { seq: number; id: string; type: string; parentId: string | null; at: number },
    json: string,
  ): void {
    this.#sql("INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)")
      .run(sessionId, event.seq, json, event.at);
    this.#sql(ENSURE_TRANSCRIPT_GENERATION_SQL).run(sessionId, event.at);
    this.#sql(
      "INSERT INTO transcript_event_identities (session_id, event_id, seq, event_type, parent_id, created_at) " +
        "VALUES (?, ?, ?, ?, ?, ?)",
    ).run(sessionId, event.id, event.seq, event.type, event.parentId, event.at);
  }

  /**
   * Appends messages to a session's current transcript, chained after its last event, in one transaction.
   * The row (the cached one, often) takes the new values only after COMMIT: a failed commit leaves it as
   * the disk has it.
   */
  append(row: SessionRow, messages: TranscriptMessage[], options: { interaction?: boolean } = {}): void {
    const appended = this.#transaction(
      () => this.#appendIn(row, messages, Date.now(), options.interaction ?? false),
      row.key,
    );
    appended(row);
  }

  /**
   * Writes the messages; returns what applies them to the row, for the caller to run once committed. Only an
   * `interaction` (a person's turn opening) moves `lastInteractionAt`, which idle resets count from.
   */
  #appendIn(
    row: SessionRow,
    messages: TranscriptMessage[],
    now: number,
    interaction: boolean,
  ): (row: SessionRow) => void {
    const max = this.#sql("SELECT max(seq) AS seq FROM transcript_events WHERE session_id = ?")
      .get(row.sessionId) as { seq: number | null };
    let seq = max.seq ?? -1;
    let parentId = this.leafEntryId(row.sessionId);
    const ids: string[] = [];
    for (const message of messages) {
      const id = crypto.randomUUID();
      ids.push(id);
      seq += 1;
      const event = { seq, id, type: "message", parentId, at: now };
      this.#insertEvent(row.sessionId, event, messageEvent(message, { id, parentId }));
      parentId = id;
    }
    const updates = entryUpdates(messages, now, row, interaction);
    const sets = updates.filter((u): u is [string, string | number | boolean] => u[1] !== undefined);
    // A boolean goes in as JSON text, so the entry holds `true`/`false` as the reference writes them.
    const slots = sets.map(([, value]) => typeof value === "boolean" ? "?, json(?)" : "?, ?");
    // A run that starts or answers leaves no error of the run before it, as the reference's entry.
    const settles = updates.some(([path]) => path === "$.status");
    // A field set to undefined goes, as the reference's `void 0` drops it from the entry (one statement still).
    const removed = [
      ...(settles ? ["$.lastRunError"] : []),
      ...updates.flatMap(([p, v]) => v === undefined ? [p] : []),
    ];
    const base = removed.length > 0 ? `json_remove(entry_json, ${removed.map(() => "?").join(", ")})` : "entry_json";
    this.#sql(
      `UPDATE session_nodes SET entry_json = json_set(${base}, ${slots.join(", ")}), ` +
        "updated_at = ?, last_interaction_at = coalesce(?, last_interaction_at), last_activity_at = ? " +
        "WHERE session_key = ?",
    ).run(
      ...removed,
      ...sets.flatMap(([path, value]) => [path, typeof value === "boolean" ? String(value) : integral(value)]),
      now,
      interaction ? now : null,
      now,
      row.key,
    );
    const entryFields = Object.fromEntries([
      ...updates.map(([path, value]) => [path.slice(2), value]),
      ...(settles ? [["lastRunError", undefined]] : []),
    ]) as Parameters<typeof copyEntryFields>[0];
    const answer = messages.findLast((m) => m.role === "assistant");
    this.#sql(
      "UPDATE session_windows SET updated_at = ?, transcript_updated_at = ?, " +
        "model_provider = coalesce(?, model_provider), model = coalesce(?, model) WHERE session_id = ?",
    ).run(now, now, answer?.provider ?? null, answer?.model ?? null, row.sessionId);
    return (committed) => {
      // The stored messages now have their event ids: live events name them as history will.
      messages.forEach((message, i) => (message.id = ids[i]));
      copyEntryFields(entryFields, committed, true);
      committed.messageCount += messages.length;
      committed.updatedAt = now;
      if (answer?.usage !== undefined) {
        committed.inputTokens = answer.usage.input;
        committed.outputTokens = answer.usage.output;
      }
      const newest = messages.at(-1);
      if (newest) committed.lastPreview = messageText(newest).slice(0, 200);
    };
  }

  /**
   * Appends one entry that is not a message (a `compaction`), chained after the transcript's last
   * event, in one transaction; `json` builds the event from its id and parent. Returns its id.
   */
  appendEntry(row: SessionRow, type: string, json: (id: string, parentId: string | null) => string): string {
    const id = crypto.randomUUID();
    this.#transaction(() => {
      const parentId = this.leafEntryId(row.sessionId);
      const max = this.#sql("SELECT max(seq) AS seq FROM transcript_events WHERE session_id = ?")
        .get(row.sessionId) as { seq: number | null };
      const event = { seq: (max.seq ?? -1) + 1, id, type, parentId, at: Date.now() };
      this.#insertEvent(row.sessionId, event, json(id, parentId));
    }, row.key);
    return id;
  }

  /** The events of one type in a transcript, oldest first, each with how many messages precede it. */
  entries(sessionId: string, type: string): { json: string; messagesBefore: number }[] {
    const rows = this.#sql(
      "SELECT e.event_json AS json, (SELECT count(*) FROM transcript_event_identities m WHERE m.session_id = " +
        "i.session_id AND m.event_type = 'message' AND m.seq < i.seq) AS messagesBefore " +
        "FROM transcript_event_identities i JOIN transcript_events e ON e.session_id = i.session_id AND " +
        "e.seq = i.seq WHERE i.session_id = ? AND i.event_type = ? ORDER BY i.seq",
    ).all(sessionId, type) as unknown as { json: string | null; messagesBefore: number }[];
    return rows.flatMap((r) => r.json === null ? [] : [{ json: r.json, messagesBefore: r.messagesBefore }]);
  }

  /**
   * The user and assistant messages of a transcript, oldest first; with `limit`, only the newest that
   * many message events are read (a long transcript is not parsed to show its end).
   */
  messages(sessionId: string, options: { limit?: number } = {}): TranscriptMessage[] {
    const limit = options.limit ?? -1; // SQLite: a negative LIMIT is no limit
    const events = this.#sql(LAST_MESSAGES_SQL).all(sessionId, limit) as unknown as { json: string | null }[];
    const messages: TranscriptMessage[] = [];
    for (let i = events.length - 1; i >= 0; i--) {
      const message = messageOfEvent(events[i]!.json);
      if (message) messages.push(message);
    }
    return messages;
  }

  /**
   * The messages of a transcript as {@link messages} reads them, for a turn: the transcript is kept between turns
   * and only the message events after the newest kept one are parsed. The array is the caller's; the messages in it
   * are shared with later turns and frozen.
   */
  turnHistory(sessionId: string): TranscriptMessage[] {
    this.#checkFresh();
    const kept = this.#transcripts.take(sessionId);
    const current = (kept && this.#extended(sessionId, kept)) ?? this.#parsed(this.#messageRows(sessionId, -1));
    if (current.eventId !== "") this.#transcripts.keep(sessionId, current);
    return [...current.messages];
  }

  /** `kept` with the message events after it; undefined when its newest event is gone (deleted, or another window). */
  #extended(sessionId: string, kept: KeptTranscript): KeptTranscript | undefined {
    const rows = this.#messageRows(sessionId, kept.seq);
    if (rows[0]?.seq !== kept.seq || rows[0].id !== kept.eventId) return undefined;
    return rows.length === 1 ? kept : this.#parsed(rows.slice(1), kept);
  }

  #messageRows(sessionId: string, fromSeq: number): EventRow[] {
    return this.#sql(MESSAGES_FROM_SQL).all(sessionId, fromSeq) as unknown as EventRow[];
  }

  /** `rows` parsed into messages after `before`'s, appended to its array (taken out of the kept ones, never handed out). */
  #parsed(rows: EventRow[], before?: KeptTranscript): KeptTranscript {
    const messages = before?.messages ?? [];
    let chars = before?.chars ?? 0;
    for (const row of rows) {
      const message = messageOfEvent(row.json);
      if (message) messages.push(frozenMessage(message));
      chars += row.json?.length ?? 0;
    }
    const newest = rows.at(-1);
    return newest
      ? { seq: newest.seq, eventId: newest.id, messages, chars }
      : before ?? { seq: -1, eventId: "", messages, chars };
  }

  /** The id of a transcript's newest entry: the leaf its next entry is chained to (null while it holds only the header). */
  leafEntryId(sessionId: string): string | null {
    // The `session` header is not a tree entry: the reference chains the first entry to no parent
    // (`parentId: null`), and its trajectory export warns about a parent it cannot find otherwise.
    const last = this.#sql(
      "SELECT event_id AS id FROM transcript_event_identities WHERE session_id = ? AND event_type <> 'session' " +
        "ORDER BY seq DESC LIMIT 1",
    ).get(sessionId) as { id: string } | undefined;
    return last?.id ?? null;
  }

  /** Sets (or, with `undefined`, clears) entry fields of a session; undefined when it does not exist. */
  update(key: string, patch: SessionPatch): SessionRow | undefined {
    const row = this.get(key);
    if (!row) return undefined;
    const now = Date.now();
    const cleared = PATCHABLE.filter((f) => f in patch && patch[f] === undefined).map((f) => `$.${f}`);
    const set: [string, string | number][] = [["$.updatedAt", now]];
    for (const field of PATCHABLE) {
      const value = patch[field];
      if (value !== undefined) set.push([`$.${field}`, value]);
    }
    const removing = cleared.length ? `json_remove(entry_json, ${cleared.map(() => "?").join(", ")})` : "entry_json";
    this.#transaction(() => {
      this.#sql(
        `UPDATE session_nodes SET entry_json = json_set(${removing}, ${set.map(() => "?, ?").join(", ")}), ` +
          "updated_at = ? WHERE session_key = ?",
      ).run(...cleared, ...set.flatMap(([path, value]) => [path, integral(value)]), now, key);
    }, key);
    copyEntryFields({ ...row, ...patch }, row);
    row.updatedAt = now;
    return row;
  }

  /**
   * Archives a session as the reference's `sessions.patch {archived: true}` does (entry `archivedAt`,
   * `archiveReason: "manual"`, no pin; the `archived_at` column) or restores it; an archived session
   * keeps its archive time. Undefined when no such session.
   */
  setArchived(key: string, archived: boolean, now = Date.now()): SessionRow | undefined {
    const row = this.get(key);
    if (!row) return undefined;
    if (archived && row.archivedAt !== undefined) return row;
    this.#transaction(() => {
      if (archived) {
        this.#sql(
          "UPDATE session_nodes SET entry_json = json_set(json_remove(entry_json, '$.pinnedAt'), '$.archivedAt', ?, " +
            "'$.archiveReason', 'manual'), archived_at = ?, pinned_at = NULL WHERE session_key = ?",
        ).run(BigInt(now), now, key);
      } else {
        this.#sql(
          "UPDATE session_nodes SET entry_json = json_remove(entry_json, '$.archivedAt', '$.archivedBy', " +
            "'$.archiveReason'), archived_at = NULL WHERE session_key = ?",
        ).run(key);
      }
    }, key);
    if (archived) {
      row.archivedAt = now;
      delete row.pinnedAt;
    } else delete row.archivedAt;
    return row;
  }

  /**
   * Marks a session read or unread, pinned or not, as the reference's `sessions.patch {unread, pinned}` does:
   * the entry's `lastReadAt`, `markedUnreadAt`, `pinnedAt` and the columns the reference indexes them by
   * (`last_read_at`, `pinned_at`). Undefined when no such session.
   */
  setReadState(key: string, change: ReadStateChange, now = Date.now()): SessionRow | undefined {
    const row = this.get(key);
    if (!row) return undefined;
    const update = readStateUpdate(row, change, now);
    const fields = Object.entries(update) as [keyof ReadStateUpdate, number | null][];
    if (fields.length === 0) return row;
    const removed = fields.filter(([, v]) => v === null).map(([f]) => `$.${String(f)}`);
    const set = fields.filter(([, v]) => v !== null) as [string, number][];
    const base = removed.length ? `json_remove(entry_json, ${removed.map(() => "?").join(", ")})` : "entry_json";
    const entry = set.length ? `json_set(${base}, ${set.map(() => "?, ?").join(", ")})` : base;
    const columns = [
      ...("pinnedAt" in update ? [["pinned_at", update.pinnedAt]] : []),
      ...("lastReadAt" in update ? [["last_read_at", update.lastReadAt]] : []),
    ] as [string, number | null][];
    this.#transaction(() => {
      this.#sql(
        `UPDATE session_nodes SET entry_json = ${entry}${columns.map(([c]) => `, ${c} = ?`).join("")} ` +
          "WHERE session_key = ?",
      ).run(
        ...removed,
        ...set.flatMap(([f, v]) => [`$.${f}`, BigInt(v)]),
        ...columns.map(([, v]) => v),
        key,
      );
    }, key);
    copyEntryFields(update, row, true);
    return row;
  }

  /**
   * Records how the last run ended when no answer did (a deadline, a failure, an abort before any text):
   * its status, end and runtime, as the reference's entry keeps them; undefined when no such session.
   */
  setRunEnd(key: string, end: RunEnd): SessionRow | undefined {
    const row = this.get(key);
    if (!row) return undefined;
    const runtimeMs = Math.max(0, end.endedAt - end.startedAt);
    this.#transaction(() => {
      this.#sql(
        "UPDATE session_nodes SET entry_json = json_set(json_remove(entry_json, '$.lastRunError'), " +
          "'$.lastRunId', ?, '$.startedAt', ?, '$.endedAt', ?, '$.runtimeMs', ?, '$.status', ?, " +
          "'$.abortedLastRun', json(?)) WHERE session_key = ?",
      ).run(
        end.runId,
        BigInt(end.startedAt),
        BigInt(end.endedAt),
        BigInt(runtimeMs),
        end.status,
        String(end.aborted),
        key,
      );
      if (end.error) {
        this.#sql(
          "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.lastRunError', ?) WHERE session_key = ?",
        )
          .run(end.error, key);
      }
    }, key);
    Object.assign(row, {
      lastRunId: end.runId,
      startedAt: end.startedAt,
      endedAt: end.endedAt,
      runtimeMs,
      status: end.status,
      abortedLastRun: end.aborted,
    });
    if (end.error) row.lastRunError = end.error;
    else delete row.lastRunError;
    return row;
  }

  /** Writes the entry's `delivery` (the route it last talked on, session_delivery.ts); false when no such session. */
  setDelivery(key: string, delivery: Record<string, unknown>): boolean {
    const written = this.#transaction(() => this.#setDeliveryIn(key, delivery), key);
    const cached = written ? this.#rows?.get(key) : undefined;
    if (cached) cached.route = routeOfEntry({ delivery });
    return written;
  }

  #setDeliveryIn(key: string, delivery: Record<string, unknown>): boolean {
    return this.#sql(
      "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.delivery', json(?)) WHERE session_key = ?",
    ).run(JSON.stringify(delivery), key).changes > 0;
  }

  /** The entry's `fallbackNotice` (read alone: every answered chat run asks it), undefined when none. */
  fallbackNotice(key: string): FallbackNoticeState | undefined {
    const found = this.#sql(
      "SELECT json_extract(entry_json, '$.fallbackNotice') AS notice FROM session_nodes WHERE session_key = ?",
    ).get(key) as { notice: string | null } | undefined;
    if (!found?.notice) return undefined;
    try {
      return fallbackNoticeOf(JSON.parse(found.notice));
    } catch {
      return undefined;
    }
  }

  /** Sets (or, with `undefined`, removes) the entry's `fallbackNotice`, as the reference's runner does after a run. */
  setFallbackNotice(key: string, notice: FallbackNoticeState | undefined): void {
    if (!this.get(key)) return;
    const now = Date.now();
    this.#transaction(() => {
      if (notice) {
        this.#sql(
          "UPDATE session_nodes SET entry_json = json_set(entry_json, '$.fallbackNotice', json(?), '$.updatedAt', ?), " +
            "updated_at = ? WHERE session_key = ?",
        ).run(JSON.stringify(notice), BigInt(now), BigInt(now), key);
      } else {
        this.#sql(
          "UPDATE session_nodes SET entry_json = json_set(json_remove(entry_json, '$.fallbackNotice'), " +
            "'$.updatedAt', ?), updated_at = ? WHERE session_key = ?",
        ).run(BigInt(now), BigInt(now), key);
      }
    }, key);
    const row = this.get(key);
    if (row) row.updatedAt = now;
  }

  /** The whole stored entry of a session (fields this gateway does not model included), or undefined. */
  entry(key: string): Record<string, unknown> | undefined {
    const found = this.#sql("SELECT entry_json AS json FROM session_nodes WHERE session_key = ?").get(key) as
      | { json: string }
      | undefined;
    if (!found) return undefined;
    const parsed: unknown = JSON.parse(found.json);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? parsed as Record<string, unknown>
      : undefined;
  }

  /**
   * Appends a run's trajectory runtime events to `sessionId`'s (trimmed to its window) in one transaction;
   * at most hourly the database's other runs are swept by age and total size (trajectory_runtime_store.ts).
   */
  appendTrajectory(sessionId: string, rows: readonly TrajectoryRow[], now = Date.now()): void {
    if (rows.length === 0 || !this.hasTranscript(sessionId)) return;
    this.#checkFresh();
    const sweep = this.#trajectorySweptAt === undefined || now < this.#trajectorySweptAt ||
      now - this.#trajectorySweptAt >= SWEEP_INTERVAL_MS;
    const sizes = this.#trajectorySizes;
    const known = sizes.get(sessionId);
    // Kept again only once the transaction commits: a rolled-back append leaves nothing to count.
    sizes.delete(sessionId);
    let size: SessionEventsSize | undefined;
    this.#transaction(() => {
      const sql = (text: string) => this.#sql(text);
      size = appendTrajectoryRows(sql, sessionId, rows, SESSION_MAX_BYTES, known);
      if (sweep) sweepTrajectoryRetention(sql, sessionId, now);
    });
    if (sweep) {
      this.#trajectorySweptAt = now;
      // The sweep may have dropped other sessions' runs (never this one's).
      sizes.clear();
    }
    if (size) sizes.set(sessionId, size);
    for (const oldest of sizes.keys()) {
      if (sizes.size <= MAX_KEPT_TRAJECTORY_SIZES) break;
      sizes.delete(oldest);
    }
  }

  /**
   * Removes a session outright: its row, and by the schema's cascade its windows, transcripts and trajectory events,
   * nothing archived. Only this row leaves the cached index (a maintenance write would drop the whole index).
   * Answers whether there was one.
   */
  discard(key: string): boolean {
    this.#checkFresh();
    const windows = this.#sql("SELECT session_id AS id FROM session_windows WHERE session_key = ?")
      .all(key) as unknown as { id: string }[];
    const removed = this.#transaction(() => this.#sql("DELETE FROM session_nodes WHERE session_key = ?").run(key));
    this.#rows?.delete(key);
    for (const { id } of windows) {
      this.#trajectorySizes.delete(id);
      this.#transcripts.take(id);
    }
    return Number(removed.changes) > 0;
  }

  /** Runs a bounded maintenance write (the cron run sweep) in one transaction; the cached index is reread after. */
  maintain<T>(work: (db: DatabaseSync) => T): T {
    try {
      return this.#transaction(() => work(this.#db));
    } finally {
      this.#rows = undefined;
      this.#complete = false;
      this.#trajectorySizes.clear();
      this.#transcripts.clear();
    }
  }

  /**
   * Returns free pages to the file system and folds the write-ahead log into the database (outside any
   * transaction), as the reference does before it measures a store against its disk budget.
   */
  reclaimFreePages(): void {
    this.#db.exec("PRAGMA incremental_vacuum");
    this.#db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }

  /**
   * Closes the database. With `settle`, the previews of the cached index's rows are read first: an
   * evicted agent's rows may still be on their way to a client (a `sessions.list` over more agents than
   * stay open), and their previews are read lazily.
   */
  close(options: { settle?: boolean } = {}): void {
    if (this.#closed) return;
    if (options.settle && this.#rows) {
      for (const row of this.#rows.values()) if (row instanceof ListedRow) row.settle();
    }
    this.#closed = true;
    this.#db.close();
  }
}
