import assert from "node:assert/strict";
import { resolveMcp, resolveMcpServer } from "../../src/config/resolve_mcp.ts";
import { RawConfigSchema } from "../../src/config/schema.ts";
import { sensitiveLeaves } from "../../src/config/sensitive.ts";
import { ignoredKeys } from "../../src/config/implemented_keys.ts";
import { classifyPath } from "../../src/config/reload_plan.ts";

Deno.test("resolveMcpServer() turns command/args/env/cwd into a stdio launch described as the reference logs it", () => {
  const spec = resolveMcpServer("local", { command: "node", args: ["server.js"], env: { A: 1, B: true }, cwd: "/srv" });
  assert.deepEqual(spec.launch, {
    kind: "stdio",
    command: "node",
    args: ["server.js"],
    env: { A: "1", B: "true" },
    cwd: "/srv",
  });
  assert.equal(spec.description, "node server.js (cwd=/srv)");
  assert.equal(spec.enabled, true);
  assert.equal(spec.connectionTimeoutMs, 30_000);
  assert.equal(spec.requestTimeoutMs, 60_000);
});

Deno.test("resolveMcpServer() reads workingDirectory when cwd is absent, as the reference's stdio launcher does", () => {
  const spec = resolveMcpServer("local", { command: "node", workingDirectory: "/w" });
  assert.equal(spec.launch?.kind === "stdio" && spec.launch.cwd, "/w");
});

Deno.test("resolveMcpServer() drops interpreter-startup and loader env keys and names them", () => {
  const spec = resolveMcpServer("s", {
    command: "node",
    env: { NODE_OPTIONS: "--require x", LD_PRELOAD: "/x.so", GITHUB_TOKEN: "t", API_KEY: "k" },
  });
  assert.deepEqual(spec.launch?.kind === "stdio" && spec.launch.env, { GITHUB_TOKEN: "t", API_KEY: "k" });
  assert.deepEqual(spec.droppedEnv, ["NODE_OPTIONS", "LD_PRELOAD"]);
});

Deno.test("resolveMcpServer() gives a bare url the SSE transport and transport/type select streamable HTTP", () => {
  assert.deepEqual(resolveMcpServer("a", { url: "https://x.test/mcp" }).launch, {
    kind: "http",
    transport: "sse",
    url: "https://x.test/mcp",
    headers: {},
  });
  const streamable = resolveMcpServer("b", {
    url: "https://x.test/mcp",
    transport: "streamable-http",
    headers: { X: 1 },
  });
  assert.deepEqual(streamable.launch, {
    kind: "http",
    transport: "streamable-http",
    url: "https://x.test/mcp",
    headers: { X: "1" },
  });
  assert.equal(
    resolveMcpServer("c", { url: "https://x.test/mcp", type: "http" }).launch?.kind === "http" &&
      (resolveMcpServer("c", { url: "https://x.test/mcp", type: "http" }).launch as { transport: string }).transport,
    "streamable-http",
  );
});

Deno.test("resolveMcpServer() redacts URL credentials in its description", () => {
  const spec = resolveMcpServer("a", { url: "https://user:pw@x.test/mcp?token=abc" });
  assert.ok(!spec.description.includes("pw") && !spec.description.includes("abc"), spec.description);
});

Deno.test("resolveMcpServer() skips an entry with neither command nor url, with the reason", () => {
  const spec = resolveMcpServer("a", {});
  assert.equal(spec.launch, undefined);
  assert.match(spec.skipReason ?? "", /command is missing/);
  assert.match(resolveMcpServer("b", { url: "ftp://x" }).skipReason ?? "", /only http and https/);
});

Deno.test("resolveMcpServer() keeps timeouts, enabled:false and the tool filter", () => {
  const spec = resolveMcpServer("a", {
    command: "x",
    enabled: false,
    connectionTimeoutMs: 5000,
    requestTimeoutMs: 20000,
    toolFilter: { include: ["search", "read_*"], exclude: ["admin_*"] },
  });
  assert.equal(spec.enabled, false);
  assert.equal(spec.connectionTimeoutMs, 5000);
  assert.equal(spec.requestTimeoutMs, 20000);
  assert.deepEqual(spec.toolFilter, { include: ["search", "read_*"], exclude: ["admin_*"] });
});

Deno.test("resolveMcp() lists mcp.servers in declaration order; a changed launch changes the fingerprint", () => {
  const config = RawConfigSchema.parse({
    mcp: { servers: { b: { command: "x" }, a: { url: "http://127.0.0.1:1/" } } },
  });
  const resolved = resolveMcp(config);
  assert.deepEqual(resolved.servers.map((s) => s.name), ["b", "a"]);
  assert.notEqual(
    resolveMcpServer("b", { command: "x" }).fingerprint,
    resolveMcpServer("b", { command: "y" }).fingerprint,
  );
  assert.equal(
    resolveMcpServer("b", { command: "x" }).fingerprint,
    resolveMcpServer("b", { command: "x" }).fingerprint,
  );
});

Deno.test("the config schema refuses the reserved server name __proto__ with the reference's message", () => {
  const parsed = RawConfigSchema.safeParse(JSON.parse('{"mcp":{"servers":{"__proto__":{"command":"x"}}}}'));
  assert.equal(parsed.success, false);
  assert.match(JSON.stringify(parsed.error?.issues), /MCP server name \\"__proto__\\" is reserved; rename the server/);
});

Deno.test("the config schema refuses an unknown transport", () => {
  assert.equal(
    RawConfigSchema.safeParse({ mcp: { servers: { a: { url: "http://x", transport: "ws" } } } }).success,
    false,
  );
});

Deno.test("an MCP server's env and headers values count as secrets (redacted wherever the config is shown)", () => {
  const config = { mcp: { servers: { a: { command: "x", env: { PLAIN: "v1" }, headers: { Custom: "v2" } } } } };
  const leaves = sensitiveLeaves(config).map((leaf) => leaf.value);
  assert.deepEqual(leaves.sort(), ["v1", "v2"]);
});

Deno.test("an MCP server's launch keys count as implemented; oauth and TLS keys are named as ignored", () => {
  const config = {
    mcp: {
      servers: {
        a: { command: "x", args: [], env: {}, toolFilter: { include: ["y"] }, auth: "oauth", sslVerify: false },
      },
    },
  };
  assert.deepEqual(ignoredKeys(config), ["mcp.servers.a.auth", "mcp.servers.a.sslVerify"]);
});

Deno.test("a change under mcp reloads hot, as the reference disposes MCP runtimes in place", () => {
  assert.equal(classifyPath("mcp.servers.a.command"), "hot");
  assert.equal(classifyPath("mcp.apps.enabled"), "restart");
});
