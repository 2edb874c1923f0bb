import { writeTextAtomic } from "../config/write.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import { AGENT_ID } from "../config/resolve_agents.ts";
import { appendTranscript, readTranscript, type TranscriptMessage } from "./transcript.ts";

export type { TranscriptMessage } from "./transcript.ts";

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
  /** Tokens of the last answer: its prompt (the context in use) and its output. */
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

/** What `update` may change on a session. */
export type SessionPatch = Partial<Pick<SessionRow, "label" | "providerOverride" | "modelOverride">>;

const PATCHABLE = ["label", "providerOverride", "modelOverride"] as const;

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

/** How many agents' session indexes stay in memory; the least recently used is dropped past it. */
export const MAX_CACHED_INDEXES = 128;

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
 * Sessions under `<stateDir>/agents/<agentId>/sessions/`: an append-only JSONL transcript per
 * session (fsync'd after each write, so a finished turn survives a crash) and an index written
 * atomically. A torn last line, left by a crash mid-write, is skipped when reading, never fatal.
 */
export class SessionStore {
  #stateDir: string;
  #indexes = new Map<string, Map<string, SessionRow>>();
  #queue: Promise<unknown> = Promise.resolve();
  #log: Logger;
  #onWriteFailure: ((failure: WriteFailure) => void) | undefined;
  #storage: StorageStatus = { ok: true, writeFailures: 0, lastWriteError: null };

  constructor(
    stateDir: string,
    options: { log?: Logger; onWriteFailure?: (failure: WriteFailure) => void } = {},
  ) {
    this.#stateDir = stateDir;
    this.#log = options.log ?? getLogger("gateway/sessions");
    this.#onWriteFailure = options.onWriteFailure;
  }

  /** Whether the last write landed, how many failed, and the last failure (for `health`). */
  get storage(): StorageStatus {
    return { ...this.#storage };
  }

  /**
   * Runs one write; a failure is logged, recorded for `health`, reported to the owner and
   * rethrown as a {@link SessionWriteError}, so no caller can drop it unseen.
   */
  async #written<T>(operation: string, key: string, agentId: string, task: () => Promise<T>): Promise<T> {
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
        `session write failed (${operation} ${key}, agent ${agentId}) in ${this.#dir(agentId)}: ${reason}`,
      );
      this.#onWriteFailure?.(failure);
      throw new SessionWriteError(failure, { cause: error });
    }
  }

  /** Loads the indexes of these agents, so {@link summary} counts their sessions. */
  async load(agentIds: readonly string[]): Promise<void> {
    await Promise.all(agentIds.map((id) => this.#index(id)));
  }

  /** One agent's sessions from the loaded index: the store path, the count and the five most recent. */
  summary(agentId: string, now = Date.now()): SessionSummary {
    const rows = [...(this.#indexes.get(agentId)?.values() ?? [])].sort((a, b) => b.updatedAt - a.updatedAt);
    return {
      path: this.#dir(agentId),
      count: rows.length,
      recent: rows.slice(0, 5).map((row) => ({
        key: row.key,
        updatedAt: row.updatedAt,
        age: Math.max(0, now - row.updatedAt),
      })),
    };
  }

  #dir(agentId: string): string {
    // The last line of defence: callers validate too, but no id may ever climb out of agents/.
    if (!AGENT_ID.test(agentId)) throw new InvalidAgentIdError(agentId);
    return `${this.#stateDir}/agents/${agentId}/sessions`;
  }

  async #index(agentId: string): Promise<Map<string, SessionRow>> {
    const cached = this.#indexes.get(agentId);
    if (cached) {
      this.#remember(agentId, cached);
      return cached;
    }
    const dir = this.#dir(agentId);
    let index: Map<string, SessionRow>;
    try {
      const parsed = JSON.parse(await Deno.readTextFile(`${dir}/sessions.json`));
      index = new Map(Object.entries(parsed.sessions ?? {}));
    } catch {
      index = new Map();
    }
    // A concurrent load may have won; keep the one already cached (a writer may hold it).
    const raced = this.#indexes.get(agentId);
    if (raced) return raced;
    this.#remember(agentId, index);
    return index;
  }

  /** Marks an index most recently used, dropping the least recently used past the bound. */
  #remember(agentId: string, index: Map<string, SessionRow>): void {
    this.#indexes.delete(agentId);
    this.#indexes.set(agentId, index);
    while (this.#indexes.size > MAX_CACHED_INDEXES) this.#indexes.delete(this.#indexes.keys().next().value!);
  }

  /** How many indexes are held in memory (for tests of the bound). */
  get cachedIndexes(): number {
    return this.#indexes.size;
  }

  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  /**
   * Writes an index and caches that very map again: if it was evicted while a writer held it, a
   * reader may have loaded an older copy from disk, which must not outlive this write.
   */
  async #saveIndex(agentId: string, index: Map<string, SessionRow>): Promise<void> {
    this.#remember(agentId, index);
    await writeTextAtomic(
      `${this.#dir(agentId)}/sessions.json`,
      `${JSON.stringify({ sessions: Object.fromEntries(index) }, null, 2)}\n`,
      { mode: 0o600 },
    );
  }

  /** Points a key at a new, empty transcript and records it in the index. Runs inside #serialized. */
  async #startSession(key: string, agentId: string): Promise<SessionRow> {
    const now = Date.now();
    const row: SessionRow = {
      key,
      agentId,
      sessionId: crypto.randomUUID(),
      createdAt: now,
      updatedAt: now,
      messageCount: 0,
      lastPreview: null,
    };
    const index = await this.#index(agentId);
    const previous = index.get(key);
    index.set(key, row);
    try {
      await Deno.mkdir(this.#dir(agentId), { recursive: true, mode: 0o700 });
      await this.#saveIndex(agentId, index);
    } catch (error) {
      // The index in memory says what the disk says: a session that was not saved is not listed.
      if (previous) index.set(key, previous);
      else index.delete(key);
      throw error;
    }
    return row;
  }

  /** The row of a session, creating it (and its transcript) on first use. */
  ensure(key: string, agentId: string): Promise<SessionRow> {
    return this.#serialized(async () => {
      const index = await this.#index(agentId);
      return index.get(key) ?? await this.#written("create", key, agentId, () => this.#startSession(key, agentId));
    });
  }

  /** The row of one session, if it exists. */
  async get(key: string, agentId: string): Promise<SessionRow | undefined> {
    return (await this.#index(agentId)).get(key);
  }

  /** Sets (or, with `undefined`, clears) a session's label or model override; undefined when it does not exist. */
  update(key: string, agentId: string, patch: SessionPatch): Promise<SessionRow | undefined> {
    return this.#serialized(async () => {
      const index = await this.#index(agentId);
      const row = index.get(key);
      if (!row) return undefined;
      const before = { ...row };
      const set = (from: SessionPatch) => {
        for (const field of PATCHABLE) {
          if (!(field in from)) continue;
          if (from[field] === undefined) delete row[field];
          else row[field] = from[field];
        }
      };
      set(patch);
      row.updatedAt = Date.now();
      try {
        await this.#written("update", key, agentId, () => this.#saveIndex(agentId, index));
      } catch (error) {
        // What is in memory says what is on disk.
        set({ label: before.label, providerOverride: before.providerOverride, modelOverride: before.modelOverride });
        row.updatedAt = before.updatedAt;
        throw error;
      }
      return row;
    });
  }

  /** Appends messages to a session's transcript and syncs them to disk. */
  append(key: string, agentId: string, messages: TranscriptMessage[]): Promise<void> {
    return this.#serialized(async () => {
      const index = await this.#index(agentId);
      const row = index.get(key);
      if (!row) throw new Error(`session ${key} does not exist`);
      await this.#written("append", key, agentId, () => this.#appendTo(row, agentId, index, messages));
    });
  }

  async #appendTo(
    row: SessionRow,
    agentId: string,
    index: Map<string, SessionRow>,
    messages: TranscriptMessage[],
  ): Promise<void> {
    await appendTranscript(`${this.#dir(agentId)}/${row.sessionId}.jsonl`, messages);
    const last = messages.at(-1);
    row.messageCount += messages.length;
    row.updatedAt = Date.now();
    if (last) row.lastPreview = last.content.map((c) => c.text).join("").slice(0, 200);
    if (last?.usage) {
      row.inputTokens = last.usage.input;
      row.outputTokens = last.usage.output;
    }
    await this.#saveIndex(agentId, index);
  }

  /** The messages of a session, oldest first; a torn final line is skipped. */
  async history(key: string, agentId: string): Promise<{ row: SessionRow | undefined; messages: TranscriptMessage[] }> {
    const row = (await this.#index(agentId)).get(key);
    if (!row) return { row: undefined, messages: [] };
    const messages = await readTranscript(`${this.#dir(agentId)}/${row.sessionId}.jsonl`);
    return { row, messages: messages ?? [] };
  }

  /** All sessions of the given agents, most recently updated first. */
  async list(agentIds: string[]): Promise<SessionRow[]> {
    const rows = (await Promise.all(agentIds.map(async (id) => [...(await this.#index(id)).values()]))).flat();
    return rows.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Starts a fresh transcript for a key; the old one stays on disk. */
  reset(key: string, agentId: string): Promise<SessionRow> {
    return this.#serialized(() => this.#written("reset", key, agentId, () => this.#startSession(key, agentId)));
  }

  /** Removes a session from the index and, with `deleteTranscript`, its file. */
  delete(key: string, agentId: string, options: { deleteTranscript: boolean }): Promise<boolean> {
    return this.#serialized(async () => {
      const index = await this.#index(agentId);
      const row = index.get(key);
      if (!row) return false;
      index.delete(key);
      await this.#written("delete", key, agentId, () => this.#saveIndex(agentId, index));
      if (options.deleteTranscript) await Deno.remove(`${this.#dir(agentId)}/${row.sessionId}.jsonl`).catch(() => {});
      return true;
    });
  }
}
