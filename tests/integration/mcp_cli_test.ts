import assert from "node:assert/strict";
import { REPO_ROOT, runOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { resolveMcpServer } from "../../src/config/resolve_mcp.ts";
import { writeMcpFailedServers } from "../../src/server/mcp_failed_file.ts";

const NOTE =
  "Note: this command only shows OpenClaw-managed mcp.servers entries and does not include mcporter servers from config/mcporter.json.";

function cacheHome(): string {
  const denoDir = Deno.env.get("DENO_DIR");
  if (denoDir?.endsWith("/deno")) return denoDir.slice(0, -"/deno".length);
  return Deno.env.get("XDG_CACHE_HOME") ?? `${Deno.env.get("HOME")}/.cache`;
}

Deno.test("openclaw mcp list/set/show/status/unset read and edit mcp.servers as the reference prints them", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const cli = (...args: string[]) => runOpenclaw(["mcp", ...args], { home: home.home });
  try {
    const empty = await cli("list");
    assert.equal(empty.code, 0);
    assert.equal(
      empty.stdout,
      `No OpenClaw-managed MCP servers configured in ${home.configPath}. Add one with openclaw mcp set <name> '{"command":"uvx","args":["context7-mcp"]}'.\n${NOTE}`,
    );
    assert.equal((await cli("list", "--json")).stdout, "{}");

    const saved = await cli("set", "tools", '{"command":"deno","args":["run","server.ts"],"env":{"A":"1"}}');
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal(saved.stdout, `Saved MCP server "tools" to ${home.configPath}.`);
    assert.equal((await cli("set", "docs", '{"url":"http://127.0.0.1:9/mcp","type":"http"}')).code, 0);

    assert.equal(
      (await cli("list")).stdout,
      `OpenClaw-managed MCP servers (${home.configPath}):\n- docs\n- tools\n\n${NOTE}`,
    );
    assert.deepEqual(JSON.parse((await cli("list", "--json")).stdout), {
      tools: { command: "deno", args: ["run", "server.ts"], env: { A: "1" } },
      docs: { url: "http://127.0.0.1:9/mcp", transport: "streamable-http" },
    });
    const shown = await cli("show", "tools");
    assert.equal(shown.stdout.split("\n")[0], `OpenClaw-managed MCP server "tools" (${home.configPath}):`);
    assert.deepEqual(JSON.parse((await cli("show", "tools", "--json")).stdout), {
      command: "deno",
      args: ["run", "server.ts"],
      env: { A: "1" },
    });
    const missing = await cli("show", "nope");
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      `No MCP server named "nope" in ${home.configPath}. Run openclaw mcp list to see configured servers.`,
    );

    assert.equal(
      (await cli("status")).stdout,
      `MCP server status (${home.configPath}):\n- docs: streamable-http\n- tools: stdio`,
    );
    assert.deepEqual(JSON.parse((await cli("status", "--json")).stdout), {
      path: home.configPath,
      servers: [
        {
          name: "docs",
          configured: true,
          enabled: true,
          ok: true,
          transport: "streamable-http",
          launch: "http://127.0.0.1:9/mcp",
          requestTimeoutMs: 60000,
          connectionTimeoutMs: 30000,
          supportsParallelToolCalls: false,
        },
        {
          name: "tools",
          configured: true,
          enabled: true,
          ok: true,
          transport: "stdio",
          launch: "deno run server.ts",
          requestTimeoutMs: 60000,
          connectionTimeoutMs: 30000,
          supportsParallelToolCalls: false,
        },
      ],
    });

    assert.equal(
      (await cli("status", "--verbose")).stdout,
      [
        `MCP server status (${home.configPath}):`,
        "- docs: streamable-http",
        "  launch: http://127.0.0.1:9/mcp",
        "  timeouts: connect=30000ms request=60000ms",
        "- tools: stdio",
        "  launch: deno run server.ts",
        "  timeouts: connect=30000ms request=60000ms",
      ].join("\n"),
    );

    // A server the gateway marked failed shows so (while its config is the one that failed).
    const tools = resolveMcpServer("tools", { command: "deno", args: ["run", "server.ts"], env: { A: "1" } });
    await writeMcpFailedServers(home.stateDir, [
      { name: "tools", fingerprint: tools.fingerprint, failures: 5, lastError: "mcp transport closed", retryAt: 0 },
      { name: "docs", fingerprint: "an older config", failures: 5, retryAt: 0 },
    ]);
    assert.equal(
      (await cli("status")).stdout,
      `MCP server status (${home.configPath}):\n- docs: streamable-http\n- tools: stdio failed (mcp transport closed)`,
    );
    const failedRow = JSON.parse((await cli("status", "--json")).stdout).servers[1];
    assert.deepEqual(failedRow.failed, {
      failures: 5,
      lastError: "mcp transport closed",
      retryAt: "1970-01-01T00:00:00.000Z",
    });
    await writeMcpFailedServers(home.stateDir, []);

    const badJson = await cli("set", "bad", "{nope");
    assert.equal(badJson.code, 1);
    assert.match(badJson.stderr, /^Invalid JSON: SyntaxError: /);
    assert.equal((await cli("set", "bad", "[1]")).stderr, "MCP server config must be a JSON object.");
    assert.equal(
      (await cli("set", "bad", '{"url":"ftp://x"}')).stderr,
      "Config invalid after MCP set (mcp.servers.bad.url: Expected http:// or https:// URL).",
    );

    // A write that drops the file's JSON5 comments says so on stderr, as the reference does.
    await Deno.writeTextFile(home.configPath, `// hand-written\n${await Deno.readTextFile(home.configPath)}`);
    const removed = await cli("unset", "tools");
    assert.equal(removed.stdout, `Removed MCP server "tools" from ${home.configPath}.`);
    assert.equal(removed.stderr, `Config write will strip JSON5 comments from ${home.configPath}.`);
    assert.equal((await cli("set", "docs", '{"url":"http://127.0.0.1:9/mcp","type":"http"}')).stderr, "");
    const again = await cli("unset", "tools");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^No MCP server named "tools" in /);
    assert.deepEqual(Object.keys(JSON.parse((await cli("list", "--json")).stdout)), ["docs"]);
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw mcp add probes a stdio server before saving it, refuses one that fails, and probe lists tools", async () => {
  const home = await tempHome({ gateway: { mode: "local" } });
  const cli = (...args: string[]) => runOpenclaw(["mcp", ...args], { home: home.home });
  try {
    const server = [
      "--command",
      Deno.execPath(),
      ...[
        "run",
        "--quiet",
        `--config=${REPO_ROOT}/deno.json`,
        "--allow-all",
        `${REPO_ROOT}/tests/support/mcp_test_server.ts`,
      ]
        .flatMap((arg) => ["--arg", arg]),
      "--env",
      `XDG_CACHE_HOME=${cacheHome()}`,
      "--include",
      "echo,p*",
    ];
    const added = await cli("add", "local", ...server);
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout.split("\n").at(-1), `Saved MCP server "local" to ${home.configPath}.`);
    const saved = JSON.parse((await cli("show", "local", "--json")).stdout);
    assert.equal(saved.command, Deno.execPath());
    assert.deepEqual(saved.toolFilter, { include: ["echo", "p*"] });

    const probe = await cli("probe", "local", "--json");
    assert.equal(probe.code, 0, probe.stderr);
    // The reference's catalog: the server's tools after its filter, the rest counted as filtered out.
    const probed = JSON.parse(probe.stdout);
    assert.match(probed.generatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual({ ...probed, generatedAt: "<time>" }, {
      generatedAt: "<time>",
      servers: {
        local: {
          launch: saved.command + " run --quiet " + `--config=${REPO_ROOT}/deno.json --allow-all ` +
            `${REPO_ROOT}/tests/support/mcp_test_server.ts`,
          tools: 3,
          codexApprovalMode: "auto",
          approvalHint: "tools have no safety annotations; calls require approval in prompting session postures",
          requestTimeoutMs: 60000,
          filteredTools: 4,
        },
      },
      tools: ["local__echo", "local__picture", "local__pid"],
      diagnostics: [],
    });

    const broken = await cli("add", "broken", "--command", "/nonexistent/cmd");
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, new RegExp(`^MCP probe failed for "broken" in ${home.configPath}: `, "m"));
    assert.deepEqual(Object.keys(JSON.parse((await cli("list", "--json")).stdout)), ["local"]);

    const off = await cli("add", "off", "--url", "http://127.0.0.1:9/mcp", "--disabled", "--no-probe");
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(JSON.parse((await cli("show", "off", "--json")).stdout), {
      enabled: false,
      url: "http://127.0.0.1:9/mcp",
    });
    assert.match((await cli("status")).stdout, /^- off: disabled$/m);

    // An OAuth server is saved unprobed; `login` passes the reference's checks, then says it is not available here.
    const oauth = await cli("add", "docs", "--url", "http://127.0.0.1:9/mcp", "--auth", "oauth");
    assert.equal(oauth.code, 0, oauth.stderr);
    assert.equal(
      oauth.stdout,
      `Saved MCP server "docs" to ${home.configPath}.\nRun openclaw mcp login docs to authorize this MCP server.`,
    );
    const login = await cli("login", "docs", "--code", "abc");
    assert.equal(login.code, 1);
    assert.equal(
      login.stderr,
      'MCP OAuth login for "docs" is not available: this gateway does not run the MCP OAuth flow or store its credentials. Give the server a static Authorization header in its "headers" instead.',
    );
    assert.equal((await cli("add", "docs", "--command", "sh")).stderr, 'MCP server "docs" already exists.');
  } finally {
    await home.cleanup();
  }
});
