// The MCP client manager: one slot per configured server, connected on first need (as the
// reference's session runtimes are), listed once and cached until the server says its tools
// changed, reconnected with backoff when its transport closes, and closed when the config drops
// or changes the server, and when the gateway stops.
import type { McpServerSpec } from "../config/resolve_mcp.ts";
import { getLogger, type Logger } from "../log/logger.ts";
import type { McpConnection, McpConnectionEvents, McpListedTool } from "./mcp_connection.ts";

/** Where a configured server stands, for status views and tests. */
export interface McpServerStatus {
  name: string;
  state: "idle" | "connecting" | "connected" | "reconnecting" | "failed" | "disabled" | "skipped";
  /** Tools it offers (after its `toolFilter`), once listed. */
  toolCount: number;
  /** The stdio child's process id while connected. */
  pid?: number | undefined;
  /** Why it failed or was skipped last. */
  lastError?: string | undefined;
  /** How many times it was reconnected after its transport closed. */
  reconnects: number;
}

/** A listed tool of one live server, ready to be projected into an `AgentTool`. */
export interface McpServerTools {
  spec: McpServerSpec;
  tools: McpListedTool[];
  call(name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** How a connection is opened (the real one spawns or dials; tests may count calls). */
export type McpOpen = (spec: McpServerSpec, events: McpConnectionEvents) => Promise<McpConnection>;

const BACKOFF_START_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;

interface Slot {
  spec: McpServerSpec;
  connection?: McpConnection | undefined;
  connecting?: Promise<McpConnection> | undefined;
  tools?: McpListedTool[] | undefined;
  failures: number;
  reconnects: number;
  /** No new attempt before this time (after a failure). */
  retryAt: number;
  retryTimer?: ReturnType<typeof setTimeout> | undefined;
  /** The connection closed under us: the backoff timer reconnects it. */
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
  #stopped = false;
  /** Warnings already logged (a renamed tool is named once, not on every run). */
  #warned = new Set<string>();

  constructor(options: { log?: Logger | undefined; open?: McpOpen | undefined } = {}) {
    this.#log = options.log ?? getLogger("agent/mcp");
    this.#open = options.open;
  }

  /**
   * Takes the config in force: servers removed, disabled or changed are closed (their stdio
   * children stop); unchanged ones keep their connection and cached tools.
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
      const state = slot.connection
        ? "connected"
        : slot.connecting
        ? "connecting"
        : slot.dropped
        ? "reconnecting"
        : slot.failures > 0
        ? "failed"
        : "idle";
      return {
        name: spec.name,
        state,
        toolCount: slot.tools?.length ?? 0,
        pid: slot.connection?.pid,
        lastError: slot.lastError,
        reconnects: slot.reconnects,
      };
    });
  }

  /** Closes every session and stops every stdio child; later requests get no MCP tools. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const slots = [...this.#slots.values()];
    this.#slots.clear();
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
    // A server that failed a moment ago waits out its backoff instead of stalling every turn.
    if (!slot.connection && !slot.connecting && Date.now() < slot.retryAt) return undefined;
    try {
      const connection = await this.#connect(slot);
      if (!slot.tools) {
        const listed = await connection.listTools(slot.spec.requestTimeoutMs);
        slot.tools = listed;
      }
      const current = slot;
      return {
        spec: slot.spec,
        tools: slot.tools,
        call: async (name, args, signal) => {
          const live = current.connection ?? await this.#connect(current);
          return await live.callTool(name, args, { signal, timeoutMs: current.spec.requestTimeoutMs });
        },
      };
    } catch {
      return undefined;
    }
  }

  #connect(slot: Slot): Promise<McpConnection> {
    if (slot.connection) return Promise.resolve(slot.connection);
    if (slot.connecting) return slot.connecting;
    const attempt = this.#openSlot(slot);
    slot.connecting = attempt;
    attempt.then(
      (connection) => {
        if (slot.connecting === attempt) slot.connecting = undefined;
        if (this.#slots.get(slot.spec.name) !== slot || this.#stopped) {
          // Removed or stopped while connecting: the fresh child must not outlive its slot.
          void connection.close();
          return;
        }
        slot.connection = connection;
        slot.failures = 0;
        slot.retryAt = 0;
        slot.lastError = undefined;
        if (slot.dropped) {
          slot.dropped = false;
          slot.reconnects += 1;
          this.#log.info(`bundle-mcp: server "${slot.spec.name}" reconnected (${slot.spec.description})`);
        }
      },
      (error) => {
        if (slot.connecting === attempt) slot.connecting = undefined;
        slot.failures += 1;
        slot.lastError = errorText(error);
        slot.retryAt = Date.now() + this.#backoff(slot);
        this.#log.warn(
          `bundle-mcp: failed to start server "${slot.spec.name}" (${slot.spec.description}): ${slot.lastError}`,
        );
        if (slot.dropped) this.#scheduleReconnect(slot);
      },
    );
    return attempt;
  }

  async #openSlot(slot: Slot): Promise<McpConnection> {
    const open = this.#open ?? (await import("./mcp_connection.ts")).McpConnection.open;
    const name = slot.spec.name;
    return await open(slot.spec, {
      onClosed: () => this.#dropped(slot),
      onToolsChanged: () => {
        slot.tools = undefined;
      },
      onStderr: (line) => this.#log.debug(`bundle-mcp:${name}: ${line}`),
    });
  }

  #backoff(slot: Slot): number {
    return Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** Math.max(0, slot.failures - 1));
  }

  /** The transport closed on its own (a stdio child exited): log it as the reference does, reconnect with backoff. */
  #dropped(slot: Slot): void {
    if (this.#slots.get(slot.spec.name) !== slot || this.#stopped) return;
    slot.connection = undefined;
    slot.tools = undefined;
    slot.dropped = true;
    slot.lastError = "mcp transport closed";
    this.#log.warn(`bundle-mcp: server "${slot.spec.name}" closed; next request reconnects`);
    this.#scheduleReconnect(slot);
  }

  #scheduleReconnect(slot: Slot): void {
    if (slot.retryTimer !== undefined || this.#stopped) return;
    const delay = slot.failures === 0 ? BACKOFF_START_MS : this.#backoff(slot);
    slot.retryTimer = setTimeout(() => {
      slot.retryTimer = undefined;
      if (this.#slots.get(slot.spec.name) !== slot || slot.connection || slot.connecting) return;
      this.#connect(slot).then((connection) =>
        connection.listTools(slot.spec.requestTimeoutMs).then((tools) => {
          slot.tools = tools;
        })
      ).catch(() => undefined);
    }, delay);
  }

  async #retire(slot: Slot, why: "removed" | "changed" | "stopped"): Promise<void> {
    if (slot.retryTimer !== undefined) clearTimeout(slot.retryTimer);
    slot.retryTimer = undefined;
    const connection = slot.connection ?? await slot.connecting?.catch(() => undefined);
    slot.connection = undefined;
    if (!connection) return;
    if (why !== "stopped") this.#log.info(`bundle-mcp: server "${slot.spec.name}" ${why}; closing its connection`);
    await connection.close().catch((error) =>
      this.#log.warn(`bundle-mcp: closing server "${slot.spec.name}" failed: ${errorText(error)}`)
    );
  }
}
