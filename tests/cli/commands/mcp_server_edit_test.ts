import assert from "node:assert/strict";
import {
  addedMcpServer,
  approvalMode,
  canonicalMcpServer,
  configuredMcpServer,
  McpFlagError,
  parseCsvList,
  positiveSeconds,
  withToolSelection,
} from "../../../src/cli/commands/mcp_server_edit.ts";

Deno.test("parseCsvList keeps trimmed non-blank entries, and nothing when none is left", () => {
  assert.deepEqual(parseCsvList(" a, b ,,c "), ["a", "b", "c"]);
  assert.equal(parseCsvList(" , "), undefined);
  assert.equal(parseCsvList(""), undefined);
  assert.equal(parseCsvList(undefined), undefined);
});

Deno.test("withToolSelection sorts and dedupes, merges into the filter, and clears it when given nothing", () => {
  const server = { command: "x", toolFilter: { include: ["keep"] } };
  assert.deepEqual(withToolSelection(server, { include: ["b", " a", "a", "*_read"] }).toolFilter, {
    include: ["*_read", "a", "b"],
  });
  assert.deepEqual(withToolSelection(server, { exclude: ["drop", "admin_*"] }).toolFilter, {
    include: ["keep"],
    exclude: ["admin_*", "drop"],
  });
  assert.deepEqual(withToolSelection(server, null), { command: "x" });
  assert.deepEqual(withToolSelection(server, { include: undefined, exclude: undefined }), { command: "x" });
  assert.deepEqual(server.toolFilter, { include: ["keep"] }, "the input is not changed");
});

Deno.test("canonicalMcpServer renames CLI-native and snake_case keys, a canonical key already set winning", () => {
  assert.deepEqual(
    canonicalMcpServer({
      url: "https://x",
      type: "HTTP",
      supports_parallel_tool_calls: true,
      ssl_verify: false,
      sslVerify: true,
      client_cert: "c.pem",
      codex: { default_tools_approval_mode: "prompt" },
    }),
    {
      url: "https://x",
      transport: "streamable-http",
      supportsParallelToolCalls: true,
      sslVerify: true,
      clientCert: "c.pem",
      codex: { defaultToolsApprovalMode: "prompt" },
    },
  );
  assert.deepEqual(canonicalMcpServer({ command: "sh", type: "stdio", workingDirectory: "/tmp" }), {
    command: "sh",
    cwd: "/tmp",
  });
  assert.deepEqual(canonicalMcpServer({ command: "sh", type: "custom" }), { command: "sh", type: "custom" });
});

Deno.test("positiveSeconds takes a strict positive decimal and gives milliseconds", () => {
  assert.equal(positiveSeconds("5.5", "--timeout"), 5500);
  assert.equal(positiveSeconds(" 2e1 ", "--timeout"), 20000);
  assert.equal(positiveSeconds(undefined, "--timeout"), undefined);
  for (const bad of ["0", "-1", "soon", "5s", "", "Infinity"]) {
    assert.throws(() => positiveSeconds(bad, "--connect-timeout"), {
      name: "Error",
      message: "--connect-timeout must be a positive number.",
    });
  }
});

Deno.test("approvalMode accepts auto, prompt and approve in any case", () => {
  assert.equal(approvalMode(" APPROVE "), "approve");
  assert.equal(approvalMode(undefined), undefined);
  assert.throws(() => approvalMode("always"), new McpFlagError('--approval must be "auto", "prompt", or "approve".'));
});

