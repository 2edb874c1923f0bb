import assert from "node:assert/strict";
import { type McpServerSpec, resolveMcpServer } from "../../src/config/resolve_mcp.ts";
import type { McpConnection, McpConnectionEvents } from "../../src/agent/mcp_connection.ts";
import { McpClientManager } from "../../src/agent/mcp_manager.ts";
import { mcpServerDenied, mcpToolFamily, projectMcpTools } from "../../src/agent/mcp_tools.ts";
import type { AgentTool, ToolCall, ToolHost } from "../../src/agent/tool.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import type { AgentSpec } from "../../src/config/resolve_agents.ts";
import { serveTestMcpHttp, serveTestMcpSse, TEST_PNG_BASE64 } from "../support/mcp_test_server.ts";
import { until } from "../support/until.ts";

function call(signal = new AbortController().signal): ToolCall {
  return {
    runId: "r1",
    toolCallId: "c1",
    agentId: "main",
    sessionKey: "agent:main:main",
    workspace: "/tmp",
    signal,
    senderIsOwner: true,
    update: () => {},
  };
}

function hostWith(
  mcp: McpClientManager | undefined,
  servers: McpServerSpec[],
  deny: { global?: string[]; main?: string[] } = {},
): ToolHost {
  const toolPolicy = { global: { deny: deny.global }, agents: { main: { deny: deny.main } } };
  const config = { mcp: { servers }, toolPolicy } as unknown as ResolvedConfig;
  return { config: () => config, mcp } as unknown as ToolHost;
}

function byName(tools: AgentTool[], name: string): AgentTool {
  const tool = tools.find((t) => t.name === name);
  assert.ok(tool, `no tool ${name} in ${tools.map((t) => t.name).join(", ")}`);
  return tool;
}

Deno.test("the MCP family offers a streamable-HTTP server's tools as <server>__<tool> and maps their results", async () => {
  let authorization: string | null = null;
  const server = serveTestMcpHttp({ headerSeen: (headers) => authorization ??= headers.get("authorization") });
  const manager = new McpClientManager();
  try {
    const spec = resolveMcpServer("remote", {
      url: server.url,
      transport: "streamable-http",
      headers: { Authorization: "Bearer t0k" },
    });
    const tools = await mcpToolFamily(hostWith(manager, [spec]), { id: "main" } as AgentSpec);
    assert.deepEqual(tools.map((t) => t.name), [
      "remote__admin-reset",
      "remote__broken",
      "remote__echo",
      "remote__picture",
      "remote__pid",
      "remote__structured",
      "remote__wait",
    ]);
    assert.equal(authorization, "Bearer t0k");
    const echo = byName(tools, "remote__echo");
    assert.equal(echo.label, "Echo");
    assert.equal(echo.description, "Echoes the text back");
    assert.deepEqual(echo.parameters, { type: "object", properties: { text: { type: "string" } }, required: ["text"] });
    assert.equal(
      byName(tools, "remote__pid").description,
      `Provided by bundle MCP server "remote" (${server.url}).`,
    );
    assert.deepEqual(byName(tools, "remote__picture").parameters, { type: "object", properties: {} });

    assert.deepEqual(await echo.execute({ text: "hi" }, call()), {
      content: [{ type: "text", text: "echo: hi" }],
      details: { mcpServer: "remote", mcpTool: "echo" },
    });
    assert.deepEqual((await byName(tools, "remote__picture").execute({}, call())).content, [
      { type: "text", text: "a picture" },
      { type: "image", data: TEST_PNG_BASE64, mimeType: "image/png" },
    ]);
    const broken = await byName(tools, "remote__broken").execute({}, call());
    assert.equal(broken.isError, true);
    assert.deepEqual(broken.content, [{ type: "text", text: "it broke" }]);
    assert.equal((await byName(tools, "remote__admin-reset").execute({}, call())).content[0]?.type, "text");
    assert.deepEqual(manager.status().map((s) => [s.name, s.state, s.toolCount]), [["remote", "connected", 7]]);
  } finally {
    await manager.stop();
    await server.shutdown();
  }
});

