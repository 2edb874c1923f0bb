// `openclaw mcp probe [name] [--json]`: connects to each enabled saved server, lists what it offers and
// prints the reference's catalog of them (`{generatedAt, servers, tools, diagnostics}` with --json).
import { authoredMcpServers } from "../../config/mcp_edit.ts";
import { resolveMcp } from "../../config/resolve_mcp.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { loadValidMcpConfig, mcpFail, mcpNotFound, probeMcpServerLogged, runMcpCommand } from "./mcp_common.ts";
import { MCP_APPROVAL_HINT, mcpCodexApprovalMode, mcpProbeApprovalIssues } from "./mcp_doctor_checks.ts";

/** What the reference says of one server that connected. */
interface McpProbedServer {
  launch: string;
  tools: number;
  codexApprovalMode: string;
  approvalHint?: string;
  requestTimeoutMs?: number;
  supportsParallelToolCalls?: boolean;
  filteredTools?: number;
}

/** Why one server did not connect, as the reference's catalog records it. */
interface McpProbeDiagnostic {
  serverName: string;
  safeServerName: string;
  launchSummary: string;
  message: string;
}

/** `openclaw mcp probe [name] [--json]`. */
export function mcpProbe(name: string | undefined, options: GlobalOptions & { json?: boolean }): Promise<number> {
  return runMcpCommand(async () => {
    const snapshot = await loadValidMcpConfig(options);
    const authored = authoredMcpServers(snapshot.authored);
    if (name && !Object.hasOwn(authored, name)) throw mcpNotFound(name, snapshot.path, options.json);
    const selected = Object.entries(authored)
      .filter((entry): entry is [string, Record<string, unknown>] =>
        (!name || entry[0] === name) && isJsonObject(entry[1])
      );
    if (name && selected.some(([, server]) => server.enabled === false)) {
      throw mcpFail(
        `MCP server "${name}" is disabled in ${snapshot.path}. Run openclaw mcp configure ${name} --enable before probing it.`,
        options.json,
      );
    }
    const enabled = selected.filter(([, server]) => server.enabled !== false);
    if (!options.json && enabled.length === 0) {
      printLine(
        `No enabled MCP servers in ${snapshot.path}. Add one with openclaw mcp add <name> --command <command> or enable one with openclaw mcp configure <name> --enable.`,
      );
      return 0;
    }
    // The probe connects with `${VAR}` substituted, as a run would.
    const specs = new Map(resolveMcp(snapshot.config).servers.map((spec) => [spec.name, spec]));
    const { mcpOfferedTools, mcpSafeServerName } = await import("../../server/mcp_probe.ts");
    const servers: Record<string, McpProbedServer> = {};
    const tools: string[] = [];
    const diagnostics: McpProbeDiagnostic[] = [];
    const outcomes = await Promise.all(enabled.map(async ([serverName, server]) => {
      const spec = specs.get(serverName);
      if (!spec?.launch) {
        printError(`[bundle-mcp] skipped server "${serverName}" because ${spec?.skipReason ?? "it is invalid"}.`);
        return undefined;
      }
      return { serverName, server, spec, listing: await probeMcpServerLogged(spec) };
    }));
    for (const outcome of outcomes) {
      if (!outcome) continue;
      const { serverName, server, spec, listing } = outcome;
      const offered = listing.ok ? mcpOfferedTools(spec, listing.tools) : [];
      if (!listing.ok) {
        diagnostics.push({
          serverName,
          safeServerName: mcpSafeServerName(spec),
          launchSummary: spec.description,
          message: listing.error,
        });
        continue;
      }
      const codexApprovalMode = mcpCodexApprovalMode(serverName, server);
      const hint = mcpProbeApprovalIssues(serverName, server, offered.map(({ tool }) => tool)).length > 0;
      const filtered = listing.tools.length - offered.length;
      servers[serverName] = {
        launch: spec.description,
        tools: offered.length,
        codexApprovalMode,
        ...(hint ? { approvalHint: MCP_APPROVAL_HINT } : {}),
        ...(spec.requestTimeoutMs ? { requestTimeoutMs: spec.requestTimeoutMs } : {}),
        ...(spec.supportsParallelToolCalls ? { supportsParallelToolCalls: true } : {}),
        ...(filtered > 0 ? { filteredTools: filtered } : {}),
      };
      tools.push(...offered.map((entry) => entry.name));
    }
    const sorted = Object.fromEntries(Object.entries(servers).toSorted(([a], [b]) => a.localeCompare(b)));
    if (options.json) {
      printJson({ generatedAt: new Date().toISOString(), servers: sorted, tools: tools.toSorted(), diagnostics });
    } else {
      printLine(`MCP probe (${snapshot.path}):`);
      for (const [serverName, server] of Object.entries(sorted)) {
        printLine(`- ${serverName}: ${server.tools} tools, Codex approval ${server.codexApprovalMode}`);
        if (server.approvalHint) printLine(`  i ${server.approvalHint}`);
      }
      for (const diagnostic of diagnostics) printLine(`! ${diagnostic.serverName}: ${diagnostic.message}`);
    }
    const first = diagnostics[0];
    if (first) {
      printError(`MCP probe failed for "${first.serverName}" in ${snapshot.path}: ${first.message}`);
      return 1;
    }
    const missed = enabled.find(([serverName]) => !servers[serverName]);
    if (missed) {
      printError(`MCP probe did not connect to "${missed[0]}" in ${snapshot.path}.`);
      return 1;
    }
    return 0;
  });
}
