import type { DatabaseSync } from "node:sqlite";
import { getLogger, type Logger } from "../log/logger.ts";
import { AGENT_ID } from "../config/resolve_agents.ts";
import { agentDbExists, agentDbPath } from "../state/agent_db_path.ts";
import { type AbsentPaths, knownAbsent, recordAbsent } from "../state/absent_paths.ts";
import type { StateDbAccess } from "../state/state_write_fence.ts";
import { AgentSessions, type SessionPatch, type SessionRow } from "./agent_sessions.ts";
import type { RunEnd, WindowStart } from "./session_row.ts";
import type { ReadStateChange } from "./read_state.ts";
import { importLegacySessions } from "./legacy_import.ts";
import { ArchivesPendingError } from "./archive_errors.ts";
import type { TranscriptArchive } from "./transcript_archive.ts";
import type { TranscriptMessage } from "./transcript.ts";
import type { TrajectoryRow } from "./trajectory_runtime_store.ts";
import { deliveryRecord, routeOfEntry, type RouteOrigin, type SessionRoute } from "./session_delivery.ts";
import { activityOfEntry, type StoredActivity } from "./session_activity.ts";
import type { FallbackNoticeState } from "./fallback_notice_state.ts";

export type { TranscriptMessage, TranscriptPart } from "./transcript.ts";
export { messageText } from "./transcript.ts";
export type { SessionRow } from "./agent_sessions.ts";
export type { SessionPatch } from "./agent_sessions.ts";

/** A session write that did not reach the disk, as `health` reports the last one. */
export interface WriteFailure {
  at: number;
  agentId: string;
  sessionKey: string;
  /** What was being written: `create`, `append`, `reset` or `delete`. */
  operation: string;
  /** The operating system's reason, e.g. `No space left on device (os error 28)`. */
  error: string;
}

/** How session storage stands: whether the last write landed, and the last one that did not. */
export interface StorageStatus {
  ok: boolean;
  writeFailures: number;
  lastWriteError: WriteFailure | null;
}

/** One agent's sessions as `health` lists them. */
export interface SessionSummary {
  path: string;
  count: number;
  recent: { key: string; updatedAt: number | null; age: number | null }[];
}

/** A transcript or index write failed; the message names the session and the reason, never a path. */
export class SessionWriteError extends Error {
  /** The failure as recorded for `health`. */
  readonly failure: WriteFailure;

  constructor(failure: WriteFailure, options: { cause: unknown }) {
    super(
      `Cannot ${failure.operation} session ${failure.sessionKey}: the session store could not be written. ` +
        "Check the gateway log and free disk space or fix permissions in the state dir",
      options,
    );
    this.name = "SessionWriteError";
    this.failure = failure;
  }
}

/** Agent ids as OpenClaw accepts them: they name a directory, so nothing else ever reaches a path. */
export { AGENT_ID };

/** The agent id a session key belongs to (`agent:<id>:<rest>`), or undefined when absent or malformed. */
export function agentOfKey(key: string): string | undefined {
  return /^agent:([a-z0-9][a-z0-9_-]{0,63}):.+$/.exec(key)?.[1];
}

/**
 * How many agents' databases (and session indexes) stay open; the least recently used is closed past it.
 * Each connection may hold up to 2 MiB of page cache (SQLite's default), so the bound keeps memory flat.
 */
export const MAX_CACHED_INDEXES = 16;

/** Thrown when an agent id that is not a valid id would become part of a path. */
export class InvalidAgentIdError extends Error {
  constructor(agentId: string) {
    super(
      `cannot open sessions of agent ${
        JSON.stringify(agentId.slice(0, 80))
      }: not a valid agent id (use lowercase letters, digits, "_" and "-", at most 64)`,
    );
    this.name = "InvalidAgentIdError";
  }
}

/**
 * Sessions and transcripts in each agent's reference database, `<stateDir>/agents/<id>/agent/
 * openclaw-agent.sqlite` (decision 0012), opened on first use and created with the first session, as
 * the reference does. The earlier layout (`agents/<id>/sessions/`) is imported once when found. Every
 * write is one SQLite transaction (WAL, synchronous=NORMAL), so a finished turn survives a crash.
 */