Deno.test("configuredMcpServer applies each flag class as the reference does", () => {
  const web = {
    url: "https://x/mcp",
    requestTimeoutMs: 20000,
    connectionTimeoutMs: 5000,
    supportsParallelToolCalls: true,
    oauth: { scope: "old" },
    codex: { agents: ["main"] },
  };
  assert.deepEqual(configuredMcpServer({ command: "x", enabled: false }, { enable: true }), { command: "x" });
  assert.deepEqual(configuredMcpServer({ command: "x" }, { disable: true }), { command: "x", enabled: false });
  assert.deepEqual(
    configuredMcpServer({ command: "x", toolFilter: { include: ["a"], exclude: ["q"] } }, { include: "b,c" }),
    { command: "x", toolFilter: { include: ["b", "c"], exclude: ["q"] } },
    "configure keeps the order given and merges",
  );
  assert.deepEqual(configuredMcpServer({ command: "x", toolFilter: {} }, { clearTools: true, include: "a" }), {
    command: "x",
  });
  assert.deepEqual(configuredMcpServer(web, { clearTimeouts: true, timeout: "1" }), {
    url: "https://x/mcp",
    supportsParallelToolCalls: true,
    oauth: { scope: "old" },
    codex: { agents: ["main"] },
    requestTimeoutMs: 1000,
  });
  assert.equal(configuredMcpServer(web, { parallel: false }).supportsParallelToolCalls, undefined);
  assert.deepEqual(configuredMcpServer(web, { approval: "prompt" }).codex, {
    agents: ["main"],
    defaultToolsApprovalMode: "prompt",
  });
  const oauth = configuredMcpServer(web, { auth: " OAuth ", oauthRedirectUrl: " http://127.0.0.1:1/cb " });
  assert.equal(oauth.auth, "oauth");
  assert.deepEqual(oauth.oauth, { scope: "old", redirectUrl: "http://127.0.0.1:1/cb" });
  assert.deepEqual(configuredMcpServer({ url: "https://x", auth: "oauth", oauth: {} }, { clearAuth: true }), {
    url: "https://x",
  });
  assert.throws(
    () => configuredMcpServer(web, { auth: "basic" }),
    new McpFlagError('Invalid --auth value. Use "oauth".'),
  );
  assert.deepEqual(
    configuredMcpServer({ url: "https://x", ssl_verify: true, client_key: "k" }, {
      clearTls: true,
      sslVerify: "FALSE",
      clientCert: " c.pem ",
    }),
    { url: "https://x", sslVerify: false, clientCert: "c.pem" },
  );
  assert.throws(
    () => configuredMcpServer(web, { sslVerify: "maybe" }),
    new McpFlagError("--ssl-verify must be true or false."),
  );
});

Deno.test("addedMcpServer refuses as the reference does, first refusal in its order", () => {
  const refused = (flags: Parameters<typeof addedMcpServer>[0], message: string) =>
    assert.throws(() => addedMcpServer(flags), (error) => error instanceof McpFlagError && error.message === message);
  refused({ command: "sh", url: "http://h/mcp" }, "Specify either --command for stdio or --url for HTTP, not both.");
  refused({ command: " ", url: "" }, "Specify --command for stdio or --url for HTTP.");
  refused({ command: "sh", env: ["TOKEN"] }, "--env entries must use KEY=***");
  refused({ command: "sh", env: ["=v"] }, "--env entries must use KEY=***");
  refused({ command: "sh", env: [" =v"] }, "--env entries must use a non-empty key.");
  refused({ url: "http://h/mcp", header: ["X"] }, "--header entries must use KEY=***");
  refused({ url: "http://h/mcp", auth: "basic" }, 'Invalid --auth value. Use "oauth".');
  refused({ url: "http://h/mcp", sslVerify: "no", timeout: "0" }, "--ssl-verify must be true or false.");
  refused({ command: "sh", approval: "always", timeout: "0" }, '--approval must be "auto", "prompt", or "approve".');
  refused({ command: "sh", timeout: "0" }, "--timeout must be a positive number.");
  refused({ command: "sh", connectTimeout: "soon" }, "--connect-timeout must be a positive number.");
});

Deno.test("addedMcpServer builds the definition in the reference's key order; HTTP-only flags apply to a url", () => {
  assert.deepEqual(
    Object.entries(addedMcpServer({
      command: " sh ",
      arg: ["-c", "true"],
      env: ["A=1=2"],
      cwd: "/tmp",
      auth: "oauth",
      include: "a, b",
      timeout: "2.5",
      parallel: true,
      approval: "Prompt",
    })),
    [
      ["command", "sh"],
      ["args", ["-c", "true"]],
      ["env", { A: "1=2" }],
      ["cwd", "/tmp"],
      ["supportsParallelToolCalls", true],
      ["codex", { defaultToolsApprovalMode: "prompt" }],
      ["requestTimeoutMs", 2500],
      ["toolFilter", { include: ["a", "b"] }],
    ],
  );
  assert.deepEqual(
    Object.entries(addedMcpServer({
      url: "https://h/mcp",
      transport: "sse",
      header: ["X-Trace=1"],
      auth: "OAuth",
      oauthScope: " s ",
      sslVerify: "FALSE",
      clientCert: "/c.pem",
      disabled: true,
    })),
    [
      ["url", "https://h/mcp"],
      ["transport", "sse"],
      ["headers", { "X-Trace": "1" }],
      ["auth", "oauth"],
      ["oauth", { scope: "s" }],
      ["sslVerify", false],
      ["clientCert", "/c.pem"],
      ["enabled", false],
    ],
  );
});