Deno.test("an aborted run cancels the MCP call: the server sees notifications/cancelled", async () => {
  const marker = await Deno.makeTempFile();
  let waiting = false;
  const server = serveTestMcpHttp({ marker, onWait: () => waiting = true });
  const manager = new McpClientManager();
  try {
    const spec = resolveMcpServer("remote", { url: server.url, transport: "streamable-http" });
    const tools = await mcpToolFamily(hostWith(manager, [spec]), { id: "main" } as AgentSpec);
    const abort = new AbortController();
    const pending = byName(tools, "remote__wait").execute({}, call(abort.signal));
    await until(() => waiting, "the server to start the wait call");
    abort.abort(new Error("run aborted"));
    await assert.rejects(pending);
    await until(async () => (await Deno.readTextFile(marker)) === "cancelled", "the server's cancellation marker");
  } finally {
    await manager.stop();
    await server.shutdown();
    await Deno.remove(marker);
  }
});

Deno.test("toolFilter hides tools before they become agent tools; a disabled server offers none", async () => {
  const server = serveTestMcpHttp();
  const manager = new McpClientManager();
  try {
    const filtered = resolveMcpServer("remote", {
      url: server.url,
      transport: "streamable-http",
      toolFilter: { include: ["e*", "p*"], exclude: ["pid"] },
    });
    const off = resolveMcpServer("off", { url: server.url, transport: "streamable-http", enabled: false });
    const tools = await mcpToolFamily(hostWith(manager, [filtered, off]), { id: "main" } as AgentSpec);
    assert.deepEqual(tools.map((t) => t.name), ["remote__echo", "remote__picture"]);
    assert.deepEqual(manager.status().map((s) => [s.name, s.state]), [["remote", "connected"], ["off", "disabled"]]);
  } finally {
    await manager.stop();
    await server.shutdown();
  }
});

Deno.test("without MCP servers the family returns nothing and never opens a connection", async () => {
  const opened: string[] = [];
  const manager = new McpClientManager({
    open: (spec) => {
      opened.push(spec.name);
      return Promise.reject(new Error("not expected"));
    },
  });
  assert.deepEqual(await mcpToolFamily(hostWith(manager, []), { id: "main" } as AgentSpec), []);
  assert.deepEqual(
    await mcpToolFamily(hostWith(undefined, [resolveMcpServer("a", { command: "x" })]), { id: "main" } as AgentSpec),
    [],
  );
  assert.deepEqual(opened, []);
});

/** A connection double: counts closes and lets the test drop it like a crashed child. */
function fakeConnection(events: McpConnectionEvents, log: string[]): McpConnection {
  return {
    pid: 4242,
    listTools: () => Promise.resolve([{ name: "t", inputSchema: { type: "object" } }]),
    callTool: () => Promise.resolve({ content: [{ type: "text", text: "ok" }] }),
    close: () => {
      log.push("closed");
      return Promise.resolve();
    },
    drop: () => events.onClosed(),
  } as unknown as McpConnection;
}

Deno.test("a server whose transport closes is logged, reconnected by the next request, and its tools come back", async () => {
  const log: string[] = [];
  const connections: McpConnectionEvents[] = [];
  const manager = new McpClientManager({
    open: (_spec, events) => {
      connections.push(events);
      return Promise.resolve(fakeConnection(events, log));
    },
  });
  const spec = resolveMcpServer("s", { command: "x" });
  try {
    assert.equal((await manager.serverTools([spec])).length, 1);
    connections[0]?.onClosed();
    assert.equal(manager.status()[0]?.state, "reconnecting");
    assert.equal(manager.status()[0]?.lastError, "mcp transport closed");
    assert.equal(connections.length, 1, "nothing reconnects before a request asks");
    assert.equal((await manager.serverTools([spec]))[0]?.tools.length, 1);
    assert.equal(connections.length, 2);
    assert.equal(manager.status()[0]?.state, "connected");
    assert.equal(manager.status()[0]?.reconnects, 1);
  } finally {
    await manager.stop();
  }
});

Deno.test("reconcile() closes a removed or changed server and keeps an unchanged one", async () => {
  const log: string[] = [];
  const opened: string[] = [];
  const manager = new McpClientManager({
    open: (spec, events) => {
      opened.push(spec.name);
      return Promise.resolve(fakeConnection(events, log));
    },
  });
  const a = resolveMcpServer("a", { command: "x" });
  const b = resolveMcpServer("b", { command: "y" });
  await manager.serverTools([a, b]);
  assert.deepEqual(opened, ["a", "b"]);
  await manager.reconcile([resolveMcpServer("a", { command: "x" })]);
  assert.deepEqual(log, ["closed"]);
  await manager.serverTools([resolveMcpServer("a", { command: "x" })]);
  assert.deepEqual(opened, ["a", "b"], "an unchanged server keeps its connection");
  await manager.reconcile([resolveMcpServer("a", { command: "z" })]);
  assert.deepEqual(log, ["closed", "closed"]);
  await manager.stop();
  assert.deepEqual(await manager.serverTools([a]), [], "a stopped manager offers nothing");
});

