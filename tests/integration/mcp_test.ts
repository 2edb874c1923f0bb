import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { serveTestMcpHttp } from "../support/mcp_test_server.ts";
import { connectReference } from "../support/reference_client.ts";
import { REPO_ROOT, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "mcp-token-0123456789abcdef0123";

type Final = { status: string; result: { payloads: { text: string }[] } };
type ToolMessage = { role: string; content?: string; "tool_call_id"?: string };
type ModelRequest = { tools?: { function: { name: string; description: string } }[]; messages: ToolMessage[] };

/** The stdio test server as the gateway launches it: deno with the repo's config and this user's cache. */
function stdioServer(pidLog: string) {
  return {
    command: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      `--config=${REPO_ROOT}/deno.json`,
      "--allow-read",
      "--allow-write",
      "--allow-env",
      `${REPO_ROOT}/tests/support/mcp_test_server.ts`,
      "--pid-log",
      pidLog,
    ],
    // The gateway's HOME is a temp dir: the test server finds its npm packages in this user's cache
    // (through XDG_CACHE_HOME: DENO_DIR is on the reference's blocked list). NODE_OPTIONS is blocked.
    env: { XDG_CACHE_HOME: cacheHome(), NODE_OPTIONS: "--require /nonexistent.js" },
  };
}

function cacheHome(): string {
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir?.endsWith("/deno")) return denoDir.slice(0, -"/deno".length);
  return Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
}

function alive(pid: number): boolean {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return !/^State:\s+Z/m.test(status);
  } catch {
    return false;
  }
}

async function pids(pidLog: string): Promise<number[]> {
  const text = await Deno.readTextFile(pidLog).catch(() => "");
  return text.split("\n").filter(Boolean).map(Number);
}

