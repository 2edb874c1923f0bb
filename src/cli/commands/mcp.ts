// `openclaw mcp list|show|status|set|unset|add|probe`: the reference's registry of configured MCP
// servers (`mcp.servers`), printed as it prints them. Only `add` (unless --no-probe) and `probe`
// connect to a server; the rest read or edit the config file.
import {
  authoredMcpServers,
  type McpAddFlags,
  mcpServerFromFlags,
  normalizeMcpServer,
  withMcpServer,
  withoutMcpServer,
} from "../../config/mcp_edit.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { type McpServerSpec, resolveMcp } from "../../config/resolve_mcp.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { loadMcpConfig, writeMcpConfig } from "./mcp_common.ts";

const MCPORTER_NOTE =
  "Note: this command only shows OpenClaw-managed mcp.servers entries and does not include mcporter servers from config/mcporter.json.";

const load = loadMcpConfig;

function notFound(name: string, path: string): number {
  printError(`No MCP server named "${name}" in ${path}. Run openclaw mcp list to see configured servers.`);
  return 1;
}

/** `openclaw mcp list [--json]`: server names, sorted (JSON: the map as written). */
export async function mcpList(options: GlobalOptions & { json?: boolean }): Promise<number> {
  const snapshot = await load(options);
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
export async function mcpShow(name: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<number> {
  const snapshot = await load(options);
  const servers = authoredMcpServers(snapshot.authored);
  if (name !== undefined && !Object.hasOwn(servers, name)) return notFound(name, snapshot.path);
  const value = name === undefined ? servers : servers[name];
  if (!options.json) {
    printLine(
      name === undefined
        ? `OpenClaw-managed MCP servers (${snapshot.path}):`
        : `OpenClaw-managed MCP server "${name}" (${snapshot.path}):`,
    );
  }
  printJson(value);
  return 0;
}

function transportOf(spec: McpServerSpec): string {
  return spec.launch?.kind === "http" ? spec.launch.transport : "stdio";
}

function failedOf(
  mark: { failures: number; lastError?: string | undefined; retryAt: number } | undefined,
): { failed?: { failures: number; lastError?: string | undefined; retryAt: string } } {
  if (!mark) return {};
  const retryAt = new Date(mark.retryAt).toISOString();
  return { failed: { failures: mark.failures, ...(mark.lastError ? { lastError: mark.lastError } : {}), retryAt } };
}

/** `openclaw mcp status [--verbose] [--json]`: each server's transport, without connecting. */
export async function mcpStatus(options: GlobalOptions & { json?: boolean; verbose?: boolean }): Promise<number> {
  const snapshot = await load(options);
  const specs = resolveMcp(snapshot.config).servers.toSorted((a, b) => a.name.localeCompare(b.name));
  const env: EnvSnapshot = Deno.env.toObject();
  const { stateDir } = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const { readMcpFailedServers } = await import("../../server/mcp_failed_file.ts");
  // A server the running gateway gave up on (and whose config has not changed since) shows as failed.
  const marks = new Map(
    (await readMcpFailedServers(stateDir)).map((mark) => [`${mark.name}\n${mark.fingerprint}`, mark]),
  );
  const rows = specs.map((spec) => ({
    name: spec.name,
    configured: true,
    enabled: spec.enabled,
    ok: spec.launch !== undefined,
    transport: transportOf(spec),
    launch: spec.description,
    ...(spec.skipReason ? { error: spec.skipReason } : {}),
    requestTimeoutMs: spec.requestTimeoutMs,
    connectionTimeoutMs: spec.connectionTimeoutMs,
    supportsParallelToolCalls: spec.supportsParallelToolCalls,
    ...failedOf(marks.get(`${spec.name}\n${spec.fingerprint}`)),
  }));
  if (options.json) {
    printJson({ path: snapshot.path, servers: rows });
    return 0;
  }
  printLine(`MCP server status (${snapshot.path}):`);
  for (const row of rows) {
    const state = !row.enabled ? "disabled" : row.ok ? row.transport : `${row.transport} (${row.error})`;
    const failed = row.failed ? ` failed (${row.failed.lastError ?? "unknown error"})` : "";
    printLine(`- ${row.name}: ${state}${failed}`);
    if (options.verbose) {
      printLine(`  launch: ${row.launch}`);
      printLine(`  timeouts: connect=${row.connectionTimeoutMs}ms request=${row.requestTimeoutMs}ms`);
      if (row.failed) {
        printLine(`  failed: ${row.failed.failures} failures in a row; retry after ${row.failed.retryAt}`);
      }
    }
  }
  return 0;
}

async function save(options: GlobalOptions, name: string, value: unknown, probe: boolean): Promise<number> {
  const snapshot = await load(options);
  const normalized = normalizeMcpServer(name, value);
  if (!normalized.ok) {
    printError(normalized.reason);
    return 1;
  }
  if (probe) {
    const { probeMcpServer } = await import("../../server/mcp_probe.ts");
    const result = await probeMcpServer(normalized.spec);
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
export async function mcpSet(name: string, json: string, options: GlobalOptions): Promise<number> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    printError(`Invalid JSON: ${error}`);
    return 1;
  }
  return await save(options, name, value, false);
}

/** `openclaw mcp add <name> [flags]`: builds a definition from flags and, unless --no-probe, connects first. */
export async function mcpAdd(
  name: string,
  options: GlobalOptions & McpAddFlags & { probe?: boolean },
): Promise<number> {
  let server: Record<string, unknown>;
  try {
    server = mcpServerFromFlags(options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    printError(error.message);
    return 1;
  }
  return await save(options, name, server, options.probe !== false && server.enabled !== false);
}

/** `openclaw mcp unset <name>`: removes one definition; fails when it does not exist. */
export async function mcpUnset(name: string, options: GlobalOptions): Promise<number> {
  const snapshot = await load(options);
  if (!Object.hasOwn(authoredMcpServers(snapshot.authored), name)) return notFound(name, snapshot.path);
  await writeMcpConfig(snapshot, withoutMcpServer(snapshot.authored, name));
  printLine(`Removed MCP server "${name}" from ${snapshot.path}.`);
  return 0;
}

/** `openclaw mcp probe [name] [--json]`: connects to enabled servers and lists their tools. */
export async function mcpProbe(name: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<number> {
  const snapshot = await load(options);
  const all = resolveMcp(snapshot.config).servers;
  if (name !== undefined) {
    const named = all.find((spec) => spec.name === name);
    if (!named) return notFound(name, snapshot.path);
    if (!named.enabled) {
      printError(`MCP server "${name}" is disabled. Enable it with openclaw mcp configure ${name} --enable.`);
      return 1;
    }
  }
  const specs = all.filter((spec) => spec.enabled && (name === undefined || spec.name === name))
    .toSorted((a, b) => a.name.localeCompare(b.name));
  const { probeMcpServer } = await import("../../server/mcp_probe.ts");
  const results = await Promise.all(specs.map(async (spec) => ({ name: spec.name, ...await probeMcpServer(spec) })));
  if (options.json) {
    printJson({ path: snapshot.path, servers: results });
    return results.every((r) => r.ok) ? 0 : 1;
  }
  if (results.length === 0) {
    printLine(
      `No enabled MCP servers to probe in ${snapshot.path}. Add one with openclaw mcp add <name> --command <cmd>.`,
    );
    return 0;
  }
  printLine(`MCP server probe (${snapshot.path}):`);
  for (const result of results) {
    printLine(
      result.ok
        ? `- ${result.name}: ok, ${result.tools.length} tool${result.tools.length === 1 ? "" : "s"}`
        : `- ${result.name}: failed: ${result.error}`,
    );
  }
  return results.every((r) => r.ok) ? 0 : 1;
}
