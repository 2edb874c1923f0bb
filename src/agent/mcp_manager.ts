// The MCP client manager: one slot per configured server, connected on first need (as the
// reference's session runtimes are), listed once and cached until the server says its tools
// changed, reconnected with backoff when its transport closes, and closed when the config drops
// or changes the server, and when the gateway stops.
import type { McpServerSpec } from "../config/resolve_mcp.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import type { McpConnection, McpConnectionEvents, McpListedTool } from "./mcp_connection.ts";
import {
  MCP_FAILED_PAUSE_MS,
  MCP_MAX_FAILURES,
  MCP_STABLE_MS,
  mcpBackoffMs,
  type McpFailedMark,
  mcpServerState,
  type McpServerStatus,
} from "./mcp_server_state.ts";

export type { McpFailedMark, McpServerStatus } from "./mcp_server_state.ts";

/** A listed tool of one live server, ready to be projected into an `AgentTool`. */
export interface McpServerTools {
  spec: McpServerSpec;
  tools: McpListedTool[];
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** How a connection is opened (the real one spawns or dials; tests may count calls). */
export type McpOpen = (spec: McpServerSpec, events: McpConnectionEvents) => Promise<McpConnection>;

/** Tunables of {@link McpClientManager}; tests shorten them and drive the clock. */
export interface McpManagerOptions {
  log?: Logger | undefined;
  open?: McpOpen | undefined;
  /** The clock (epoch ms). */
  now?: (() => number) | undefined;
  /** How long a listed connection must stay up before its failure count is forgiven. */
  stableMs?: number | undefined;
  /** Consecutive failures after which a server is marked failed. */
  maxFailures?: number | undefined;
  /** Told the servers marked failed whenever that set changes (the gateway records it for `openclaw mcp status`). */
  onFailedChange?: ((failed: McpFailedMark[]) => void) | undefined;
}

/** One opened connection and what it has proved. */
interface Live {
  connection: McpConnection;
  openedAt: number;
  /** Its failure was counted already (a crash during tools/list must count once). */
  counted: boolean;
  /** It answered tools/list. */
  listed: boolean;
}

interface Slot {
  spec: McpServerSpec;
  live?: Live | undefined;
  connecting?: Promise<Live> | undefined;
  tools?: McpListedTool[] | undefined;
  failures: number;
  reconnects: number;
  /** No new attempt before this time (after a failure). */
  retryAt: number;
  /** The connection closed under us: the next request reconnects it. */
  dropped: boolean;
  lastError?: string | undefined;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Owns the live MCP client sessions of one gateway. */
export class McpClientManager {
  #slots = new Map<string, Slot>();
  #specs: McpServerSpec[] = [];
  #log: Logger;
  #open: McpOpen | undefined;
  #now: () => number;
  #stableMs: number;
  #maxFailures: number;
  #onFailedChange: ((failed: McpFailedMark[]) => void) | undefined;
  /** The failed set last reported, to report changes only. */
  #failedKey = "[]";
  #stopped = false;
  /** Warnings already logged (a renamed tool is named once, not on every run). */
  #warned = new Set<string>();

  constructor(options: McpManagerOptions = {}) {
    this.#log = options.log ?? getLogger("agent/mcp");
    this.#open = options.open;
    this.#now = options.now ?? Date.now;
    this.#stableMs = options.stableMs ?? MCP_STABLE_MS;
    this.#maxFailures = options.maxFailures ?? MCP_MAX_FAILURES;
    this.#onFailedChange = options.onFailedChange;
  }