export class SessionStore {
  #stateDir: string;
  #agents = new Map<string, Promise<AgentSessions>>();
  #queue: Promise<unknown> = Promise.resolve();
  #log: Logger;
  #onWriteFailure: ((failure: WriteFailure) => void) | undefined;
  #storage: StorageStatus = { ok: true, writeFailures: 0, lastWriteError: null };
  #openFailures = new Map<string, string>();
  #summaries = new Map<string, { count: number; recent: { key: string; updatedAt: number }[] }>();
  /** Agents written to since their summary was taken: it is taken again when next asked for, not on every write. */
  #staleSummaries = new Map<string, AgentSessions>();
  #openDb: ((stateDir: string, agentId: string) => DatabaseSync) | undefined;
  /** An agent's database and earlier-layout index found absent, vouched for by their directories' stamps. */
  #absent: AbsentPaths = new Map();
  #now: () => number;
  /** Closed for shutdown: background writes (trajectory events) stop; requests still reopen as before. */
  #closed = false;
  #stateAccess: StateDbAccess;

  constructor(
    stateDir: string,
    options: {
      log?: Logger;
      onWriteFailure?: (failure: WriteFailure) => void;
      /** Opens an agent's database; `openAgentDb` (loaded on first use) unless a test needs the handle. */
      openDb?: (stateDir: string, agentId: string) => DatabaseSync;
      /** How a new agent database is registered in the shared state database (the ownership fence). */
      stateAccess?: StateDbAccess;
      /** The clock that says when a directory's stamp has settled enough to vouch for an absence; tests set it ahead. */
      now?: () => number;
    } = {},
  ) {
    this.#stateDir = stateDir;
    this.#log = options.log ?? getLogger("gateway/sessions");
    this.#onWriteFailure = options.onWriteFailure;
    this.#openDb = options.openDb;
    this.#stateAccess = options.stateAccess ?? "write";
    this.#now = options.now ?? Date.now;
  }

  /** How this store registers a new agent database in the shared state database (the ownership fence). */
  get stateAccess(): StateDbAccess {
    return this.#stateAccess;
  }

  /** Whether the last write landed, how many failed, and the last failure (for `health`). */
  get storage(): StorageStatus {
    return { ...this.#storage };
  }

  /**
   * Runs one write; a failure is logged, recorded for `health`, reported to the owner and
   * rethrown as a {@link SessionWriteError}, so no caller can drop it unseen.
   */
  async #written<T>(operation: string, key: string, agentId: string, task: () => Promise<T> | T): Promise<T> {
    try {
      const result = await task();
      this.#storage.ok = true;
      return result;
    } catch (error) {
      if (error instanceof SessionWriteError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const failure: WriteFailure = { at: Date.now(), agentId, sessionKey: key, operation, error: reason };
      this.#storage = { ok: false, writeFailures: this.#storage.writeFailures + 1, lastWriteError: failure };
      this.#log.error(
        `session write failed (${operation} ${key}, agent ${agentId}) in ${this.#path(agentId)}: ${reason}`,
      );
      this.#onWriteFailure?.(failure);
      throw new SessionWriteError(failure, { cause: error });
    }
  }

  /**
   * Opens the databases of these agents that exist (importing the earlier layout), so {@link summary} counts. One that
   * cannot be opened (a newer schema, not a database: logged once per cause by the opening) counts no sessions, as the
   * reference's `health` and `status` report an agent database they refuse, instead of failing for every agent.
   */
  async load(agentIds: readonly string[]): Promise<void> {
    await Promise.all(agentIds.map(async (id) => {
      let sessions: AgentSessions | undefined;
      try {
        sessions = await this.#agent(id, { create: false });
      } catch {
        this.#summaries.delete(id);
        this.#staleSummaries.delete(id);
        return;
      }
      if (sessions) this.#summaries.set(id, sessions.summary());
    }));
  }

  /** One agent's sessions: the database path, the count and the five most recent. */
  summary(agentId: string, now = Date.now()): SessionSummary {
    this.#takeSummary(agentId);
    const { count, recent } = this.#summaries.get(agentId) ?? { count: 0, recent: [] };
    return {
      path: this.#path(agentId),
      count,
      recent: recent.map((row) => ({ key: row.key, updatedAt: row.updatedAt, age: Math.max(0, now - row.updatedAt) })),
    };
  }

