// How the MCP manager treats servers that misbehave: crash loops, endless or stalled tool listings.
import assert from "node:assert/strict";
import { resolveMcpServer } from "../../src/config/resolve_mcp.ts";
import { McpConnection, type McpConnectionEvents } from "../../src/agent/mcp_connection.ts";
import { McpClientManager, type McpServerStatus } from "../../src/agent/mcp_manager.ts";
import type { Logger } from "../../src/log/logger.ts";
import { serveTestMcpHttp, TEST_MCP_TOOLS } from "../support/mcp_test_server.ts";

function recordingLog(lines: string[]): Logger {
  const push = (message: string) => lines.push(message);
  return { warn: push, info: push, debug: () => {}, error: push } as unknown as Logger;
}

function brief(status: McpServerStatus | undefined): Record<string, unknown> {
  return { state: status?.state, failures: status?.failures, lastError: status?.lastError };
}

/** A connection whose server exits as soon as it is asked for its tools (the reviewer's crashy server). */
function crashingOnList(events: McpConnectionEvents): McpConnection {
  return {
    pid: 4242,
    listTools: () => {
      events.onClosed();
      return Promise.reject(new Error("MCP error -32000: Connection closed"));
    },
    callTool: () => Promise.reject(new Error("not expected")),
    close: () => Promise.resolve(),
  } as unknown as McpConnection;
}

Deno.test("a server that crashes after connecting is retried only by requests, after a growing backoff, then marked failed", async () => {
  let clock = 1_000_000;
  let opens = 0;
  const lines: string[] = [];
  const reported: unknown[] = [];
  const manager = new McpClientManager({
    now: () => clock,
    log: recordingLog(lines),
    maxFailures: 3,
    onFailedChange: (failed) => reported.push(failed),
    open: (_spec, events) => {
      opens += 1;
      return Promise.resolve(crashingOnList(events));
    },
  });
  const spec = resolveMcpServer("crashy", { command: "x" });
  assert.deepEqual(await manager.serverTools([spec]), []);
  assert.equal(opens, 1);
  assert.deepEqual(brief(manager.status()[0]), { state: "backoff", failures: 1, lastError: "mcp transport closed" });
  assert.ok(lines.includes('bundle-mcp: server "crashy" closed; next request reconnects'), lines.join("\n"));

  // Its short-lived connections do not reset the count; the backoff (1 s, then 2 s) is honoured.
  assert.deepEqual(await manager.serverTools([spec]), []);
  assert.equal(opens, 1, "no retry inside the backoff");
  clock += 1_000;
  await manager.serverTools([spec]);
  assert.equal(opens, 2);
  assert.equal(manager.status()[0]?.failures, 2);
  clock += 1_999;
  await manager.serverTools([spec]);
  assert.equal(opens, 2);
  clock += 1;
  await manager.serverTools([spec]);
  assert.equal(opens, 3);
  assert.deepEqual(brief(manager.status()[0]), { state: "failed", failures: 3, lastError: "mcp transport closed" });
  assert.equal(lines.filter((line) => line.includes('server "crashy" failed 3 times in a row')).length, 1);
  // The gateway is told, so `openclaw mcp status` can show it.
  assert.deepEqual(reported, [[{
    name: "crashy",
    fingerprint: spec.fingerprint,
    failures: 3,
    lastError: "mcp transport closed",
    retryAt: clock + 5 * 60_000,
  }]]);

  // Failed: left alone for minutes, however many turns ask.
  clock += 60_000;
  await manager.serverTools([spec]);
  assert.equal(opens, 3);
  // A changed config starts it afresh.
  const changed = resolveMcpServer("crashy", { command: "y" });
  await manager.serverTools([changed]);
  assert.equal(opens, 4);
  assert.equal(manager.status()[0]?.failures, 1);
  assert.deepEqual(reported.at(-1), [], "a changed server is no longer marked failed");
  // No stop(): these doubles hold nothing, so the op sanitizer proves no reconnect timer was left pending.
});

Deno.test("a connection that listed its tools and stayed up clears the count; a first drop reconnects on the next request", async () => {
  let clock = 0;
  const opened: McpConnectionEvents[] = [];
  const manager = new McpClientManager({
    now: () => clock,
    stableMs: 10_000,
    open: (_spec, events) => {
      opened.push(events);
      return Promise.resolve({
        listTools: () => Promise.resolve([{ name: "t", inputSchema: { type: "object" } }]),
        close: () => Promise.resolve(),
      } as unknown as McpConnection);
    },
  });
  const spec = resolveMcpServer("s", { command: "x" });
  assert.equal((await manager.serverTools([spec])).length, 1);
  opened[0]!.onClosed();
  assert.deepEqual(brief(manager.status()[0]), {
    state: "reconnecting",
    failures: 1,
    lastError: "mcp transport closed",
  });
  assert.equal(opened.length, 1, "nothing reconnects before a request asks");
  assert.equal((await manager.serverTools([spec])).length, 1);
  assert.equal(opened.length, 2);
  assert.equal(manager.status()[0]?.reconnects, 1);
  clock += 10_000;
  await manager.serverTools([spec]);
  assert.deepEqual(brief(manager.status()[0]), { state: "connected", failures: 0, lastError: undefined });
  await manager.stop();
});

