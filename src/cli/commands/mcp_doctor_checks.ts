// The static checks of `openclaw mcp doctor`: what the reference's doctor finds in one saved
// `mcp.servers` entry without connecting to it (recorded: tests/fixtures/mcp_cli/). The machine is asked
// through `McpDoctorHost`, so the rules are testable without files.
import { resolveAuthoredMcpServer } from "../../config/mcp_edit.ts";
import { isJsonObject } from "../../log/json_object.ts";

/** One finding: an `error` fails the doctor; `warning` and `info` are only reported. */
export interface McpDoctorIssue {
  level: "error" | "warning" | "info";
  message: string;
}

/** What the checks ask of the machine. */
export interface McpDoctorHost {
  /** The directory relative paths are resolved against (the CLI's working directory). */
  cwd: string;
  /** The CLI's own `PATH`, searched when the server's `env` has none. */
  path: string | undefined;
  isExecutableFile(path: string): Promise<boolean>;
  isDirectory(path: string): Promise<boolean>;
  isFile(path: string): Promise<boolean>;
}

const SENSITIVE_HEADER_NAMES = new Set(["authorization", "proxy-authorization", "x-api-key", "api-key", "api_key"]);
const SENSITIVE_KEY = /(?:^|[_-])(api[_-]?key|authorization|bearer|password|secret|token)$/i;

/** Whether a header or env key names a credential, by the reference's list and pattern. */
export function isSensitiveMcpKey(key: string): boolean {
  return SENSITIVE_HEADER_NAMES.has(key.trim().toLowerCase()) || SENSITIVE_KEY.test(key);
}

/** A value written in the config itself rather than taken from the environment (`$VAR`, `${VAR}`). */
function isLiteral(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0 && !value.trim().startsWith("$");
}

function resolvePath(path: string, base: string): string {
  if (path.startsWith("/")) return path;
  const parts: string[] = [];
  for (const part of `${base}/${path}`.split("/")) {
    if (part === "..") parts.pop();
    else if (part && part !== ".") parts.push(part);
  }
  return `/${parts.join("/")}`;
}

/** The reference's lookup of a stdio command: a path is checked as it is, a bare name on `PATH`. */
async function commandExists(
  command: string,
  cwd: string | undefined,
  envPath: string | undefined,
  host: McpDoctorHost,
): Promise<boolean> {
  const base = cwd?.trim() ? cwd.trim() : host.cwd;
  if (command.includes("/") || command.includes("\\")) return await host.isExecutableFile(resolvePath(command, base));
  for (const raw of (envPath ?? host.path ?? "").split(":")) {
    const entry = raw.trim() || ".";
    if (await host.isExecutableFile(`${resolvePath(entry, base)}/${command}`)) return true;
  }
  return false;
}

function trimmedString(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** The reference's static findings for server `name` as written, in its order. */
export async function mcpDoctorStaticIssues(
  name: string,
  server: Record<string, unknown>,
  host: McpDoctorHost,
): Promise<McpDoctorIssue[]> {
  const issues: McpDoctorIssue[] = [];
  const spec = resolveAuthoredMcpServer(name, server);
  const launch = spec.launch;
  if (server.enabled === false) issues.push({ level: "warning", message: "server is disabled" });
  else {
    if (!launch) issues.push({ level: "error", message: "server transport is invalid" });
    if (launch?.kind === "stdio") {
      if (!await commandExists(launch.command, launch.cwd, launch.env.PATH, host)) {
        issues.push({ level: "error", message: `stdio command not found or not executable: ${launch.command}` });
      }
      if (launch.cwd && !await host.isDirectory(launch.cwd)) {
        issues.push({ level: "error", message: `stdio cwd does not exist: ${launch.cwd}` });
      }
    }
    if (launch?.kind === "http") {
      if (server.auth === "oauth") {
        // No OAuth credentials are ever stored here (no MCP OAuth flow: `mcp login` refuses): never authorized.
        if (!isJsonObject(server.oauth) || server.oauth.identity !== "per-requester") {
          issues.push({
            level: "warning",
            message: `OAuth credentials are not authorized; run openclaw mcp login ${name}`,
          });
        }
        if (
          isJsonObject(server.headers) && Object.keys(server.headers).some((k) => k.toLowerCase() === "authorization")
        ) {
          issues.push({ level: "warning", message: "OAuth is enabled and the static Authorization header is ignored" });
        }
      }
      if (server.sslVerify === false) {
        issues.push({ level: "warning", message: "TLS certificate verification is disabled" });
      }
      const clientCert = trimmedString(server.clientCert);
      if (clientCert && !await host.isFile(resolvePath(clientCert, host.cwd))) {
        issues.push({ level: "error", message: `client certificate file does not exist: ${clientCert}` });
      }
      const clientKey = trimmedString(server.clientKey);
      if (clientKey && !await host.isFile(resolvePath(clientKey, host.cwd))) {
        issues.push({ level: "error", message: `client key file does not exist: ${clientKey}` });
      }
    }
  }
  for (const field of ["headers", "env"] as const) {
    const values = server[field];
    if (!isJsonObject(values)) continue;
    for (const [key, value] of Object.entries(values)) {
      if (isSensitiveMcpKey(key) && isLiteral(value)) {
        issues.push({
          level: "warning",
          message:
            `${field}.${key} contains a literal sensitive value; prefer an environment-backed value outside committed config`,
        });
      }
    }
  }
  const filter = server.toolFilter;
  if (isJsonObject(filter) && !Array.isArray(filter.include) && !Array.isArray(filter.exclude)) {
    issues.push({ level: "warning", message: "toolFilter is present but has no include or exclude list" });
  }
  return issues;
}

/** The reference's note on a server whose tools carry no safety annotations. */
export const MCP_APPROVAL_HINT =
  "tools have no safety annotations; calls require approval in prompting session postures";

/** The Codex approval mode the reference reports for a server: its `codex` setting, else `auto`. */
export function mcpCodexApprovalMode(name: string, server: Record<string, unknown>): string {
  const modes = new Set(["auto", "prompt", "approve"]);
  const codex = isJsonObject(server.codex) ? server.codex : {};
  for (const value of [codex.defaultToolsApprovalMode, codex.default_tools_approval_mode]) {
    if (typeof value === "string" && modes.has(value)) return value;
  }
  // The gateway's own MCP endpoint on loopback is trusted by default, as in the reference.
  const loopback = name === "openclaw" && typeof server.url === "string" &&
    /^https?:\/\/(?:127\.0\.0\.1|localhost):\d+\/mcp(?:[?#].*)?$/.test(server.url);
  return loopback ? "approve" : "auto";
}

/**
 * The doctor's finding from a probe that listed `tools` (after the server's filter): the reference's
 * `info` when the approval mode is `auto` and no tool carries a safety annotation, else none.
 */
export function mcpProbeApprovalIssues(
  name: string,
  server: Record<string, unknown>,
  tools: readonly { annotations?: Record<string, unknown> | undefined }[],
): McpDoctorIssue[] {
  const mode = mcpCodexApprovalMode(name, server);
  const hints = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"];
  const unannotated = tools.every((tool) => !hints.some((hint) => typeof tool.annotations?.[hint] === "boolean"));
  if (mode !== "auto" || tools.length === 0 || !unannotated) return [];
  return [{ level: "info", message: `Codex approval mode: ${mode}; ${MCP_APPROVAL_HINT}` }];
}