  #path(agentId: string): string {
    // The last line of defence: callers validate too, but no id may ever climb out of agents/.
    if (!AGENT_ID.test(agentId)) throw new InvalidAgentIdError(agentId);
    return agentDbPath(this.#stateDir, agentId);
  }

  /**
   * An agent's open sessions database; with `create: false`, undefined when it has neither a database
   * nor the earlier layout to import (reading never creates one).
   */
  #agent(agentId: string, options: { create: boolean }): Promise<AgentSessions | undefined> {
    const database = this.#path(agentId);
    const cached = this.#agents.get(agentId);
    if (cached) {
      this.#agents.delete(agentId);
      this.#agents.set(agentId, cached);
      return cached;
    }
    if (!options.create && this.#nothingToOpen(agentId, database)) return Promise.resolve(undefined);
    return this.#open(agentId);
  }

  /**
   * Whether the agent has neither a database nor the earlier layout's index. Both absent is every read of an agent
   * that never had a session (`health`, `status`, `sessions.list` of a fresh state dir), and each failed lookup
   * builds a NotFound error: a quarter of a `health` call's CPU. Once found absent they stay known absent while the
   * nearest existing directory above each is unchanged (state/absent_paths.ts), as the skill roots do.
   */
  #nothingToOpen(agentId: string, database: string): boolean {
    const legacyIndex = `${this.#stateDir}/agents/${agentId}/sessions/sessions.json`;
    if (knownAbsent(this.#absent, database) && knownAbsent(this.#absent, legacyIndex)) return true;
    if (agentDbExists(this.#stateDir, agentId) || exists(legacyIndex)) return false;
    const at = this.#now();
    recordAbsent(this.#absent, database, at);
    recordAbsent(this.#absent, legacyIndex, at);
    return true;
  }

  /**
   * SQLite loads with the first session read, never on the start-up path; the DDL (about 100 KB of
   * text, 1 MB of memory once loaded) only when a database has to be created.
   */
  async #openOrCreate(agentId: string): Promise<DatabaseSync> {
    if (this.#openDb) return this.#openDb(this.#stateDir, agentId);
    const existing = (await import("../state/agent_db_existing.ts")).openExistingAgentDb(this.#stateDir, agentId);
    return existing ?? (await import("../state/agent_db.ts")).openAgentDb(this.#stateDir, agentId, this.#stateAccess);
  }

  #open(agentId: string): Promise<AgentSessions> {
    const opening = (async () => {
      const sessions = new AgentSessions(await this.#openOrCreate(agentId), agentId);
      const legacy = `${this.#stateDir}/agents/${agentId}/sessions`;
      try {
        await importLegacySessions(legacy, sessions, this.#log);
      } catch (error) {
        this.#log.error(`cannot import the earlier session layout in ${legacy}: ${error}; it stays in place`);
      }
      return sessions;
    })();
    this.#agents.set(agentId, opening);
    while (this.#agents.size > MAX_CACHED_INDEXES) {
      const [oldest, evicted] = this.#agents.entries().next().value!;
      this.#agents.delete(oldest);
      // Its rows may be in a list being answered (one over more agents than stay open): their previews
      // are read before the database closes.
      void evicted.then((sessions) => {
        this.#takeSummary(oldest);
        sessions.close({ settle: true });
      }).catch(() => {});
    }
    // A failed open is not cached: the next request tries again. The log says why once per cause (a
    // database at another schema version names its fix), not on every request.
    opening.catch((error) => {
      if (this.#agents.get(agentId) === opening) this.#agents.delete(agentId);
      const reason = error instanceof Error ? error.message : String(error);
      if (this.#openFailures.get(agentId) === reason) return;
      this.#openFailures.set(agentId, reason);
      this.#log.error(`cannot open the sessions of agent ${agentId}: ${reason}`);
    });
    return opening;
  }

  /** How many agents' databases are open (for tests of the bound). */
  get cachedIndexes(): number {
    return this.#agents.size;
  }

  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Marks an agent's summary for taking again at the next {@link summary}: a count and a sort of every session on each
   * channel message's three writes was work nobody read.
   */
  #refreshSummary(agentId: string, sessions: AgentSessions): void {
    this.#staleSummaries.set(agentId, sessions);
  }

  /** Takes a summary marked stale; one that cannot be read (the database closed since) keeps the last taken. */
  #takeSummary(agentId: string): void {
    const sessions = this.#staleSummaries.get(agentId);
    if (!sessions) return;
    this.#staleSummaries.delete(agentId);
    try {
      this.#summaries.set(agentId, sessions.summary());
    } catch {
      // Closed (evicted, the store closed): the summary taken before it closed stands.
    }
  }

  /** An agent's sessions for a write: a database that cannot be opened fails the write as any write failure. */
  async #opened(operation: string, key: string, agentId: string): Promise<AgentSessions | undefined> {
    try {
      return await this.#agent(agentId, { create: false });
    } catch (error) {
      if (error instanceof InvalidAgentIdError) throw error;
      return await this.#written(operation, key, agentId, () => Promise.reject(error));
    }
  }

  /**
   * The row of a session, creating it (and its transcript) on first use; a session created here with a
   * `route` has it recorded in the same commit (what {@link recordRoute} then finds already written).
   */
  ensure(key: string, agentId: string, route?: RouteOrigin): Promise<SessionRow> {
    return this.#serialized(async () => {
      const found = (await this.#opened("create", key, agentId))?.get(key);
      if (found) return found;
      return await this.#written("create", key, agentId, async () => {
        const sessions = (await this.#agent(agentId, { create: true }))!;
        const row = sessions.get(key) ?? sessions.start(key, route ? { delivery: deliveryRecord(route) } : {});
        this.#refreshSummary(agentId, sessions);
        return row;
      });
    });
  }

  /**
   * A run's turn opened in one commit: the session created when missing (with `route` as its delivery) or `route`
   * recorded when it changed, then `user` appended. Returns the row and the messages before `user` (frozen: they are
   * kept for the session's next turns, AgentSessions.turnHistory). The rows are
   * those {@link ensure}, {@link recordRoute} and {@link append} write one commit each.
   */
  openTurn(
    key: string,
    agentId: string,
    turn: {
      route?: RouteOrigin | undefined;
      user: TranscriptMessage;
      /** A person's turn: it moves `lastInteractionAt`, which idle resets count from. */
      interaction?: boolean | undefined;
    },
  ): Promise<{ row: SessionRow; history: TranscriptMessage[] }> {
    return this.#serialized(async () => {
      const opened = await this.#opened("create", key, agentId);
      const existing = opened?.get(key);
      const record = turn.route ? deliveryRecord(turn.route) : undefined;
      // As recordRoute: a chat already recorded costs a read, not a write.
      const delivery = record && (!existing || JSON.stringify(opened?.entry(key)?.delivery) !== JSON.stringify(record))
        ? record
        : undefined;
      // Failures are named as the separate steps name the first that writes: ensure's `create` (opening too),
      // recordRoute's `update`, then `append`.
      const operation = !existing ? "create" : delivery ? "update" : "append";
      return await this.#written(operation, key, agentId, async () => {
        const sessions = (await this.#agent(agentId, { create: true }))!;
        const history = existing ? sessions.turnHistory(existing.sessionId) : [];
        const row = sessions.openTurn(key, { delivery, messages: [turn.user], interaction: turn.interaction === true });
        this.#refreshSummary(agentId, sessions);
        return { row, history };
      });
    });
  }

  /** A session's lifecycle timestamps, which its reset policy judges; undefined when it does not exist. */
  async activity(key: string, agentId: string): Promise<StoredActivity | undefined> {
    const entry = (await this.#agent(agentId, { create: false }))?.entry(key);
    return entry ? activityOfEntry(entry) : undefined;
  }

  /** The session's `fallbackNotice` (the model fallback its notices last announced); undefined when none. */
  async fallbackNotice(key: string, agentId: string): Promise<FallbackNoticeState | undefined> {
    return (await this.#agent(agentId, { create: false }))?.fallbackNotice(key);
  }

  /** Sets (or, with `undefined`, removes) a session's `fallbackNotice`; nothing when the session does not exist. */
  setFallbackNotice(key: string, agentId: string, notice: FallbackNoticeState | undefined): Promise<void> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return;
      await this.#written("update", key, agentId, () => sessions.setFallbackNotice(key, notice));
    });
  }

  /** The row of one session, if it exists. */
  async get(key: string, agentId: string): Promise<SessionRow | undefined> {
    return (await this.#agent(agentId, { create: false }))?.get(key);
  }

  /** Sets (or, with `undefined`, clears) a session's label or model override; undefined when it does not exist. */
  update(key: string, agentId: string, patch: SessionPatch): Promise<SessionRow | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return undefined;
      return await this.#written("update", key, agentId, () => sessions.update(key, patch));
    });
  }

  /** Records the end of a run that left no answer (session_row.ts RunEnd); nothing when the session does not exist. */
  recordRunEnd(key: string, agentId: string, end: RunEnd): Promise<void> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return;
      await this.#written("update", key, agentId, () => sessions.setRunEnd(key, end));
    });
  }

  /** Archives (or restores) a session, as `sessions.patch {archived}` asks; undefined when it does not exist. */
  archive(key: string, agentId: string, archived: boolean): Promise<SessionRow | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return undefined;
      return await this.#written("update", key, agentId, () => sessions.setArchived(key, archived));
    });
  }

  /** Marks a session read or unread, pinned or not (`sessions.patch {unread, pinned}`); undefined when it does not exist. */
  setReadState(key: string, agentId: string, change: ReadStateChange): Promise<SessionRow | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return undefined;
      return await this.#written("update", key, agentId, () => sessions.setReadState(key, change));
    });
  }

  /** Records the chat a session last talked on (the entry's `delivery`); nothing when the session does not exist. */
  recordRoute(key: string, agentId: string, origin: RouteOrigin): Promise<void> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("update", key, agentId);
      if (!sessions?.get(key)) return;
      // Every channel message lands here: a chat already recorded costs a read, not a write.
      const record = deliveryRecord(origin);
      if (JSON.stringify(sessions.entry(key)?.delivery) === JSON.stringify(record)) return;
      await this.#written("update", key, agentId, () => sessions.setDelivery(key, record));
    });
  }

  /** The chat a session last talked on (`last` delivery), from its entry; undefined when none is known. */
  async lastRoute(key: string, agentId: string): Promise<SessionRoute | undefined> {
    const entry = (await this.#agent(agentId, { create: false }))?.entry(key);
    return entry ? routeOfEntry(entry) : undefined;
  }

  /** Appends messages to a session's transcript in one transaction; `interaction`: a person's turn opening. */
  append(
    key: string,
    agentId: string,
    messages: TranscriptMessage[],
    options: { interaction?: boolean } = {},
  ): Promise<void> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("append", key, agentId);
      const row = sessions?.get(key);
      if (!sessions || !row) throw new Error(`session ${key} does not exist`);
      await this.#written("append", key, agentId, () => {
        sessions.append(row, messages, options);
        this.#refreshSummary(agentId, sessions);
      });
    });
  }

  /**
   * Appends one non-message entry (a `compaction`) to a session's transcript; returns its id, or
   * undefined when `sessionId` is given and the key now names another session (it was reset).
   */
  appendEntry(
    key: string,
    agentId: string,
    type: string,
    json: (id: string, parentId: string | null) => string,
    sessionId?: string,
  ): Promise<string | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#opened("append", key, agentId);
      const row = sessions?.get(key);
      if (!sessions || !row) throw new Error(`session ${key} does not exist`);
      if (sessionId !== undefined && row.sessionId !== sessionId) return undefined;
      return await this.#written("append", key, agentId, () => sessions.appendEntry(row, type, json));
    });
  }

  /**
   * Appends a run's trajectory runtime events to its session window `sessionId` (kept even when the key has
   * moved on to a new window since: the events belong to the window the run wrote). Nothing is written for a
   * window that is gone, nor once the store has closed. A failure is the caller's to log: it is no transcript
   * write, so health is not told.
   */
  appendTrajectory(agentId: string, sessionId: string, rows: readonly TrajectoryRow[]): Promise<void> {
    return this.#serialized(async () => {
      if (this.#closed) return;
      const sessions = await this.#agent(agentId, { create: false });
      sessions?.appendTrajectory(sessionId, rows);
    });
  }

  /** The entries of one type (`compaction`) in a session's current transcript, oldest first. */
  async entries(key: string, agentId: string, type: string): Promise<{ json: string; messagesBefore: number }[]> {
    const sessions = await this.#agent(agentId, { create: false });
    const row = sessions?.get(key);
    return sessions && row ? sessions.entries(row.sessionId, type) : [];
  }

  /**
   * The messages of a session, oldest first; with `limit`, only the newest that many (cheap on a long
   * transcript). `total` counts every message event of the transcript.
   */
  async history(
    key: string,
    agentId: string,
    options: { limit?: number } = {},
  ): Promise<
    { row: SessionRow | undefined; messages: TranscriptMessage[]; total: number; leafEntryId?: string | null }
  > {
    const sessions = await this.#agent(agentId, { create: false });
    const row = sessions?.get(key);
    if (!sessions || !row) return { row: undefined, messages: [], total: 0 };
    const messages = sessions.messages(row.sessionId, options);
    return { row, messages, total: row.messageCount, leafEntryId: sessions.leafEntryId(row.sessionId) };
  }

  /**
   * The messages of one transcript window by its session id, oldest first (with `limit`, the newest that many): a
   * reset session's previous window too, which `history` no longer reaches through the key.
   */
  async windowMessages(
    agentId: string,
    sessionId: string,
    options: { limit?: number } = {},
  ): Promise<TranscriptMessage[]> {
    const sessions = await this.#agent(agentId, { create: false });
    return sessions ? sessions.messages(sessionId, options) : [];
  }

  /** All sessions of the given agents, most recently updated first. */
  async list(agentIds: string[]): Promise<SessionRow[]> {
    const all = await Promise.all(agentIds.map(async (id) => {
      const sessions = await this.#agent(id, { create: false });
      return sessions ? [...sessions.all().values()] : [];
    }));
    return all.flat().sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Why a session window started and when (agent_sessions.ts windowStart); undefined when unknown. */
  async windowStart(
    agentId: string,
    sessionId: string,
  ): Promise<WindowStart | undefined> {
    return (await this.#agent(agentId, { create: false }))?.windowStart(sessionId);
  }

  /** Starts a fresh transcript for a key; the old one stays in the database (`rollover`: the reset policy's). */
  reset(key: string, agentId: string, options: { reason?: "reset" | "rollover" } = {}): Promise<SessionRow> {
    return this.#serialized(() =>
      this.#written("reset", key, agentId, async () => {
        const sessions = (await this.#agent(agentId, { create: true }))!;
        const row = sessions.start(key, options.reason ? { reason: options.reason } : {});
        this.#refreshSummary(agentId, sessions);
        return row;
      })
    );
  }

  /**
   * Removes a session, keeping its transcripts as the reference keeps them: each generation is archived
   * (`session_transcript_archives`) in the transaction that removes the session, then published as
   * `agents/<id>/sessions/<sessionId>.jsonl.deleted.<time>.<generation>.zst`; an incognito session's go
   * unarchived, as the reference's do. Answers the published paths (current transcript first), or
   * undefined when there is no such session; an archive file that cannot be written (the session is gone,
   * its transcript kept in the row) is an {@link ArchivesPendingError}, and the next delete retries it. `deleteTranscript: false` archives too: a transcript
   * the schema's cascade would otherwise drop is never lost.
   */
  delete(key: string, agentId: string, _options: { deleteTranscript: boolean }): Promise<string[] | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#agent(agentId, { create: false });
      if (!sessions?.get(key)) return undefined;
      // Loaded on the first delete: it brings node:zlib and node:crypto, which `gateway run` never loads.
      const archive = await import("./transcript_archive.ts");
      const archives = await this.#written("delete", key, agentId, () => {
        const archived = sessions.maintain((db) => {
          const kept = archive.archiveDeletedSession(db, key);
          db.prepare("DELETE FROM session_nodes WHERE session_key = ?").run(key);
          return kept;
        });
        this.#refreshSummary(agentId, sessions);
        return archived;
      });
      // Every pending archive is published, so one a crash left unwritten is written now too.
      // The answer names this delete's archives that reached the disk, current transcript first.
      const paths = await this.#publish(
        archive,
        agentId,
        sessions,
        sessions.maintain(archive.pendingTranscriptArchives),
      );
      return archives.map((a) => paths.find((p) => p.endsWith(`/${a.name}`))).filter((p) => p !== undefined);
    });
  }

  /**
   * Removes a session that belonged to one run (a model run's), its transcript unarchived, as the reference removes
   * its model run's hidden session (`archiveRemovedTranscript: false`). Answers whether there was one.
   */
  discard(key: string, agentId: string): Promise<boolean> {
    return this.#serialized(async () => {
      const sessions = await this.#agent(agentId, { create: false });
      if (!sessions) return false;
      return await this.#written("delete", key, agentId, () => {
        const removed = sessions.discard(key);
        if (removed) this.#refreshSummary(agentId, sessions);
        return removed;
      });
    });
  }

  /**
   * Writes archived transcripts out as files and marks them published; one that fails stays pending
   * (its row still holds it) with the reason recorded. Answers the written paths; throws
   * {@link ArchivesPendingError} after trying them all when any stays pending, as the reference does.
   */
  async #publish(
    { markArchivePublished, writeArchiveFile }: typeof import("./transcript_archive.ts"),
    agentId: string,
    sessions: AgentSessions,
    archives: TranscriptArchive[],
  ): Promise<string[]> {
    const dir = `${this.#stateDir}/agents/${agentId}/sessions`;
    const paths: string[] = [];
    for (const archive of archives) {
      try {
        paths.push(await writeArchiveFile(dir, archive));
        sessions.maintain((db) => markArchivePublished(db, archive, Date.now()));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#log.warn(`transcript archive ${archive.name} kept in the database, not yet written: ${reason}`);
        sessions.maintain((db) => markArchivePublished(db, archive, Date.now(), reason));
      }
    }
    if (paths.length < archives.length) throw new ArchivesPendingError(archives.length - paths.length);
    return paths;
  }

  /** Runs one bounded maintenance step on an agent's database between other writes; undefined when it has none. */
  maintain<T>(agentId: string, work: (db: DatabaseSync) => T): Promise<T | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#agent(agentId, { create: false });
      if (!sessions) return undefined;
      const result = sessions.maintain(work);
      this.#refreshSummary(agentId, sessions);
      return result;
    });
  }

  /**
   * Runs one bounded maintenance step that removes transcripts (the cron run sweep), handing it `archive`
   * to keep each one first as a delete keeps it: an archive row (reason `deleted`) in the step's own
   * transaction, published as a file after the commit, with every other pending archive, as a delete
   * publishes. Undefined when the agent has no database. A file that could not be written stays pending in
   * its row (the next publish writes it) and comes back as `publishError`, after the step committed.
   */
  maintainArchiving<T>(
    agentId: string,
    work: (db: DatabaseSync, archive: (transcript: { sessionId: string; sessionKey: string }) => void) => T,
  ): Promise<{ result: T; publishError?: ArchivesPendingError } | undefined> {
    return this.#serialized(async () => {
      const sessions = await this.#agent(agentId, { create: false });
      if (!sessions) return undefined;
      // Loaded on the first sweep, never on the start path: it brings node:zlib and node:crypto.
      const archive = await import("./transcript_archive.ts");
      const result = sessions.maintain((db) =>
        work(db, (transcript) => archive.archiveTranscript(db, { ...transcript, reason: "deleted" }))
      );
      this.#refreshSummary(agentId, sessions);
      try {
        await this.#publish(archive, agentId, sessions, sessions.maintain(archive.pendingTranscriptArchives));
        return { result };
      } catch (error) {
        if (error instanceof ArchivesPendingError) return { result, publishError: error };
        throw error;
      }
    });
  }

  /** Reclaims an agent database's free pages and checkpoints its log between other writes; false when it has none. */
  reclaimFreePages(agentId: string): Promise<boolean> {
    return this.#serialized(async () => {
      const sessions = await this.#agent(agentId, { create: false });
      sessions?.reclaimFreePages();
      return sessions !== undefined;
    });
  }

  /**
   * Closes one agent's database between other writes and forgets what was known of it (a deleted agent,
   * whose files are about to go): a later request opens whatever is then on disk.
   */
  forget(agentId: string): Promise<void> {
    return this.#serialized(async () => {
      const open = this.#agents.get(agentId);
      this.#agents.delete(agentId);
      this.#summaries.delete(agentId);
      this.#staleSummaries.delete(agentId);
      this.#absent.clear();
      const sessions = await open?.catch(() => undefined);
      sessions?.close();
    });
  }

  /** Closes every open database (at gateway stop). */
  async close(): Promise<void> {
    this.#closed = true;
    for (const agentId of [...this.#staleSummaries.keys()]) this.#takeSummary(agentId);
    const open = [...this.#agents.values()];
    this.#agents.clear();
    for (const sessions of await Promise.allSettled(open)) {
      if (sessions.status === "fulfilled") sessions.value.close();
    }
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
