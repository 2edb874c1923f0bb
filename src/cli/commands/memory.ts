// `openclaw memory status|index|search`: the agent's memory index on this host, printed as the
// reference prints it (its status lines, "Memory index updated (<agent>): N files indexed.",
// search hits as `<score> <path>:<start>-<end>` and the snippet; `--json` as the reference's keys
// where this gateway has the data).
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import {
  type LocalMemory,
  localMemoryAgent,
  localMemoryIndex,
  localMemorySearch,
  localMemoryStatus,
} from "../../server/local_memory.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";

/** Options of the memory commands. */
export interface MemoryOptions extends GlobalOptions {
  agent?: string;
  json?: boolean;
  force?: boolean;
  query?: string;
  maxResults?: string;
  minScore?: string;
}

function bytes(n: number): string {
  if (n < 1024) return `${n.toFixed(1)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

async function status(m: LocalMemory, options: MemoryOptions): Promise<number> {
  const s = await localMemoryStatus(m);
  if (options.json) {
    printJson([{
      agentId: m.agent.id,
      status: {
        backend: "builtin",
        files: s.files,
        chunks: s.chunks,
        dirty: s.dirty,
        workspaceDir: m.agent.workspace,
        dbPath: s.dbPath,
        provider: s.provider,
        requestedProvider: s.provider,
        ...(s.model ? { model: s.model } : {}),
        sources: ["memory"],
        extraPaths: [],
        sourceCounts: [{
          source: "memory",
          files: s.files,
          chunks: s.chunks,
          chunkBytes: s.chunkBytes,
          dirty: s.dirty,
          eligible: s.eligible,
          issues: s.eligible === 0 ? ["no eligible memory files found"] : [],
        }],
        fts: { enabled: true, available: true },
        vector: { enabled: s.provider !== "none" },
      },
    }]);
    return 0;
  }
  const lines = [
    `Memory Search (${m.agent.id})`,
    `Provider: ${s.provider} (requested: ${s.provider})`,
    `Model: ${s.model ?? "none"}`,
    "Sources: memory",
    `Indexed: ${s.files}/${s.eligible} files · ${s.chunks} chunks`,
    `Dirty: ${s.dirty ? "yes" : "no"}`,
    `Store: ${s.dbPath}`,
    `Workspace: ${m.agent.workspace}`,
    "By source:",
    `  memory · ${s.files}/${s.eligible} files · ${s.chunks} chunks · ${bytes(s.chunkBytes)} text + embeddings`,
    `Vector store: ${s.provider === "none" ? "disabled" : "ready"}`,
    "FTS: ready",
  ];
  if (s.eligible === 0) lines.push("Issues:", "  no eligible memory files found");
  printLine(lines.join("\n"));
  return 0;
}

function numberOption(text: string | undefined, name: string): number | undefined | string {
  if (text === undefined) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : `${name} must be a number`;
}

async function search(m: LocalMemory, query: string | undefined, options: MemoryOptions): Promise<number> {
  const text = (query ?? options.query ?? "").trim();
  if (!text) {
    printError("Missing search query. Provide a positional query or --query <text>.");
    return 1;
  }
  const maxResults = numberOption(options.maxResults, "--max-results");
  const minScore = numberOption(options.minScore, "--min-score");
  for (const bad of [maxResults, minScore]) {
    if (typeof bad === "string") {
      printError(bad);
      return 1;
    }
  }
  const results = await localMemorySearch(m, text, {
    maxResults: maxResults as number | undefined,
    minScore: minScore as number | undefined,
  });
  if (options.json) {
    printJson({ results });
    return 0;
  }
  if (results.length === 0) {
    printLine("No matches.");
    return 0;
  }
  printLine(
    results.map((r) => `${r.score.toFixed(3)} ${r.path}:${r.startLine}-${r.endLine}\n${r.snippet}`).join("\n\n"),
  );
  return 0;
}

/** Runs one memory subcommand; exit 1 for an unknown agent or a bad argument. */
export async function memoryCommand(
  action: "status" | "index" | "search",
  query: string | undefined,
  options: MemoryOptions,
): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const m = await localMemoryAgent(paths, env, options.agent);
  if (typeof m === "string") {
    printError(m);
    return 1;
  }
  if (action === "status") return status(m, options);
  if (action === "search") return search(m, query, options);
  const result = await localMemoryIndex(m, options.force === true);
  printLine(`Memory index updated (${m.agent.id}): ${result.files} files indexed.`);
  return 0;
}
