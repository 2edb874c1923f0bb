// The edits `openclaw mcp tools` and `openclaw mcp configure` make to one `mcp.servers.<name>` entry as
// written, key by key as the reference makes them (recorded: tests/fixtures/mcp_cli/). Pure: the commands
// load and write the file.
import { isJsonObject } from "../../log/json_object.ts";

/** A flag value the reference refuses; the message is its own, printed as it is. */
export class McpFlagError extends Error {}

/** The flags of `openclaw mcp configure`, as commander parses them. */
export interface McpConfigureFlags {
  enable?: boolean | undefined;
  disable?: boolean | undefined;
  include?: string | undefined;
  exclude?: string | undefined;
  clearTools?: boolean | undefined;
  timeout?: string | undefined;
  connectTimeout?: string | undefined;
  clearTimeouts?: boolean | undefined;
  /** `--parallel` sets true, `--no-parallel` false; absent when neither was given. */
  parallel?: boolean | undefined;
  approval?: string | undefined;
  auth?: string | undefined;
  clearAuth?: boolean | undefined;
  oauthScope?: string | undefined;
  oauthRedirectUrl?: string | undefined;
  oauthClientMetadataUrl?: string | undefined;
  sslVerify?: string | undefined;
  clientCert?: string | undefined;
  clientKey?: string | undefined;
  clearTls?: boolean | undefined;
}

/** A comma-separated flag value as a list of its non-blank trimmed entries (undefined when none). */
export function parseCsvList(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const entries = value.split(",").map((entry) => entry.trim()).filter((entry) => entry.length > 0);
  return entries.length > 0 ? entries : undefined;
}

/** `mcp tools` stores each list deduplicated and sorted, as the reference does. */
function toolSelectionList(value: string[] | undefined): string[] | undefined {
  if (!value) return undefined;
  const unique = [...new Set(value.map((entry) => entry.trim()).filter((entry) => entry.length > 0))];
  return unique.length > 0 ? unique.toSorted((a, b) => a.localeCompare(b)) : undefined;
}

/**
 * `server` with its `toolFilter` set as `openclaw mcp tools` sets it: `null` clears it; given lists
 * replace the filter's lists of the same name; no list at all clears it too.
 */
export function withToolSelection(
  server: Record<string, unknown>,
  tools: { include?: string[] | undefined; exclude?: string[] | undefined } | null,
): Record<string, unknown> {
  const next = { ...server };
  const include = tools ? toolSelectionList(tools.include) : undefined;
  const exclude = tools ? toolSelectionList(tools.exclude) : undefined;
  if (!include && !exclude) {
    delete next.toolFilter;
    return next;
  }
  next.toolFilter = {
    ...(isJsonObject(next.toolFilter) ? next.toolFilter : {}),
    ...(include ? { include } : {}),
    ...(exclude ? { exclude } : {}),
  };
  return next;
}

/**
 * A definition in the reference's canonical keys: a CLI-native `type` becomes `transport`,
 * `workingDirectory` `cwd`, and snake_case spellings their camelCase keys (a canonical key already
 * set wins). `configure` saves every server through this.
 */
export function canonicalMcpServer(server: Record<string, unknown>): Record<string, unknown> {
  const next = { ...server };
  const types: Record<string, string> = {
    http: "streamable-http",
    "streamable-http": "streamable-http",
    sse: "sse",
    stdio: "stdio",
  };
  const type = typeof next.type === "string" ? types[next.type.trim().toLowerCase()] : undefined;
  if (typeof next.transport !== "string" && (type === "sse" || type === "streamable-http")) next.transport = type;
  if (type) delete next.type;
  if (typeof next.cwd !== "string" && typeof next.workingDirectory === "string") next.cwd = next.workingDirectory;
  delete next.workingDirectory;
  const renames: [string, string, "boolean" | "string"][] = [
    ["supports_parallel_tool_calls", "supportsParallelToolCalls", "boolean"],
    ["ssl_verify", "sslVerify", "boolean"],
    ["client_cert", "clientCert", "string"],
    ["client_key", "clientKey", "string"],
  ];
  for (const [legacy, key, kind] of renames) {
    if (typeof next[legacy] === kind && typeof next[key] !== kind) next[key] = next[legacy];
    delete next[legacy];
  }
  if (isJsonObject(next.codex)) {
    const codex = { ...next.codex };
    if (typeof codex.defaultToolsApprovalMode !== "string" && typeof codex.default_tools_approval_mode === "string") {
      codex.defaultToolsApprovalMode = codex.default_tools_approval_mode;
    }
    delete codex.default_tools_approval_mode;
    next.codex = codex;
  }
  return next;
}