Deno.test("a server that fails to start is left out and retried only after its backoff", async () => {
  let attempts = 0;
  const manager = new McpClientManager({
    open: () => {
      attempts += 1;
      return Promise.reject(new Error("spawn failed"));
    },
  });
  const spec = resolveMcpServer("s", { command: "missing" });
  assert.deepEqual(await manager.serverTools([spec]), []);
  assert.deepEqual(await manager.serverTools([spec]), []);
  assert.equal(attempts, 1);
  assert.equal(manager.status()[0]?.state, "backoff");
  assert.equal(manager.status()[0]?.lastError, "spawn failed");
  await manager.stop();
});

Deno.test("projectMcpTools() names colliding tools of two servers apart and sorts by name", () => {
  const server = (name: string, tools: string[]) => ({
    spec: resolveMcpServer(name, { command: "x" }),
    tools: tools.map((tool) => ({ name: tool, inputSchema: { type: "object" } })),
    call: () => Promise.resolve({}),
  });
  const tools = projectMcpTools([server("b", ["x"]), server("a b", ["y", "Y"])], ["a b", "b"]);
  assert.deepEqual(tools.map((t) => t.name), ["a-b__y", "a-b__Y-2", "b__x"]);
});

Deno.test("projectMcpTools() warns, as the reference does, when a tool had to be renamed", () => {
  const warnings: string[] = [];
  projectMcpTools(
    [{
      spec: resolveMcpServer("docs", { command: "x" }),
      tools: [{ name: "admin.reset", inputSchema: {} }, { name: "ok", inputSchema: {} }],
      call: () => Promise.resolve({}),
    }],
    ["docs"],
    (message) => warnings.push(message),
  );
  assert.deepEqual(warnings, [
    'bundle-mcp: tool "admin.reset" from server "docs" registered as "docs__admin-reset" to keep the tool name provider-safe.',
  ]);
});

Deno.test("a server given only a url is reached over the legacy SSE transport", async () => {
  const server = await serveTestMcpSse();
  const manager = new McpClientManager();
  try {
    const tools = await mcpToolFamily(
      hostWith(manager, [resolveMcpServer("legacy", { url: server.url })]),
      {} as AgentSpec,
    );
    assert.ok(tools.some((t) => t.name === "legacy__echo"));
    assert.deepEqual((await byName(tools, "legacy__echo").execute({ text: "sse" }, call())).content, [
      { type: "text", text: "echo: sse" },
    ]);
  } finally {
    await manager.stop();
    await server.shutdown();
  }
});

Deno.test("mcpServerDenied() matches the reference: bundle-mcp, group:plugins, or a * pattern over <server>__", () => {
  assert.ok(mcpServerDenied(["bundle-mcp"], "docs"));
  assert.ok(mcpServerDenied(["group:plugins"], "docs"));
  assert.ok(mcpServerDenied(["docs__*"], "docs"));
  assert.ok(mcpServerDenied(["DOCS__*"], "docs"));
  assert.ok(!mcpServerDenied(["docs__search"], "docs"), "one tool denied: the server still connects");
  assert.ok(!mcpServerDenied(["other__*", "exec"], "docs"));
  assert.ok(!mcpServerDenied([], "docs"));
});

Deno.test("a server the agent's policy denies whole is not connected for it; another agent still gets it", async () => {
  const opened: string[] = [];
  const log: string[] = [];
  const manager = new McpClientManager({
    open: (spec, events) => {
      opened.push(spec.name);
      return Promise.resolve(fakeConnection(events, log));
    },
  });
  const servers = [resolveMcpServer("docs", { command: "x" }), resolveMcpServer("files", { command: "y" })];
  try {
    const main = await mcpToolFamily(hostWith(manager, servers, { main: ["docs__*"] }), { id: "main" } as AgentSpec);
    assert.deepEqual(main.map((t) => t.name), ["files__t"]);
    assert.deepEqual(opened, ["files"]);
    const other = await mcpToolFamily(hostWith(manager, servers, { main: ["docs__*"] }), { id: "other" } as AgentSpec);
    assert.deepEqual(other.map((t) => t.name), ["docs__t", "files__t"]);
    assert.deepEqual(log, [], "skipping a server for one agent closes nothing");
    const none = await mcpToolFamily(hostWith(manager, servers, { global: ["bundle-mcp"] }), { id: "x" } as AgentSpec);
    assert.deepEqual(none, []);
  } finally {
    await manager.stop();
  }
});
