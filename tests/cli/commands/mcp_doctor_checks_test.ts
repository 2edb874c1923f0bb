import assert from "node:assert/strict";
import {
  isSensitiveMcpKey,
  mcpCodexApprovalMode,
  type McpDoctorHost,
  mcpDoctorStaticIssues,
  mcpProbeApprovalIssues,
} from "../../../src/cli/commands/mcp_doctor_checks.ts";

/** A machine with these executables, directories and files, nothing else. */
function host(paths: { exe?: string[]; dirs?: string[]; files?: string[] }, path = "/usr/bin:bin"): McpDoctorHost {
  return {
    cwd: "/work",
    path,
    isExecutableFile: (p) => Promise.resolve(paths.exe?.includes(p) ?? false),
    isDirectory: (p) => Promise.resolve(paths.dirs?.includes(p) ?? false),
    isFile: (p) => Promise.resolve(paths.files?.includes(p) ?? false),
  };
}

const messages = async (server: Record<string, unknown>, machine: McpDoctorHost, name = "s") =>
  (await mcpDoctorStaticIssues(name, server, machine)).map((issue) => `${issue.level}: ${issue.message}`);

Deno.test("a stdio command is found by path as it is, by name on PATH (relative entries from cwd), or reported", async () => {
  const machine = host({ exe: ["/usr/bin/node", "/work/bin/tool", "/srv/tools/run.sh"] });
  assert.deepEqual(await messages({ command: "node" }, machine), []);
  assert.deepEqual(await messages({ command: "tool" }, machine), []);
  assert.deepEqual(
    await messages(
      { command: "./run.sh", cwd: "/srv/tools" },
      host({ ...{ exe: ["/srv/tools/run.sh"] }, dirs: ["/srv/tools"] }),
    ),
    [],
  );
  assert.deepEqual(await messages({ command: "deno" }, machine), [
    "error: stdio command not found or not executable: deno",
  ]);
  assert.deepEqual(await messages({ command: "node", env: { PATH: "/opt/bin" } }, machine), [
    "error: stdio command not found or not executable: node",
  ]);
  assert.deepEqual(await messages({ command: "node", workingDirectory: "/gone" }, machine), [
    "error: stdio cwd does not exist: /gone",
  ]);
});

Deno.test("a disabled server is only a warning, without transport checks; no transport is an error", async () => {
  assert.deepEqual(await messages({ command: "/nope", enabled: false }, host({})), ["warning: server is disabled"]);
  assert.deepEqual(await messages({ enabled: false }, host({})), ["warning: server is disabled"]);
  assert.deepEqual(await messages({ args: ["x"] }, host({})), ["error: server transport is invalid"]);
});

Deno.test("HTTP: unauthorized OAuth, a static Authorization header beside it, TLS off, missing cert and key", async () => {
  const server = {
    url: "https://x/mcp",
    auth: "oauth",
    headers: { AUTHORIZATION: "$TOKEN" },
    sslVerify: false,
    clientCert: "certs/c.pem",
    clientKey: "/k.pem",
  };
  assert.deepEqual(await messages(server, host({ files: ["/work/certs/c.pem"] }), "docs"), [
    "warning: OAuth credentials are not authorized; run openclaw mcp login docs",
    "warning: OAuth is enabled and the static Authorization header is ignored",
    "warning: TLS certificate verification is disabled",
    "error: client key file does not exist: /k.pem",
  ]);
  assert.deepEqual(
    await messages({ url: "https://x/mcp", auth: "oauth", oauth: { identity: "per-requester" } }, host({})),
    [],
  );
});

Deno.test("literal sensitive header and env values are warned about, environment-backed ones are not", async () => {
  assert.equal(isSensitiveMcpKey("X-API-Key"), true);
  assert.equal(isSensitiveMcpKey("GITHUB_TOKEN"), true);
  assert.equal(isSensitiveMcpKey("DB_PASSWORD"), true);
  assert.equal(isSensitiveMcpKey("TOKENIZER"), false);
  const server = {
    url: "https://x/mcp",
    headers: { Authorization: "Bearer abc", "X-Trace": "1" },
    env: { API_TOKEN: "literal", SAFE_TOKEN: "${SAFE}", EMPTY_SECRET: " " },
  };
  assert.deepEqual(await messages(server, host({}), "web"), [
    "warning: headers.Authorization contains a literal sensitive value; prefer an environment-backed value outside committed config",
    "warning: env.API_TOKEN contains a literal sensitive value; prefer an environment-backed value outside committed config",
  ]);
});

Deno.test("a toolFilter without a list is warned about", async () => {
  const machine = host({ exe: ["/usr/bin/sh"] });
  assert.deepEqual(await messages({ command: "sh", toolFilter: {} }, machine), [
    "warning: toolFilter is present but has no include or exclude list",
  ]);
  assert.deepEqual(await messages({ command: "sh", toolFilter: { exclude: ["x"] } }, machine), []);
});

Deno.test("the approval hint appears for auto mode when no listed tool carries a safety annotation", () => {
  const hint =
    "info: Codex approval mode: auto; tools have no safety annotations; calls require approval in prompting session postures";
  const text = (issues: { level: string; message: string }[]) => issues.map((i) => `${i.level}: ${i.message}`);
  assert.deepEqual(text(mcpProbeApprovalIssues("s", {}, [{}, { annotations: { title: "T" } }])), [hint]);
  assert.deepEqual(text(mcpProbeApprovalIssues("s", {}, [{}, { annotations: { readOnlyHint: true } }])), []);
  assert.deepEqual(text(mcpProbeApprovalIssues("s", {}, [])), []);
  assert.deepEqual(text(mcpProbeApprovalIssues("s", { codex: { defaultToolsApprovalMode: "prompt" } }, [{}])), []);
  assert.equal(mcpCodexApprovalMode("s", { codex: { default_tools_approval_mode: "approve" } }), "approve");
  assert.equal(mcpCodexApprovalMode("openclaw", { url: "http://127.0.0.1:18789/mcp" }), "approve");
  assert.equal(mcpCodexApprovalMode("other", { url: "http://127.0.0.1:18789/mcp" }), "auto");
});