Deno.test("MCP: the model calls a stdio and a streamable-HTTP server's tools; a crashed server is reported and reconnected; stop ends the children", async () => {
  const upstream = startFakeUpstream();
  const remote = serveTestMcpHttp();
  const pidLog = await Deno.makeTempFile({ prefix: "mcp-pids-" });
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    logging: { level: "debug", consoleLevel: "debug" },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["mcp-model"] } } },
    agents: { defaults: { model: { primary: "fake/mcp-model" } }, list: [{ id: "main", default: true }] },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
    mcp: {
      servers: {
        local: stdioServer(pidLog),
        remote: { url: remote.url, transport: "streamable-http" },
        off: { command: "does-not-exist", enabled: false },
      },
    },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    upstream.script("mcp-model", [
      {
        text: "Asking the servers.",
        toolCalls: [
          { id: "call_echo", name: "local__echo", args: { text: "hello" } },
          { id: "call_remote", name: "remote__structured", args: {} },
        ],
      },
      { text: "The servers answered." },
      { toolCalls: [{ id: "call_pid", name: "local__pid", args: {} }] },
      { text: "Got the pid." },
      { toolCalls: [{ id: "call_again", name: "local__echo", args: { text: "again" } }] },
      { text: "Echoed again." },
    ]);
    const first = await session.request<Final>(
      "agent",
      { message: "Use the MCP tools", sessionKey: "agent:main:main", idempotencyKey: "mcp-1" },
      { expectFinal: true, timeoutMs: 60_000 },
    );
    assert.equal(first.status, "ok");
    assert.equal(first.result.payloads[0]!.text, "The servers answered.");
    await proc.waitForLine(/bundle-mcp:local: test mcp server \d+ ready/);
    await proc.waitForLine(
      /bundle-mcp: tool "admin\.reset" from server "local" registered as "local__admin-reset" to keep the tool name provider-safe\./,
    );
    await proc.waitForLine(
      /bundle-mcp: server "local": env "NODE_OPTIONS" is blocked for stdio startup safety and was ignored\./,
    );

    const [step1, step2] = upstream.requestsOf("mcp-model") as ModelRequest[];
    const offered = step1!.tools?.map((t) => t.function.name) ?? [];
    for (const name of ["local__echo", "local__pid", "local__admin-reset", "remote__echo", "remote__structured"]) {
      assert.ok(offered.includes(name), `${name} offered in ${offered.join(", ")}`);
    }
    assert.ok(!offered.some((name) => name.startsWith("off__")), "a disabled server offers nothing");
    assert.equal(
      step1!.tools?.find((t) => t.function.name === "local__echo")?.function.description,
      "Echoes the text back",
    );
    const results = step2!.messages.filter((m) => m.role === "tool");
    assert.equal(results.find((m) => m.tool_call_id === "call_echo")?.content, "echo: hello");
    assert.match(
      results.find((m) => m.tool_call_id === "call_remote")?.content ?? "",
      /structuredContent:\n\{\n {2}"answer": 42/,
    );

    // tools.effective lists them in the reference's "MCP server tools" group.
    const effective = await session.request<{ groups: { id: string; label: string; tools: { id: string }[] }[] }>(
      "tools.effective",
      { sessionKey: "agent:main:main" },
    );
    const mcpGroup = effective.groups.find((g) => g.id === "mcp");
    assert.equal(mcpGroup?.label, "MCP server tools");
    assert.ok(mcpGroup?.tools.some((t) => t.id === "local__echo"), JSON.stringify(effective.groups.map((g) => g.id)));

    // The stdio server is the gateway's child: kill it and the gateway says so, then reconnects.
    const second = await session.request<Final>(
      "agent",
      { message: "Your pid?", sessionKey: "agent:main:main", idempotencyKey: "mcp-2" },
      { expectFinal: true, timeoutMs: 60_000 },
    );
    assert.equal(second.status, "ok");
    const pidAnswer = (upstream.requestsOf("mcp-model")[3] as ModelRequest).messages.find((m) =>
      m.tool_call_id === "call_pid"
    );
    const pid = Number(pidAnswer?.content);
    assert.ok(pid > 0 && alive(pid), `the stdio server's pid: ${pidAnswer?.content}`);
    assert.deepEqual(await pids(pidLog), [pid], "one child so far");
    Deno.kill(pid, "SIGKILL");
    await proc.waitForLine(/bundle-mcp: server "local" closed; next request reconnects/, 15_000);
    // Nothing respawns it until a request needs its tools.
    assert.deepEqual(await pids(pidLog), [pid], "no child started before the next request");
    const third = await session.request<Final>(
      "agent",
      { message: "Again", sessionKey: "agent:main:main", idempotencyKey: "mcp-3" },
      { expectFinal: true, timeoutMs: 60_000 },
    );
    await proc.waitForLine(/bundle-mcp: server "local" reconnected/, 30_000);
    assert.equal(third.result.payloads[0]!.text, "Echoed again.");
    const again = (upstream.requestsOf("mcp-model")[5] as ModelRequest).messages.find((m) =>
      m.tool_call_id === "call_again"
    );
    assert.equal(again?.content, "echo: again");
    const started = await pids(pidLog);
    assert.equal(started.length, 2, "the reconnect started a new child");
    assert.ok(alive(started[1]!));

    // A hot reload that removes the server ends its child.
    const written = JSON.parse(await Deno.readTextFile(home.configPath));
    delete written.mcp.servers.local;
    await Deno.writeTextFile(home.configPath, JSON.stringify(written, null, 2));
    await proc.waitForLine(/bundle-mcp: server "local" removed; closing its connection/, 30_000);
    await until(() => !alive(started[1]!), "the removed server's child to exit");
  } finally {
    session.stop();
    await proc.stop();
    // Every stdio child the gateway started is gone once it has stopped.
    const started = await pids(pidLog);
    await until(() => started.every((pid) => !alive(pid)), `the MCP children ${started} to exit`).finally(() => {
      for (const pid of started.filter(alive)) Deno.kill(pid, "SIGKILL");
    });
    await remote.shutdown();
    await upstream.stop();
    await home.cleanup();
    await Deno.remove(pidLog);
  }
});
