// `openclaw mcp doctor [name] [--probe] [--json]`: the reference's static checks of saved MCP servers
// (src/cli/commands/mcp_doctor_checks.ts), and with `--probe` a live listing of each enabled server that
// passed them. Fails (exit 1) when an error-level issue is found.
import { authoredMcpServers, resolveAuthoredMcpServer } from "../../config/mcp_edit.ts";
import { type McpServerSpec, resolveMcp } from "../../config/resolve_mcp.ts";
import { isJsonObject } from "../../log/json_object.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { loadValidMcpConfig, mcpFail, mcpNotFound, probeMcpServerLogged, runMcpCommand } from "./mcp_common.ts";
import {
  type McpDoctorHost,
  type McpDoctorIssue,
  mcpDoctorStaticIssues,
  mcpProbeApprovalIssues,
} from "./mcp_doctor_checks.ts";

/** The reference checks four servers at a time. */
const CONCURRENCY = 4;

async function statOf(path: string): Promise<Deno.FileInfo | undefined> {
  try {
    return await Deno.stat(path);
  } catch {
    return undefined;
  }
}

function realHost(): McpDoctorHost {
  return {
    cwd: Deno.cwd(),
    path: Deno.env.get("PATH"),
    isExecutableFile: async (path) => {
      const info = await statOf(path);
      return info?.isFile === true && ((info.mode ?? 0o111) & 0o111) !== 0;
    },
    isDirectory: async (path) => (await statOf(path))?.isDirectory === true,
    isFile: async (path) => (await statOf(path))?.isFile === true,
  };
}

async function probeIssues(
  name: string,
  server: Record<string, unknown>,
  spec: McpServerSpec,
): Promise<McpDoctorIssue[]> {
  const listing = await probeMcpServerLogged(spec);
  if (!listing.ok) return [{ level: "error", message: `probe failed: ${listing.error}` }];
  const { filteredMcpTools } = await import("../../server/mcp_probe.ts");
  return mcpProbeApprovalIssues(name, server, filteredMcpTools(spec, listing.tools));
}

async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** `openclaw mcp doctor [name] [--probe] [--json]`. */
export function mcpDoctor(
  name: string | undefined,
  options: GlobalOptions & { json?: boolean; probe?: boolean },
): Promise<number> {
  return runMcpCommand(async () => {
    const snapshot = await loadValidMcpConfig(options);
    const servers = authoredMcpServers(snapshot.authored);
    if (name !== undefined && name !== "" && !Object.hasOwn(servers, name)) {
      throw mcpNotFound(name, snapshot.path, options.json);
    }
    const selected = Object.entries(servers)
      .filter(([serverName, server]) => (!name || serverName === name) && isJsonObject(server))
      .toSorted(([a], [b]) => a.localeCompare(b)) as [string, Record<string, unknown>][];
    const host = realHost();
    // The probe connects with `${VAR}` substituted, as a run would.
    const resolved = new Map(resolveMcp(snapshot.config).servers.map((spec) => [spec.name, spec]));
    const results = await inPool(selected, CONCURRENCY, async ([serverName, server]) => {
      const issues = await mcpDoctorStaticIssues(serverName, server, host);
      const written = resolveAuthoredMcpServer(serverName, server);
      const skipped = written.skipReason;
      // The reference's transport resolution logs why a server without one is skipped.
      if (skipped) printError(`[bundle-mcp] skipped server "${serverName}" because ${skipped}.`);
      if (options.probe && server.enabled !== false && !issues.some((issue) => issue.level === "error")) {
        issues.push(...await probeIssues(serverName, server, resolved.get(serverName) ?? written));
      }
      return { name: serverName, ok: !issues.some((issue) => issue.level === "error"), issues };
    });
    const ok = results.every((result) => result.ok);
    if (options.json) {
      printJson({ path: snapshot.path, ok, servers: results });
      if (!ok) throw mcpFail("MCP doctor found errors.");
      return 0;
    }
    if (results.length === 0) {
      printLine(
        `No MCP servers configured in ${snapshot.path}. Add one with openclaw mcp add <name> --command <command>.`,
      );
      return 0;
    }
    printLine(`MCP doctor (${snapshot.path}):`);
    for (const result of results) {
      printLine(`- ${result.name}: ${result.ok ? "ok" : "issues"}`);
      for (const issue of result.issues) {
        const mark = issue.level === "error" ? "!" : issue.level === "warning" ? "-" : "i";
        printLine(`  ${mark} ${issue.level}: ${issue.message}`);
      }
    }
    if (!ok) throw mcpFail("MCP doctor found errors.");
    return 0;
  });
}