function trimmed(value: string | undefined): string | undefined {
  const text = value?.trim();
  return text ? text : undefined;
}

/** A `--timeout`/`--connect-timeout` value in milliseconds: a strict positive decimal number of seconds. */
export function positiveSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  const parsed = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(parsed) || parsed <= 0) throw new McpFlagError(`${flag} must be a positive number.`);
  return parsed * 1000;
}

/** The Codex approval mode of `--approval` (auto, prompt or approve, any case). */
export function approvalMode(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const mode = value.trim().toLowerCase();
  if (mode !== "auto" && mode !== "prompt" && mode !== "approve") {
    throw new McpFlagError('--approval must be "auto", "prompt", or "approve".');
  }
  return mode;
}

/**
 * The definition `openclaw mcp configure` saves: `server` with the flags applied in the reference's
 * order (enablement, tools, timeouts, parallel, approval, auth, TLS), then canonical keys. A bad flag
 * value throws {@link McpFlagError} with the reference's message.
 */
export function configuredMcpServer(
  server: Record<string, unknown>,
  flags: McpConfigureFlags,
): Record<string, unknown> {
  const next = { ...server };
  if (flags.enable) delete next.enabled;
  if (flags.disable) next.enabled = false;
  if (flags.clearTools) delete next.toolFilter;
  else {
    const include = parseCsvList(flags.include);
    const exclude = parseCsvList(flags.exclude);
    if (include || exclude) {
      next.toolFilter = {
        ...(isJsonObject(next.toolFilter) ? next.toolFilter : {}),
        ...(include ? { include } : {}),
        ...(exclude ? { exclude } : {}),
      };
    }
  }
  if (flags.clearTimeouts) {
    delete next.requestTimeoutMs;
    delete next.connectionTimeoutMs;
  }
  const requestTimeoutMs = positiveSeconds(flags.timeout, "--timeout");
  if (requestTimeoutMs !== undefined) next.requestTimeoutMs = requestTimeoutMs;
  const connectionTimeoutMs = positiveSeconds(flags.connectTimeout, "--connect-timeout");
  if (connectionTimeoutMs !== undefined) next.connectionTimeoutMs = connectionTimeoutMs;
  if (flags.parallel === true) next.supportsParallelToolCalls = true;
  else if (flags.parallel === false) {
    delete next.supportsParallelToolCalls;
    delete next.supports_parallel_tool_calls;
  }
  const mode = approvalMode(flags.approval);
  if (mode) next.codex = { ...(isJsonObject(next.codex) ? next.codex : {}), defaultToolsApprovalMode: mode };
  if (flags.clearAuth) {
    delete next.auth;
    delete next.oauth;
  }
  const auth = (trimmed(flags.auth) ?? "").toLowerCase();
  if (auth && auth !== "oauth") throw new McpFlagError('Invalid --auth value. Use "oauth".');
  if (auth) next.auth = auth;
  const oauth = {
    ...(trimmed(flags.oauthScope) ? { scope: trimmed(flags.oauthScope) } : {}),
    ...(trimmed(flags.oauthRedirectUrl) ? { redirectUrl: trimmed(flags.oauthRedirectUrl) } : {}),
    ...(trimmed(flags.oauthClientMetadataUrl) ? { clientMetadataUrl: trimmed(flags.oauthClientMetadataUrl) } : {}),
  };
  if (Object.keys(oauth).length > 0) next.oauth = { ...(isJsonObject(next.oauth) ? next.oauth : {}), ...oauth };
  if (flags.clearTls) {
    for (const key of ["sslVerify", "ssl_verify", "clientCert", "client_cert", "clientKey", "client_key"]) {
      delete next[key];
    }
  }
  if (flags.sslVerify !== undefined) {
    const verify = flags.sslVerify.trim().toLowerCase();
    if (verify !== "true" && verify !== "false") throw new McpFlagError("--ssl-verify must be true or false.");
    next.sslVerify = verify === "true";
  }
  if (trimmed(flags.clientCert)) next.clientCert = trimmed(flags.clientCert);
  if (trimmed(flags.clientKey)) next.clientKey = trimmed(flags.clientKey);
  return next;
}