  /**
   * Takes the config in force: servers removed, disabled or changed are closed (their stdio
   * children stop); unchanged ones keep their connection and cached tools. A changed server
   * starts afresh, its failure count forgotten.
   */
  async reconcile(specs: readonly McpServerSpec[]): Promise<void> {
    this.#specs = [...specs];
    const wanted = new Map(specs.filter((spec) => spec.enabled && spec.launch).map((spec) => [spec.name, spec]));
    const closing: Promise<void>[] = [];
    for (const [name, slot] of this.#slots) {
      const next = wanted.get(name);
      if (next && next.fingerprint === slot.spec.fingerprint) {
        slot.spec = next;
        continue;
      }
      this.#slots.delete(name);
      closing.push(this.#retire(slot, next ? "changed" : "removed"));
    }
    this.#reportFailed();
    await Promise.all(closing);
  }

  /**
   * The tools of every enabled server of `specs` but those `skip` names, connecting those not yet connected. A server
   * that fails to start is logged and left out (the run goes on without it), as in the reference.
   */
  async serverTools(
    specs: readonly McpServerSpec[],
    options: { skip?: ((spec: McpServerSpec) => boolean) | undefined } = {},
  ): Promise<McpServerTools[]> {
    if (this.#stopped) return [];
    if (specs !== this.#specs) await this.reconcile(specs);
    // A skipped server (denied whole by this agent's policy) is not connected for it.
    const enabled = specs.filter((spec) => spec.enabled && spec.launch && !options.skip?.(spec));
    const listed = await Promise.all(enabled.map((spec) => this.#toolsOf(spec)));
    return listed.filter((entry): entry is McpServerTools => entry !== undefined);
  }

  /** Logs a warning once per gateway. */
  warnOnce(message: string): void {
    if (this.#warned.has(message)) return;
    this.#warned.add(message);
    this.#log.warn(message);
  }

  /** Every configured server's state. */
  status(): McpServerStatus[] {
    return this.#specs.map((spec) => {
      if (!spec.enabled) return { name: spec.name, state: "disabled", toolCount: 0, reconnects: 0 };
      if (!spec.launch) {
        return { name: spec.name, state: "skipped", toolCount: 0, lastError: spec.skipReason, reconnects: 0 };
      }
      const slot = this.#slots.get(spec.name);
      if (!slot) return { name: spec.name, state: "idle", toolCount: 0, reconnects: 0 };
      const state = mcpServerState({
        connecting: slot.connecting !== undefined,
        connected: slot.live !== undefined,
        listed: slot.tools !== undefined,
        dropped: slot.dropped,
        failures: slot.failures,
        waiting: this.#now() < slot.retryAt,
        maxFailures: this.#maxFailures,
      });
      return {
        name: spec.name,
        state,
        toolCount: slot.tools?.length ?? 0,
        pid: slot.live?.connection.pid,
        lastError: slot.lastError,
        reconnects: slot.reconnects,
        failures: slot.failures,
        ...(slot.retryAt > this.#now() ? { retryAt: slot.retryAt } : {}),
      };
    });
  }

  /** Closes every session and stops every stdio child; later requests get no MCP tools. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const slots = [...this.#slots.values()];
    this.#slots.clear();
    this.#reportFailed();
    await Promise.all(slots.map((slot) => this.#retire(slot, "stopped")));
  }

  async #toolsOf(spec: McpServerSpec): Promise<McpServerTools | undefined> {
    let slot = this.#slots.get(spec.name);
    if (!slot) {
      slot = { spec, failures: 0, reconnects: 0, retryAt: 0, dropped: false };
      this.#slots.set(spec.name, slot);
      if (spec.droppedEnv.length > 0) {
        for (const key of spec.droppedEnv) {
          this.#log.warn(
            `bundle-mcp: server "${spec.name}": env "${key}" is blocked for stdio startup safety and was ignored.`,
          );
        }
      }
    }
    // A server that failed lately (to start, to list, or by crashing) waits out its backoff instead of
    // stalling every turn; a live, listed one is served from cache.
    if (!(slot.live && slot.tools) && !slot.connecting && this.#now() < slot.retryAt) return undefined;
    // One deadline over connect and list: a server that pages or stalls forever cannot hold a run.
    const deadline = this.#now() + spec.connectionTimeoutMs + spec.requestTimeoutMs;
    let live: Live;
    try {
      live = await this.#connect(slot);
    } catch {
      return undefined;
    }
    if (!slot.tools) {
      try {
        const name = slot.spec.name;
        // A new attempt on this connection may fail anew (its previous listing's failure is counted).
        live.counted = false;
        slot.tools = await live.connection.listTools(slot.spec.requestTimeoutMs, {
          deadline,
          warn: (message) => this.warnOnce(`bundle-mcp: server "${name}": ${message}`),
        });
        live.listed = true;
      } catch (error) {
        this.#failed(slot, live, `tools/list failed: ${errorText(error)}`);
        return undefined;
      }
    }
    this.#forgiveIfStable(slot, live);
    const current = slot;
    return {
      spec: slot.spec,
      tools: slot.tools,
      call: async (name, args, signal) => {
        if (!current.live && this.#now() < current.retryAt) {
          throw new Error(`MCP server "${current.spec.name}" is unavailable: ${current.lastError ?? "not connected"}`);
        }
        const { connection } = current.live ?? await this.#connect(current);
        return await connection.callTool(name, args, { signal, timeoutMs: current.spec.requestTimeoutMs });
      },
    };
  }

  /** A connection that answered tools/list and stayed up long enough clears its server's failure count. */
  #forgiveIfStable(slot: Slot, live: Live): void {
    if (slot.failures === 0 || !live.listed || this.#now() - live.openedAt < this.#stableMs) return;
    slot.failures = 0;
    slot.retryAt = 0;
    slot.lastError = undefined;
    this.#reportFailed();
  }

  #connect(slot: Slot): Promise<Live> {
    if (slot.live) return Promise.resolve(slot.live);
    if (slot.connecting) return slot.connecting;
    const holder: { live?: Live } = {};
    const attempt = this.#openSlot(slot, holder).then((connection) => {
      const live: Live = { connection, openedAt: this.#now(), counted: false, listed: false };
      holder.live = live;
      return live;
    });
    slot.connecting = attempt;
    attempt.then(
      (live) => {
        if (slot.connecting === attempt) slot.connecting = undefined;
        if (this.#slots.get(slot.spec.name) !== slot || this.#stopped) {
          // Removed or stopped while connecting: the fresh child must not outlive its slot.
          void live.connection.close();
          return;
        }
        slot.live = live;
        if (slot.dropped) {
          slot.dropped = false;
          slot.reconnects += 1;
          this.#log.info(`bundle-mcp: server "${slot.spec.name}" reconnected (${slot.spec.description})`);
        }
      },
      (error) => {
        if (slot.connecting === attempt) slot.connecting = undefined;
        this.#failed(slot, undefined, errorText(error), "start");
      },
    );
    return attempt;
  }

  async #openSlot(slot: Slot, holder: { live?: Live }): Promise<McpConnection> {
    const open = this.#open ?? (await import("./mcp_connection.ts")).McpConnection.open;
    const name = slot.spec.name;
    return await open(slot.spec, {
      onClosed: () => this.#dropped(slot, holder.live),
      onToolsChanged: () => {
        slot.tools = undefined;
      },
      onStderr: (line) => this.#log.debug(`bundle-mcp:${name}: ${line}`),
    });
  }

  /**
   * Counts one failure of `slot` (once per connection) and sets when it may be retried: after a
   * backoff that doubles, or after a long pause once it failed `maxFailures` times in a row.
   */
  #failed(slot: Slot, live: Live | undefined, reason: string, what: "start" | "list" | "drop" = "list"): void {
    if (live?.counted) return;
    if (live) live.counted = true;
    if (this.#slots.get(slot.spec.name) !== slot || this.#stopped) return;
    slot.failures += 1;
    slot.lastError = reason;
    const name = slot.spec.name;
    if (slot.failures >= this.#maxFailures) {
      slot.retryAt = this.#now() + MCP_FAILED_PAUSE_MS;
      // A failed server holds no child while it waits: the retry after the pause starts afresh.
      if (slot.live) {
        const { connection } = slot.live;
        slot.live = undefined;
        slot.tools = undefined;
        void connection.close().catch(() => undefined);
      }
      if (slot.failures === this.#maxFailures) {
        this.#log.warn(
          `bundle-mcp: server "${name}" failed ${slot.failures} times in a row; not retried before ${
            new Date(slot.retryAt).toISOString()
          } or until its config changes: ${reason}`,
        );
      }
      this.#reportFailed();
      return;
    }
    // The first drop of a connection that had worked is retried by the very next request.
    slot.retryAt = what === "drop" && live?.listed && slot.failures === 1
      ? 0
      : this.#now() + mcpBackoffMs(slot.failures);
    if (what === "start") {
      this.#log.warn(`bundle-mcp: failed to start server "${name}" (${slot.spec.description}): ${reason}`);
    } else if (what === "list" && slot.failures === 1) {
      this.#log.warn(`bundle-mcp: server "${name}" is left out of runs until it answers: ${reason}`);
    }
  }

  /** The transport closed on its own (a stdio child exited): log it as the reference does; the next request reconnects. */
  #dropped(slot: Slot, live: Live | undefined): void {
    // A close before the connection was handed over is part of a failed start, counted there.
    if (this.#slots.get(slot.spec.name) !== slot || this.#stopped || !live) return;
    if (slot.live !== live && slot.live !== undefined) return;
    slot.live = undefined;
    slot.tools = undefined;
    slot.dropped = true;
    this.#log.warn(`bundle-mcp: server "${slot.spec.name}" closed; next request reconnects`);
    // A connection that never proved stable counts as a failure, so a crash loop backs off and ends failed.
    if (live.listed && this.#now() - live.openedAt >= this.#stableMs) {
      slot.failures = 0;
      slot.retryAt = 0;
      slot.lastError = "mcp transport closed";
      live.counted = true;
      this.#reportFailed();
      return;
    }
    this.#failed(slot, live, "mcp transport closed", "drop");
  }

  /** Tells the owner the servers now marked failed, when that set changed. */
  #reportFailed(): void {
    if (!this.#onFailedChange) return;
    const failed = [...this.#slots.values()].filter((slot) => slot.failures >= this.#maxFailures).map((slot) => ({
      name: slot.spec.name,
      fingerprint: slot.spec.fingerprint,
      failures: slot.failures,
      lastError: slot.lastError,
      retryAt: slot.retryAt,
    }));
    const key = JSON.stringify(failed);
    if (key === this.#failedKey) return;
    this.#failedKey = key;
    this.#onFailedChange(failed);
  }

  async #retire(slot: Slot, why: "removed" | "changed" | "stopped"): Promise<void> {
    const live = slot.live ?? await slot.connecting?.catch(() => undefined);
    slot.live = undefined;
    if (!live) return;
    if (why !== "stopped") this.#log.info(`bundle-mcp: server "${slot.spec.name}" ${why}; closing its connection`);
    await live.connection.close().catch((error) =>
      this.#log.warn(`bundle-mcp: closing server "${slot.spec.name}" failed: ${errorText(error)}`)
    );
  }
}
