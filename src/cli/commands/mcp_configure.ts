// `openclaw mcp tools` and `openclaw mcp configure`: edit one saved `mcp.servers` entry in place, as the
// reference does (src/cli/commands/mcp_server_edit.ts holds the edits), and `openclaw mcp reload`.
import {
  authoredMcpServers,
  invalidMcpServerEdit,
  resolveAuthoredMcpServer,
  withMcpServer,
  withoutMcpServer,
} from "../../config/mcp_edit.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printLine } from "../output.ts";
import {
  loadValidMcpConfig,
  mcpFail,
  mcpNotFound,
  probeMcpServerLogged,
  runMcpCommand,
  writeMcpConfig,
} from "./mcp_common.ts";
import {
  canonicalMcpServer,
  configuredMcpServer,
  type McpConfigureFlags,
  McpFlagError,
  parseCsvList,
  withToolSelection,
} from "./mcp_server_edit.ts";

/** `openclaw mcp tools <name> [--include csv] [--exclude csv] [--clear]`: sets the server's `toolFilter`. */
export function mcpTools(
  name: string,
  options: GlobalOptions & { include?: string; exclude?: string; clear?: boolean },
): Promise<number> {
  return runMcpCommand(async () => {
    // The reference refuses an invalid config file before it reads the flags.
    const snapshot = await loadValidMcpConfig(options);
    if (!options.clear && options.include === undefined && options.exclude === undefined) {
      throw mcpFail("Specify --include, --exclude, or --clear.");
    }
    const servers = authoredMcpServers(snapshot.authored);
    const server = servers[name];
    if (!Object.hasOwn(servers, name) || !isJsonObject(server)) throw mcpNotFound(name, snapshot.path);
    const next = withToolSelection(
      server,
      options.clear ? null : { include: parseCsvList(options.include), exclude: parseCsvList(options.exclude) },
    );
    const invalid = invalidMcpServerEdit(name, next, "tool selection update");
    if (invalid) throw mcpFail(invalid);
    await writeMcpConfig(snapshot, withMcpServer(snapshot.authored, name, next));
    printLine(`Updated MCP tool selection for "${name}" in ${snapshot.path}.`);
    return 0;
  });
}

/** `openclaw mcp configure <name> [flags] [--probe]`: updates operator controls without replacing the server. */
export function mcpConfigure(
  name: string,
  options: GlobalOptions & McpConfigureFlags & { probe?: boolean },
): Promise<number> {
  return runMcpCommand(async () => {
    // The reference refuses an invalid config file before it reads the flags.
    const snapshot = await loadValidMcpConfig(options);
    if (options.enable && options.disable) throw mcpFail("Specify only one of --enable or --disable.");
    const servers = authoredMcpServers(snapshot.authored);
    const server = servers[name];
    if (!Object.hasOwn(servers, name) || !isJsonObject(server)) throw mcpNotFound(name, snapshot.path);
    let next: Record<string, unknown>;
    try {
      next = configuredMcpServer(server, options);
    } catch (error) {
      if (error instanceof McpFlagError) throw mcpFail(error.message);
      throw error;
    }
    if (options.probe && next.enabled !== false && next.auth !== "oauth") {
      const result = await probeMcpServerLogged(resolveAuthoredMcpServer(name, next));
      if (!result.ok) throw mcpFail(`MCP probe failed for "${name}" in ${snapshot.path}: ${result.error}`);
    }
    // Enabling a server saved only to disable it leaves nothing to keep: the reference removes the entry.
    if (options.enable && Object.keys(next).length === 0) {
      await writeMcpConfig(snapshot, withoutMcpServer(snapshot.authored, name));
      printLine(`Removed disabled MCP override for "${name}" in ${snapshot.path}.`);
      return 0;
    }
    const saved = canonicalMcpServer(next);
    const invalid = invalidMcpServerEdit(name, saved, "configure");
    if (invalid) throw mcpFail(invalid);
    await writeMcpConfig(snapshot, withMcpServer(snapshot.authored, name, saved));
    printLine(`Updated MCP server "${name}" in ${snapshot.path}.`);
    return 0;
  });
}

/**
 * `openclaw mcp reload`: the reference disposes the MCP runtimes cached in its own CLI process; this
 * CLI process holds none (the gateway reloads `mcp` itself when the config changes), so it only says so,
 * after refusing an invalid config file as the reference does.
 */
export function mcpReload(options: GlobalOptions): Promise<number> {
  return runMcpCommand(async () => {
    await loadValidMcpConfig(options);
    printLine("Disposed cached MCP runtimes. Active agents use new MCP config on their next runtime build.");
    return 0;
  });
}
