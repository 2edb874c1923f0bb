// `openclaw mcp list|show|status|set|unset|add`: the reference's registry of configured MCP servers
// (`mcp.servers`), printed as it prints them. Only `add` (unless --no-probe) connects to a server; the
// rest read or edit the config file. An invalid config file is refused first, as the reference does.
import {
  authoredMcpServers,
  normalizeMcpServer,
  resolveAuthoredMcpServer,
  withMcpServer,
  withoutMcpServer,
} from "../../config/mcp_edit.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { ConfigSnapshot } from "../../config/load.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { type McpServerSpec, resolveMcp } from "../../config/resolve_mcp.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import {
  loadValidMcpConfig,
  mcpFail,
  mcpNotFound,
  probeMcpServerLogged,
  runMcpCommand,
  writeMcpConfig,
} from "./mcp_common.ts";
import { addedMcpServer, type McpAddFlags, McpFlagError } from "./mcp_server_edit.ts";

const MCPORTER_NOTE =
  "Note: this command only shows OpenClaw-managed mcp.servers entries and does not include mcporter servers from config/mcporter.json.";

/** `openclaw mcp list [--json]`: server names, sorted (JSON: the map as written). */
export function mcpList(options: GlobalOptions & { json?: boolean }): Promise<number> {
  return runMcpCommand(() => listServers(options));
}

async function listServers(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const snapshot = await loadValidMcpConfig(options);
  const servers = authoredMcpServers(snapshot.authored);
  if (options.json) {
    printJson(servers);
    return 0;
  }
  const names = Object.keys(servers).sort();
  if (names.length === 0) {
    printLine(
      `No OpenClaw-managed MCP servers configured in ${snapshot.path}. Add one with openclaw mcp set <name> '{"command":"uvx","args":["context7-mcp"]}'.`,
    );
    printLine(MCPORTER_NOTE);
    return 0;
  }
  printLine(`OpenClaw-managed MCP servers (${snapshot.path}):`);
  for (const name of names) printLine(`- ${name}`);
  printLine("");
  printLine(MCPORTER_NOTE);
  return 0;
}