/** The flags of `openclaw mcp add`, as commander parses them. */
export interface McpAddFlags {
  command?: string | undefined;
  arg?: string[] | undefined;
  env?: string[] | undefined;
  cwd?: string | undefined;
  url?: string | undefined;
  transport?: string | undefined;
  header?: string[] | undefined;
  auth?: string | undefined;
  oauthScope?: string | undefined;
  oauthRedirectUrl?: string | undefined;
  oauthClientMetadataUrl?: string | undefined;
  include?: string | undefined;
  exclude?: string | undefined;
  timeout?: string | undefined;
  connectTimeout?: string | undefined;
  parallel?: boolean | undefined;
  approval?: string | undefined;
  disabled?: boolean | undefined;
  sslVerify?: string | undefined;
  clientCert?: string | undefined;
  clientKey?: string | undefined;
}

/** Repeated `KEY=VALUE` flags as a map (undefined when none); the key is trimmed, the value kept as given. */
function keyValueEntries(values: readonly string[] | undefined, flag: string): Record<string, string> | undefined {
  const entries: Record<string, string> = {};
  for (const raw of values ?? []) {
    const at = raw.indexOf("=");
    // The reference's message says `KEY=VALUE.`; its console redaction prints it as `KEY=***`.
    if (at <= 0) throw new McpFlagError(`${flag} entries must use KEY=***`);
    const key = raw.slice(0, at).trim();
    if (!key) throw new McpFlagError(`${flag} entries must use a non-empty key.`);
    entries[key] = raw.slice(at + 1);
  }
  return Object.keys(entries).length > 0 ? entries : undefined;
}

/**
 * The definition `openclaw mcp add` saves, built from its flags in the reference's order and key order
 * (transport keys, enablement, parallel, approval, timeouts, tool filter). A flag the reference refuses
 * throws {@link McpFlagError} with its message, the first refusal in its order.
 */
export function addedMcpServer(flags: McpAddFlags): Record<string, unknown> {
  const command = trimmed(flags.command);
  const url = trimmed(flags.url);
  if (command && url) throw new McpFlagError("Specify either --command for stdio or --url for HTTP, not both.");
  if (!command && !url) throw new McpFlagError("Specify --command for stdio or --url for HTTP.");
  const server: Record<string, unknown> = {};
  if (command) {
    server.command = command;
    if (flags.arg?.length) server.args = [...flags.arg];
    const env = keyValueEntries(flags.env, "--env");
    if (env) server.env = env;
    if (trimmed(flags.cwd)) server.cwd = trimmed(flags.cwd);
  }
  if (url) {
    server.url = url;
    if (trimmed(flags.transport)) server.transport = trimmed(flags.transport);
    const headers = keyValueEntries(flags.header, "--header");
    if (headers) server.headers = headers;
    // Auth, OAuth and TLS flags apply only to an HTTP server, as `configure` applies them.
    Object.assign(
      server,
      configuredMcpServer({}, {
        auth: flags.auth,
        oauthScope: flags.oauthScope,
        oauthRedirectUrl: flags.oauthRedirectUrl,
        oauthClientMetadataUrl: flags.oauthClientMetadataUrl,
        sslVerify: flags.sslVerify,
        clientCert: flags.clientCert,
        clientKey: flags.clientKey,
      }),
    );
  }
  if (flags.disabled) server.enabled = false;
  if (flags.parallel) server.supportsParallelToolCalls = true;
  const mode = approvalMode(flags.approval);
  if (mode) server.codex = { defaultToolsApprovalMode: mode };
  const requestTimeoutMs = positiveSeconds(flags.timeout, "--timeout");
  if (requestTimeoutMs !== undefined) server.requestTimeoutMs = requestTimeoutMs;
  const connectionTimeoutMs = positiveSeconds(flags.connectTimeout, "--connect-timeout");
  if (connectionTimeoutMs !== undefined) server.connectionTimeoutMs = connectionTimeoutMs;
  const include = parseCsvList(flags.include);
  const exclude = parseCsvList(flags.exclude);
  if (include || exclude) server.toolFilter = { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
  return server;
}
