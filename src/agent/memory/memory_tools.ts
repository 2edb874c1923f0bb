// The memory tools, `memory_search` and `memory_get`, with the reference's names, descriptions,
// argument schemas and JSON results (hits with path, line range, score and snippet; citations
// `Source: path#Lx-Ly` in direct chats by default). No tools when `memory.search.enabled` is off.
import type { AgentTool, ToolCall, ToolFamily, ToolHost, ToolResult } from "../tool.ts";
import { ToolError } from "../tool.ts";
import type { AgentSpec } from "../agents_config.ts";
import type { MemorySearchResult } from "./memory_search.ts";

const FILES = "MEMORY.md, USER.md, Markdown files recursively under memory/";
const SEARCH_CORPUS_OUTCOME_GUIDANCE =
  "Corpus outcomes cover each requested corpus; a corpus warning means results are partial and must be surfaced to the user.";
const GET_READ_OUTCOME_GUIDANCE =
  "status=ok means the requested excerpt was read; status=not_found means every requested available corpus missed; status=error means the requested read failed, not that memory is disabled.";

/** A tool answer as the reference's `jsonResult`: the JSON text for the model, the object for clients. */
export function jsonResult(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

/** Whether hits carry citations: `memory.citations` on/off, or (auto) only in direct chats. */
export function includeCitations(mode: "auto" | "on" | "off", sessionKey: string): boolean {
  if (mode !== "auto") return mode === "on";
  const parts = sessionKey.toLowerCase().split(":");
  const rest = parts[0] === "agent" && parts.length >= 3 ? parts.slice(2) : parts;
  return !rest.includes("channel") && !rest.includes("group");
}

/** The `corpus` values memory_search takes, in the reference's order. */
const SEARCH_CORPORA = ["memory", "wiki", "all", "sessions"];
/** The reference's outcome of the wiki corpus when no supplement is registered. */
const WIKI_NOT_REGISTERED = { corpus: "wiki", outcome: "not-registered" } as const;

/** A hit as the tool presents it: its corpus, and with citations its `Source:` line. */
export function presentResult(result: MemorySearchResult, cite: boolean): Record<string, unknown> {
  const range = result.startLine === result.endLine
    ? `#L${result.startLine}`
    : `#L${result.startLine}-L${result.endLine}`;
  const citation = cite ? `${result.path}${range}` : undefined;
  return {
    ...result,
    snippet: cite ? `${result.snippet.trimEnd()}\n\nSource: ${citation}` : result.snippet,
    corpus: result.source,
    citation,
  };
}

/** The reference's answer when search cannot run (an embedding error, or sessions not indexed). */
export function unavailableResult(error: string, warning: string, action: string): Record<string, unknown> {
  return { results: [], disabled: true, unavailable: true, error, warning, action, debug: { warning, action, error } };
}

function positiveInt(args: Record<string, unknown>, key: string): number | undefined {
  const value = args[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ToolError(`${key} must be a positive integer`);
  }
  return value;
}

function searchTool(host: ToolHost, agent: AgentSpec): AgentTool {
  return {
    name: "memory_search",
    label: "Memory Search",
    // The reference's memory tools are its memory-core plugin's (Tool Search ids `openclaw:memory-core:…`).
    catalogOrigin: { sourceName: "memory-core" },
    description:
      `Mandatory recall step: semantically search ${FILES} before answering questions about prior work, decisions, dates, people, preferences, or todos. Session results are transcript search references, not readable memory-file paths. Optional \`corpus=wiki\` or \`corpus=all\` also searches registered compiled-wiki supplements. \`corpus=memory\` restricts hits to indexed memory files (excludes session transcript chunks from ranking). \`corpus=sessions\` searches indexed session transcripts under the same visibility rules as session history tools and returns unavailable when semantic session indexing is disabled. ${SEARCH_CORPUS_OUTCOME_GUIDANCE} If response has disabled=true or stale=true, tell the user and include the warning/action guidance.`,
    parameters: {
      type: "object",
      properties: {
        query: { type: "string" },
        maxResults: { type: "integer", minimum: 1 },
        minScore: { type: "number" },
        corpus: { type: "string", enum: ["memory", "wiki", "all", "sessions"] },
      },
      required: ["query"],
      additionalProperties: false,
    },
    execute: async (args: Record<string, unknown>, call: ToolCall) => {
      const query = typeof args.query === "string" ? args.query.trim() : "";
      if (!query) throw new ToolError("query required");
      const maxResults = positiveInt(args, "maxResults");
      const minScore = typeof args.minScore === "number" && Number.isFinite(args.minScore) ? args.minScore : undefined;
      const corpus = args.corpus;
      // An unknown corpus fails closed, as the reference's (a schema enum is not enforced by every provider).
      if (corpus !== undefined && (typeof corpus !== "string" || !SEARCH_CORPORA.includes(corpus))) {
        throw new ToolError(`corpus must be one of: ${SEARCH_CORPORA.join(", ")}`);
      }
      const citations = agent.memory?.citations ?? "auto";
      // No compiled-wiki supplement is registered here: `wiki` finds nothing, and says so.
      if (corpus === "wiki") {
        return jsonResult({
          results: [],
          citations,
          corpora: [WIKI_NOT_REGISTERED],
          warning: "Wiki corpus is not registered; results do not cover that requested corpus.",
        });
      }
      if (corpus === "sessions") {
        return jsonResult(unavailableResult(
          "Session transcript search is not enabled.",
          "Memory search is unavailable due to an embedding/provider error.",
          "Check embedding provider configuration and retry memory_search.",
        ));
      }
      try {
        // The index (SQLite, hashing, chunking) loads with the first search, not with the gateway.
        const { agentEmbedder, searchAgentMemory } = await import("./agent_memory.ts");
        const outcome = await searchAgentMemory({
          stateDir: host.stateDir,
          stateAccess: host.stateAccess,
          agent,
          embedder: agentEmbedder(agent, host.agents().providers),
          query,
          maxResults,
          minScore,
          signal: call.signal,
        });
        const cite = includeCitations(citations, call.sessionKey);
        return jsonResult({
          results: outcome.results.map((result) => presentResult(result, cite)),
          provider: outcome.provider,
          model: outcome.model,
          citations,
          mode: outcome.mode,
          ...(corpus === "all" ? { corpora: [{ corpus: "memory", outcome: "ok" }, WIKI_NOT_REGISTERED] } : {}),
        });
      } catch (error) {
        if (call.signal.aborted) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        const quota = /insufficient_quota|quota|429/i.test(reason);
        return jsonResult(unavailableResult(
          reason,
          quota
            ? "Memory search is unavailable because the embedding provider quota is exhausted."
            : "Memory search is unavailable due to an embedding/provider error.",
          quota
            ? "Top up or switch embedding provider, then retry memory_search."
            : "Check embedding provider configuration and retry memory_search.",
        ));
      }
    },
  };
}

function getTool(agent: AgentSpec): AgentTool {
  return {
    name: "memory_get",
    label: "Memory Get",
    catalogOrigin: { sourceName: "memory-core" },
    description:
      `Safe exact excerpt read from ${FILES}. Session transcript paths are unsupported; use the available session-history workflow for session hits. Defaults to a bounded excerpt when lines are omitted and includes truncation/continuation info when more content exists. \`corpus=wiki\` reads registered compiled-wiki supplements. ${GET_READ_OUTCOME_GUIDANCE} ${SEARCH_CORPUS_OUTCOME_GUIDANCE}`,
    parameters: {
      type: "object",
      properties: {
        path: { type: "string" },
        from: { type: "integer", minimum: 1 },
        lines: { type: "integer", minimum: 1 },
        corpus: { type: "string", enum: ["memory", "wiki", "all"] },
      },
      required: ["path"],
      additionalProperties: false,
    },
    execute: async (args: Record<string, unknown>) => {
      const path = typeof args.path === "string" ? args.path.trim() : "";
      if (!path) throw new ToolError("path required");
      const from = positiveInt(args, "from");
      const lines = positiveInt(args, "lines");
      const { MemoryPathError, readMemoryFile } = await import("./memory_read.ts");
      try {
        return jsonResult(await readMemoryFile({ workspace: agent.workspace, path, from, lines }));
      } catch (error) {
        return jsonResult({
          path,
          text: "",
          status: "error",
          code: error instanceof MemoryPathError ? error.code : "MEMORY_READ_FAILED",
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };
}

/** The memory family: both tools, unless memory search is disabled for the agent. */
export const memoryTools: ToolFamily = (host, agent) =>
  agent.memory?.enabled === false ? [] : [searchTool(host, agent), getTool(agent)];
