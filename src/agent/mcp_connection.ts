// One live MCP client session to one configured server, through the official SDK. The SDK is
// imported here, lazily, on the first connection: a gateway with no MCP server never loads it.
import type { McpServerSpec } from "../config/resolve_mcp.ts";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";

/** A tool as the server lists it (`tools/list`). */
export interface McpListedTool {
  name: string;
  title?: string | undefined;
  description?: string | undefined;
  inputSchema: Record<string, unknown>;
  /** The tool's MCP annotations (safety hints), when it has any: `mcp doctor --probe` reports their absence. */
  annotations?: Record<string, unknown> | undefined;
}

/** What a connection tells its owner. */
export interface McpConnectionEvents {
  /** The transport closed without {@link McpConnection.close} (a crashed child, a dropped stream). */
  onClosed(): void;
  /** The server said its tool list changed. */
  onToolsChanged(): void;
  /** One line the stdio server wrote to stderr. */
  onStderr(line: string): void;
}

/** The reference's client identity (agent-bundle-mcp-runtime). */
const CLIENT_INFO = { name: "openclaw-bundle-mcp", version: "0.0.0" };

/** The reference's bounds on one tool listing (pages followed, tools kept). */
const MAX_LIST_PAGES = 128;
const MAX_LISTED_TOOLS = 16384;

async function openTransport(spec: McpServerSpec): Promise<Transport & { pid?: number | null }> {
  const launch = spec.launch;
  if (!launch) throw new Error(`Cannot start MCP server "${spec.name}": ${spec.skipReason ?? "no launch config"}`);
  if (launch.kind === "stdio") {
    const { StdioClientTransport, getDefaultEnvironment } = await import("@modelcontextprotocol/sdk/client/stdio.js");
    return new StdioClientTransport({
      command: launch.command,
      args: launch.args,
      env: { ...getDefaultEnvironment(), ...launch.env },
      ...(launch.cwd ? { cwd: launch.cwd } : {}),
      stderr: "pipe",
    });
  }
  const url = new URL(launch.url);
  const requestInit = { headers: launch.headers };
  if (launch.transport === "streamable-http") {
    const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
    return new StreamableHTTPClientTransport(url, { requestInit });
  }
  const { SSEClientTransport } = await import("@modelcontextprotocol/sdk/client/sse.js");
  return new SSEClientTransport(url, { requestInit });
}

function followStderr(transport: unknown, onLine: (line: string) => void): void {
  const stderr = (transport as { stderr?: { on(event: "data", listener: (chunk: Uint8Array) => void): void } | null })
    .stderr;
  if (!stderr) return;
  const decoder = new TextDecoder();
  let pending = "";
  stderr.on("data", (chunk) => {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split(/\r?\n/);
    pending = lines.pop() ?? "";
    // A line past 8 KiB keeps its tail, as the reference's stderr logging does.
    for (const line of lines) {
      if (line.trim()) onLine(line.length > 8192 ? `[stderr line truncated] ${line.slice(-8192)}` : line);
    }
  });
}

/** A connected MCP client: lists tools, calls them, closes (which stops a stdio child). */
export class McpConnection {
  #client: Client;
  #transport: Transport & { pid?: number | null };
  #closing = false;

  private constructor(client: Client, transport: Transport & { pid?: number | null }) {
    this.#client = client;
    this.#transport = transport;
  }

  /** Connects (spawning a stdio server) within the spec's connection timeout. */
  static async open(spec: McpServerSpec, events: McpConnectionEvents): Promise<McpConnection> {
    const [{ Client }, { ToolListChangedNotificationSchema }] = await Promise.all([
      import("@modelcontextprotocol/sdk/client/index.js"),
      import("@modelcontextprotocol/sdk/types.js"),
    ]);
    const transport = await openTransport(spec);
    const client = new Client(CLIENT_INFO, { capabilities: {} });
    const connection = new McpConnection(client, transport);
    client.onclose = () => {
      if (!connection.#closing) events.onClosed();
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => events.onToolsChanged());
    // Read stderr from the start: a server that writes much before answering must not block on a full pipe.
    followStderr(transport, events.onStderr);
    try {
      await client.connect(transport, { timeout: spec.connectionTimeoutMs });
    } catch (error) {
      await connection.close();
      throw error;
    }
    return connection;
  }

  /** The stdio child's process id (absent for HTTP servers). */
  get pid(): number | undefined {
    return this.#transport.pid ?? undefined;
  }

  /**
   * Lists every tool, following `nextCursor` pages within one deadline for the whole listing. A
   * server that repeats a cursor or pages past the reference's bounds (128 pages, 16384 tools) is
   * cut off there with a warning: its first tools still serve, and a run never waits on it forever.
   */
  async listTools(
    timeoutMs: number,
    options: { deadline?: number | undefined; warn?: ((message: string) => void) | undefined } = {},
  ): Promise<McpListedTool[]> {
    const deadline = options.deadline ?? Date.now() + timeoutMs;
    const tools: McpListedTool[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`MCP tool listing timed out after ${timeoutMs}ms`);
      const answer = await this.#client.listTools(cursor ? { cursor } : undefined, {
        timeout: Math.min(timeoutMs, left),
        maxTotalTimeout: Math.min(timeoutMs, left),
      }).catch((error: unknown) => {
        if (Date.now() >= deadline) throw new Error(`MCP tool listing timed out after ${timeoutMs}ms`);
        throw error;
      });
      for (const tool of answer.tools) {
        if (tools.length >= MAX_LISTED_TOOLS) {
          options.warn?.(`MCP tool listing exceeded ${MAX_LISTED_TOOLS} tools; using the first ${tools.length}`);
          return tools;
        }
        tools.push({
          name: tool.name,
          title: tool.title ?? tool.annotations?.title,
          description: tool.description,
          inputSchema: tool.inputSchema as Record<string, unknown>,
          ...(tool.annotations ? { annotations: tool.annotations as Record<string, unknown> } : {}),
        });
      }
      cursor = answer.nextCursor;
      if (cursor === undefined) return tools;
      if (seen.has(cursor)) {
        options.warn?.(
          `MCP tool listing returned a repeated pagination cursor; using the ${tools.length} tools listed so far`,
        );
        return tools;
      }
      seen.add(cursor);
    }
    options.warn?.(`MCP tool listing exceeded ${MAX_LIST_PAGES} pages; using the ${tools.length} tools listed so far`);
    return tools;
  }

  /**
   * Calls one tool. An aborted `signal` cancels the request: the SDK sends the server
   * `notifications/cancelled` and rejects.
   */
  async callTool(
    name: string,
    args: Record<string, unknown>,
    options: { signal: AbortSignal; timeoutMs: number },
  ): Promise<Record<string, unknown>> {
    const result = await this.#client.callTool({ name, arguments: args }, undefined, {
      signal: options.signal,
      timeout: options.timeoutMs,
    });
    return result as Record<string, unknown>;
  }

  /** Closes the session; a stdio child is ended (stdin closed, then SIGTERM, then SIGKILL by the SDK). */
  async close(): Promise<void> {
    this.#closing = true;
    await this.#client.close().catch(() => this.#transport.close().catch(() => undefined));
  }
}