/** `openclaw mcp show [name] [--json]`: one server's definition, or the whole map. */
export function mcpShow(name: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<number> {
  return runMcpCommand(async () => {
    const snapshot = await loadValidMcpConfig(options);
    const servers = authoredMcpServers(snapshot.authored);
    if (name && !Object.hasOwn(servers, name)) throw mcpNotFound(name, snapshot.path, options.json);
    const value = name ? servers[name] : servers;
    if (!options.json) {
      printLine(
        name
          ? `OpenClaw-managed MCP server "${name}" (${snapshot.path}):`
          : `OpenClaw-managed MCP servers (${snapshot.path}):`,
      );
    }
    printJson(value ?? {});
    return 0;
  });
}

function transportOf(spec: McpServerSpec): string | undefined {
  if (!spec.launch) return undefined;
  return spec.launch.kind === "http" ? spec.launch.transport : "stdio";
}

function failedOf(
  mark: { failures: number; lastError?: string | undefined; retryAt: number } | undefined,
): { failed?: { failures: number; lastError?: string | undefined; retryAt: string } } {
  if (!mark) return {};
  const retryAt = new Date(mark.retryAt).toISOString();
  return { failed: { failures: mark.failures, ...(mark.lastError ? { lastError: mark.lastError } : {}), retryAt } };
}

/**
 * The OAuth state the reference reports for an operator-authorized server: none is ever stored here
 * (this gateway has no MCP OAuth flow: `mcp login` refuses), so every flag is false and the state `unauthenticated`.
 */
const NO_OAUTH_CREDENTIALS = {
  hasTokens: false,
  requiresAuthorization: false,
  hasClientInformation: false,
  hasCodeVerifier: false,
  hasDiscoveryState: false,
  hasLastAuthorizationUrl: false,
  state: "unauthenticated",
};

/** One `mcp status` row, in the reference's keys and order (undefined keys are left out of JSON). */
function statusRow(name: string, server: Record<string, unknown>, spec: McpServerSpec) {
  const transport = transportOf(spec);
  const resolved = transport !== undefined;
  const oauth = isJsonObject(server.oauth) ? server.oauth : {};
  const operatorOAuth = server.auth === "oauth" && spec.launch?.kind === "http" && oauth.identity !== "per-requester";
  return {
    name,
    configured: true,
    enabled: spec.enabled,
    ok: spec.enabled && resolved,
    transport,
    launch: resolved ? spec.description : undefined,
    requestTimeoutMs: resolved ? spec.requestTimeoutMs : undefined,
    connectionTimeoutMs: resolved ? spec.connectionTimeoutMs : undefined,
    supportsParallelToolCalls: resolved ? spec.supportsParallelToolCalls : undefined,
    toolFilter: server.toolFilter,
    codex: server.codex,
    ...(server.auth ? { auth: server.auth } : {}),
    ...(operatorOAuth ? { authStatus: NO_OAUTH_CREDENTIALS } : {}),
  };
}

/** `openclaw mcp status [--verbose] [--json]`: each server's transport, without connecting. */
export function mcpStatus(options: GlobalOptions & { json?: boolean; verbose?: boolean }): Promise<number> {
  return runMcpCommand(async () => {
    const snapshot = await loadValidMcpConfig(options);
    const servers = Object.entries(authoredMcpServers(snapshot.authored))
      .filter((entry): entry is [string, Record<string, unknown>] => isJsonObject(entry[1]))
      .toSorted(([a], [b]) => a.localeCompare(b));
    const env: EnvSnapshot = Deno.env.toObject();
    const { stateDir } = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
    const { readMcpFailedServers } = await import("../../server/mcp_failed_file.ts");
    // A server the running gateway gave up on (and whose config has not changed since) shows as failed.
    const marks = new Map(
      (await readMcpFailedServers(stateDir)).map((mark) => [`${mark.name}\n${mark.fingerprint}`, mark]),
    );
    const running = new Map(resolveMcp(snapshot.config).servers.map((spec) => [spec.name, spec]));
    const rows = servers.map(([name, server]) => {
      const spec = resolveAuthoredMcpServer(name, server);
      // The reference resolves each server twice (its status and its requester count), logging a skip each time.
      if (spec.skipReason) {
        for (let time = 0; time < 2; time++) {
          printError(`[bundle-mcp] skipped server "${name}" because ${spec.skipReason}.`);
        }
      }
      const fingerprint = running.get(name)?.fingerprint;
      return { ...statusRow(name, server, spec), ...failedOf(marks.get(`${name}\n${fingerprint}`)) };
    });
    if (options.json) {
      printJson({ path: snapshot.path, servers: rows });
      return 0;
    }
    if (rows.length === 0) {
      printLine(`No MCP servers configured in ${snapshot.path}.`);
      return 0;
    }
    printLine(`MCP server status (${snapshot.path}):`);
    for (const row of rows) {
      const transport = row.enabled ? row.transport ?? "invalid" : "disabled";
      const auth = row.auth === "oauth" ? " oauth" : "";
      const filtered = row.toolFilter ? " tool-filtered" : "";
      const parallel = row.supportsParallelToolCalls ? " parallel" : "";
      // Ours: the gateway's failure state of a server it gave up on (docs/mcp.md).
      const failed = row.failed ? ` failed (${row.failed.lastError ?? "unknown error"})` : "";
      printLine(`- ${row.name}: ${transport}${auth}${filtered}${parallel}${failed}`);
      if (options.verbose) {
        printLine(`  launch: ${row.launch ?? "n/a"}`);
        printLine(
          `  timeouts: connect=${row.connectionTimeoutMs ?? "n/a"}ms request=${row.requestTimeoutMs ?? "n/a"}ms`,
        );
        if (row.auth === "oauth") printLine(`  oauth: ${row.authStatus?.state ?? "unauthenticated"}`);
        if (row.toolFilter) printLine(`  tools: ${JSON.stringify(row.toolFilter)}`);
        if (row.failed) {
          printLine(`  failed: ${row.failed.failures} failures in a row; retry after ${row.failed.retryAt}`);
        }
      }
    }
    return 0;
  });
}

async function save(snapshot: ConfigSnapshot, name: string, value: unknown, probe: boolean): Promise<number> {
  const normalized = normalizeMcpServer(name, value);
  if (!normalized.ok) {
    printError(normalized.reason);
    return 1;
  }
  if (probe) {
    const result = await probeMcpServerLogged(normalized.spec);
    if (!result.ok) {
      printError(`MCP probe failed for "${name}" in ${snapshot.path}: ${result.error}`);
      return 1;
    }
  }
  await writeMcpConfig(snapshot, withMcpServer(snapshot.authored, name, normalized.server));
  printLine(`Saved MCP server "${name}" to ${snapshot.path}.`);
  return 0;
}

/** `openclaw mcp set <name> <json>`: saves one definition as given (a CLI-native `type` becomes `transport`). */
export function mcpSet(name: string, json: string, options: GlobalOptions): Promise<number> {
  return runMcpCommand(async () => {
    // The reference refuses an invalid config file before it reads the arguments.
    const snapshot = await loadValidMcpConfig(options);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw mcpFail(`Invalid JSON: ${error}`);
    }
    return await save(snapshot, name, value, false);
  });
}

/** `openclaw mcp add <name> [flags]`: builds a definition from flags and, unless --no-probe, connects first. */
export function mcpAdd(name: string, options: GlobalOptions & McpAddFlags & { probe?: boolean }): Promise<number> {
  return runMcpCommand(async () => {
    // The reference refuses an invalid config file before it reads the flags.
    const snapshot = await loadValidMcpConfig(options);
    let server: Record<string, unknown>;
    try {
      server = addedMcpServer(options);
    } catch (error) {
      if (error instanceof McpFlagError) throw mcpFail(error.message);
      throw error;
    }
    // Unlike `set`, `add` never replaces a saved server.
    const target = name.trim();
    if (target && Object.hasOwn(authoredMcpServers(snapshot.authored), target)) {
      throw mcpFail(`MCP server ${JSON.stringify(target)} already exists.`);
    }
    // An OAuth server cannot answer before `mcp login`, so the reference saves it unprobed.
    const probe = options.probe !== false && server.enabled !== false && server.auth !== "oauth";
    const code = await save(snapshot, name, server, probe);
    if (code === 0 && server.auth === "oauth") {
      printLine(`Run openclaw mcp login ${name} to authorize this MCP server.`);
    }
    return code;
  });
}

/** `openclaw mcp unset <name>`: removes one definition; fails when it does not exist. */
export function mcpUnset(name: string, options: GlobalOptions): Promise<number> {
  return runMcpCommand(async () => {
    const snapshot = await loadValidMcpConfig(options);
    if (!Object.hasOwn(authoredMcpServers(snapshot.authored), name)) throw mcpNotFound(name, snapshot.path);
    await writeMcpConfig(snapshot, withoutMcpServer(snapshot.authored, name));
    printLine(`Removed MCP server "${name}" from ${snapshot.path}.`);
    return 0;
  });
}
