// An MCP server for the tests, written with the official SDK: over stdio when run as a program
// (`deno run tests/support/mcp_test_server.ts [--pid-log FILE] [--marker FILE]`), or over
// streamable HTTP on loopback in-process ({@link serveTestMcpHttp}). Its tools cover each result
// shape the gateway maps: text, image, error, structured content, and a call that waits until
// the client cancels it.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  type CallToolRequest,
  CallToolRequestSchema,
  type CallToolResult,
  type ListToolsRequest,
  ListToolsRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";

/** A 1x1 transparent PNG. */
export const TEST_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** The tools the test server lists, as `tools/list` returns them. */
export const TEST_MCP_TOOLS = [
  {
    name: "echo",
    title: "Echo",
    description: "Echoes the text back",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  },
  { name: "pid", inputSchema: { type: "object", properties: {} } },
  { name: "picture", description: "A tiny picture", inputSchema: { type: "object" } },
  { name: "broken", description: "Always fails", inputSchema: { type: "object", properties: {} } },
  { name: "structured", description: "Structured answer", inputSchema: { type: "object", properties: {} } },
  { name: "wait", description: "Waits until cancelled", inputSchema: { type: "object", properties: {} } },
  { name: "admin.reset", description: "A name with a dot", inputSchema: { type: "object", properties: {} } },
];

/** Options of one test server. */
export interface TestMcpOptions {
  /** A file the `wait` tool writes "cancelled" to when its call is cancelled. */
  marker?: string | undefined;
  /** Called when a `wait` call starts (in-process servers only). */
  onWait?: (() => void) | undefined;
  /** Answers `tools/list` in its place (to page, repeat cursors or stall). */
  listTools?:
    | ((cursor: string | undefined) => Promise<{ tools: typeof TEST_MCP_TOOLS; nextCursor?: string }>)
    | undefined;
}

/** Builds the SDK server with the test tools. */
export function buildTestMcpServer(options: TestMcpOptions = {}): Server {
  const server = new Server({ name: "openclaw-test-mcp", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(
    ListToolsRequestSchema,
    (request: ListToolsRequest) => options.listTools?.(request.params?.cursor) ?? { tools: TEST_MCP_TOOLS },
  );
  server.setRequestHandler(
    CallToolRequestSchema,
    async (request: CallToolRequest, extra: { signal: AbortSignal }): Promise<CallToolResult> => {
      const args = request.params.arguments ?? {};
      switch (request.params.name) {
        case "echo":
          return { content: [{ type: "text", text: `echo: ${String(args.text)}` }] };
        case "pid":
          return { content: [{ type: "text", text: String(Deno.pid) }] };
        case "picture":
          return {
            content: [{ type: "text", text: "a picture" }, {
              type: "image",
              data: TEST_PNG_BASE64,
              mimeType: "image/png",
            }],
          };
        case "broken":
          return { content: [{ type: "text", text: "it broke" }], isError: true };
        case "structured":
          return {
            content: [{ type: "text", text: JSON.stringify({ answer: 42 }, null, 2) }],
            structuredContent: { answer: 42 },
          };
        case "wait":
          options.onWait?.();
          await new Promise<void>((resolve) => {
            if (extra.signal.aborted) resolve();
            extra.signal.addEventListener("abort", () => resolve(), { once: true });
          });
          if (options.marker) await Deno.writeTextFile(options.marker, "cancelled");
          return { content: [{ type: "text", text: "cancelled" }] };
        case "admin.reset":
          return { content: [{ type: "text", text: "reset" }] };
      }
      return { content: [{ type: "text", text: `unknown tool ${request.params.name}` }], isError: true };
    },
  );
  return server;
}

/**
 * Serves the test tools over streamable HTTP on a loopback port, one SDK server per MCP session
 * (so a cancellation reaches the call it cancels).
 */
export function serveTestMcpHttp(options: TestMcpOptions & { headerSeen?: (headers: Headers) => void } = {}): {
  url: string;
  /** Sessions the server has initialized. */
  sessions: () => number;
  shutdown: () => Promise<void>;
} {
  const transports = new Map<string, { handleRequest(request: Request): Promise<Response> }>();
  const http = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    options.headerSeen?.(request.headers);
    // No standalone SSE stream (the spec's 405), so shutting down never waits on one.
    if (request.method === "GET") return new Response(null, { status: 405, headers: { allow: "POST, DELETE" } });
    const id = request.headers.get("mcp-session-id");
    const existing = id ? transports.get(id) : undefined;
    // A cancelled call never gets a JSON response: end its request when the client goes away,
    // or shutting the server down would wait on it forever.
    const gone = new Promise<Response>((resolve) =>
      request.signal.addEventListener("abort", () => resolve(new Response(null, { status: 499 })), { once: true })
    );
    if (existing) return await Promise.race([existing.handleRequest(request), gone]);
    if (id) return new Response("unknown session", { status: 404 });
    const { WebStandardStreamableHTTPServerTransport } = await import(
      "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js"
    );
    const transport: InstanceType<typeof WebStandardStreamableHTTPServerTransport> =
      new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: () => crypto.randomUUID(),
        enableJsonResponse: true,
        onsessioninitialized: (sessionId: string) => {
          transports.set(sessionId, transport);
        },
      });
    await buildTestMcpServer(options).connect(transport);
    return await transport.handleRequest(request);
  });
  return {
    url: `http://127.0.0.1:${http.addr.port}/mcp`,
    sessions: () => transports.size,
    shutdown: () => http.shutdown(),
  };
}

/** Serves the test tools over the legacy SSE transport (GET /sse, POST /messages) on a loopback port. */
export async function serveTestMcpSse(
  options: TestMcpOptions = {},
): Promise<{ url: string; shutdown: () => Promise<void> }> {
  const { createServer } = await import("node:http");
  const { SSEServerTransport } = await import("@modelcontextprotocol/sdk/server/sse.js");
  const transports = new Map<string, InstanceType<typeof SSEServerTransport>>();
  const http = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/sse") {
      const transport = new SSEServerTransport("/messages", res);
      transports.set(transport.sessionId, transport);
      res.on("close", () => transports.delete(transport.sessionId));
      await buildTestMcpServer(options).connect(transport);
      return;
    }
    const transport = transports.get(url.searchParams.get("sessionId") ?? "");
    if (req.method === "POST" && url.pathname === "/messages" && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/sse`,
    shutdown: async () => {
      for (const transport of transports.values()) await transport.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function flag(name: string): string | undefined {
  const index = Deno.args.indexOf(name);
  return index >= 0 ? Deno.args[index + 1] : undefined;
}

if (import.meta.main) {
  const pidLog = flag("--pid-log");
  if (pidLog) await Deno.writeTextFile(pidLog, `${Deno.pid}\n`, { append: true });
  const { StdioServerTransport } = await import("@modelcontextprotocol/sdk/server/stdio.js");
  const server = buildTestMcpServer({ marker: flag("--marker") });
  await server.connect(new StdioServerTransport());
  // A stderr line the gateway logs at debug as `bundle-mcp:<name>: ...`.
  await Deno.stderr.write(new TextEncoder().encode(`test mcp server ${Deno.pid} ready\n`));
}