Deno.test("a hanging tools/list costs one turn, is logged once, and the server is skipped until its retry time", async () => {
  let clock = 0;
  let lists = 0;
  let closed = 0;
  const lines: string[] = [];
  const manager = new McpClientManager({
    now: () => clock,
    log: recordingLog(lines),
    maxFailures: 3,
    open: () =>
      Promise.resolve({
        listTools: () => {
          lists += 1;
          return Promise.reject(new Error("MCP error -32001: Request timed out"));
        },
        close: () => {
          closed += 1;
          return Promise.resolve();
        },
      } as unknown as McpConnection),
  });
  const spec = resolveMcpServer("slow", { command: "x" });
  assert.deepEqual(await manager.serverTools([spec]), []);
  const status = manager.status()[0];
  assert.deepEqual(brief(status), {
    state: "backoff",
    failures: 1,
    lastError: "tools/list failed: MCP error -32001: Request timed out",
  });
  assert.equal(status?.retryAt, 1_000);
  assert.deepEqual(await manager.serverTools([spec]), []);
  assert.equal(lists, 1, "the next turn skips the server instead of waiting on it again");
  clock = 1_000;
  await manager.serverTools([spec]);
  assert.equal(lists, 2);
  assert.equal(manager.status()[0]?.retryAt, 3_000);
  assert.equal(lines.filter((line) => line.includes('server "slow" is left out of runs')).length, 1);
  // Marked failed, it keeps no connection open while it waits.
  clock = 3_000;
  await manager.serverTools([spec]);
  assert.equal(manager.status()[0]?.state, "failed");
  assert.equal(closed, 1);
  assert.equal(manager.status()[0]?.pid, undefined);
  await manager.stop();
});

function pagedServer(next: (cursor: string | undefined) => string | undefined, delay?: () => Promise<void>) {
  let pages = 0;
  const server = serveTestMcpHttp({
    listTools: async (cursor) => {
      pages += 1;
      await delay?.();
      const nextCursor = next(cursor);
      return { tools: [{ ...TEST_MCP_TOOLS[0]!, name: `t${pages}` }], ...(nextCursor ? { nextCursor } : {}) };
    },
  });
  return { server, pages: () => pages };
}

async function connectTo(url: string, requestTimeoutMs?: number): Promise<McpConnection> {
  const spec = resolveMcpServer("pager", {
    url,
    transport: "streamable-http",
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
  });
  return await McpConnection.open(spec, { onClosed: () => {}, onToolsChanged: () => {}, onStderr: () => {} });
}

Deno.test("a tools/list that repeats its cursor stops there with a warning", async () => {
  const { server, pages } = pagedServer(() => "same");
  const connection = await connectTo(server.url);
  try {
    const warnings: string[] = [];
    const tools = await connection.listTools(5_000, { warn: (message) => warnings.push(message) });
    assert.deepEqual(tools.map((t) => t.name), ["t1", "t2"]);
    assert.equal(pages(), 2);
    assert.deepEqual(warnings, [
      "MCP tool listing returned a repeated pagination cursor; using the 2 tools listed so far",
    ]);
  } finally {
    await connection.close();
    await server.shutdown();
  }
});

Deno.test("an endless tools/list stops at the reference's 128 pages", async () => {
  const { server, pages } = pagedServer((cursor) => `${cursor ?? ""}x`);
  const connection = await connectTo(server.url);
  try {
    const warnings: string[] = [];
    const tools = await connection.listTools(30_000, { warn: (message) => warnings.push(message) });
    assert.equal(tools.length, 128);
    assert.equal(pages(), 128);
    assert.deepEqual(warnings, ["MCP tool listing exceeded 128 pages; using the 128 tools listed so far"]);
  } finally {
    await connection.close();
    await server.shutdown();
  }
});

Deno.test("one deadline bounds the whole listing, however quickly each page answers", async () => {
  // Each page answers well inside the request timeout; together they would take seconds.
  let paced = Promise.resolve();
  const pace = () => paced = new Promise<void>((resolve) => setTimeout(resolve, 40));
  const { server, pages } = pagedServer((cursor) => `${cursor ?? ""}x`, pace);
  const connection = await connectTo(server.url);
  try {
    await assert.rejects(connection.listTools(300), { message: "MCP tool listing timed out after 300ms" });
    assert.ok(pages() < 20, `pages listed: ${pages()}`);
  } finally {
    await paced;
    await connection.close();
    await server.shutdown();
  }
});
