// The Tool Search catalog of one turn: every tool the turn may use (the core tools the model also sees directly,
// and the deferred rest), each with the reference's id (`openclaw:core:web_fetch`, `openclaw:memory-core:memory_get`,
// `mcp:<server>:<tool>`), its compact form as `tool_search` and `tool_describe` show it, the ranking of a query,
// and the lookup by id or name with the reference's "Unknown tool id" words and suggestions.
import { compactInputHint } from "./tool_input_hint.ts";
import { documentTerms, parameterText, queryTerms, scoreDocuments } from "./tool_search_rank.ts";
import { type AgentTool, ToolError } from "./tool.ts";

/** The controls themselves: never in the catalog. */
export const TOOL_SEARCH_CONTROLS: ReadonlySet<string> = new Set(["tool_search", "tool_describe", "tool_call"]);

/** One catalog entry. */
export interface CatalogEntry {
  id: string;
  source: "openclaw" | "mcp";
  sourceName: string;
  mcp?: { serverName: string; safeServerName: string; toolName: string; operation: "tool" } | undefined;
  name: string;
  label?: string | undefined;
  description: string;
  parameters: Record<string, unknown>;
  tool: AgentTool;
}

/** An entry as a search result: what a model needs to pick and call it. */
export interface CompactEntry {
  id: string;
  source: string;
  sourceName: string;
  mcp?: CatalogEntry["mcp"];
  name: string;
  label?: string | undefined;
  description: string;
  input: string;
}

/** The words that end every unknown-id error: how to find a tool. */
const RECOVERY =
  "Use tool_search to find a tool, tool_describe to inspect it, then tool_call with the exact id or name.";

/** A tool's catalog entry: MCP tools under their server, memory tools under the reference's memory plugin. */
function entryOf(tool: AgentTool): CatalogEntry {
  const origin = tool.catalogOrigin;
  const source = origin?.mcp ? "mcp" : "openclaw";
  const sourceName = origin?.mcp?.safeServerName ?? origin?.sourceName ?? "core";
  return {
    id: `${source}:${sourceName}:${tool.name}`,
    source,
    sourceName,
    ...(origin?.mcp ? { mcp: { ...origin.mcp, operation: "tool" as const } } : {}),
    name: tool.name,
    label: tool.label,
    description: tool.description,
    parameters: tool.parameters,
    tool,
  };
}

/** The catalog of `tools`, ordered by id; the controls are left out. */
export function buildCatalog(tools: readonly AgentTool[]): CatalogEntry[] {
  return tools.filter((tool) => !TOOL_SEARCH_CONTROLS.has(tool.name)).map(entryOf)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** An entry as `tool_search` lists it; an MCP tool's input is `unknown` (its schema is the server's, untrusted). */
export function compactEntry(entry: CatalogEntry): CompactEntry {
  return {
    id: entry.id,
    source: entry.source,
    sourceName: entry.sourceName,
    ...(entry.mcp ? { mcp: entry.mcp } : {}),
    name: entry.name,
    label: entry.label,
    description: entry.description,
    input: entry.source === "openclaw" ? compactInputHint(entry.parameters) : "unknown",
  };
}

/** The text a query is matched against: name, id, label, description and (for our own tools) parameters. */
function searchText(entry: CatalogEntry): string {
  const parameters = entry.source === "openclaw" ? parameterText(entry.parameters) : "";
  return [entry.name, entry.id, entry.label ?? "", entry.description, parameters].filter(Boolean).join(" ");
}

/**
 * The best `limit` entries for `query`: an exact id or name first, then entries sharing a word the caller typed,
 * then by score, then by id. A query that matches nothing finds nothing.
 */
export function searchCatalog(catalog: readonly CatalogEntry[], query: string, limit: number): CatalogEntry[] {
  const spelling = query.trim();
  const lower = spelling.toLowerCase();
  const byId = catalog.find((entry) => entry.id === spelling);
  const exact = byId
    ? [byId]
    : catalog.filter((entry) => entry.name.toLowerCase() === lower || entry.id.toLowerCase() === lower);
  if (limit === 1 && exact.length === 1) return exact;
  const hits = scoreDocuments(catalog.map((entry) => ({ value: entry, terms: documentTerms(searchText(entry)) })), [
    ...queryTerms(query),
  ]);
  const exactSet = new Set(exact);
  const unscored = exact.filter((entry) => !hits.some((hit) => hit.value === entry));
  const ranked = hits.sort((a, b) =>
    Number(exactSet.has(b.value)) - Number(exactSet.has(a.value)) || Number(b.literal) - Number(a.literal) ||
    b.score - a.score || a.value.id.localeCompare(b.value.id)
  ).slice(0, Math.max(0, limit - unscored.length)).map((hit) => hit.value);
  return [...unscored, ...ranked].slice(0, limit);
}

function lookupTokens(text: string): Set<string> {
  return new Set(text.toLowerCase().split(/[^a-z0-9]+/u).filter(Boolean));
}

/** How close an entry is to a mistyped id: a shared name or id, shared words, the text inside its description. */
function closeness(needle: string, tokens: ReadonlySet<string>, entry: CatalogEntry): number {
  const name = entry.name.toLowerCase();
  const label = (entry.label ?? "").toLowerCase();
  const description = entry.description.toLowerCase();
  const own = lookupTokens(`${entry.name} ${entry.id} ${entry.label ?? ""} ${entry.description}`);
  let score = 0;
  if ((name && needle.includes(name)) || entry.id.toLowerCase().includes(needle)) score += 40;
  if (name && tokens.has(name)) score += 40;
  for (const token of tokens) if (own.has(token)) score += 12;
  if (label.includes(needle) || description.includes(needle)) score += 8;
  return score;
}

/** The reference's error for an id no entry has, with up to three close names (ids where two share a name). */
export function unknownToolError(needle: string, catalog: readonly CatalogEntry[]): ToolError {
  const counts = new Map<string, number>();
  for (const entry of catalog) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
  const lower = needle.toLowerCase();
  const tokens = lookupTokens(needle);
  const scored = catalog.map((entry) => ({
    value: (counts.get(entry.name) ?? 0) > 1 ? entry.id : entry.name,
    score: closeness(lower, tokens, entry),
  })).filter((c) => c.score > 0).sort((a, b) => b.score - a.score || a.value.localeCompare(b.value));
  const suggestions = [...new Set(scored.map((c) => c.value))].slice(0, 3);
  const hint = suggestions.length > 0 ? ` Did you mean: ${suggestions.join(", ")}?` : "";
  return new ToolError(`Unknown tool id: ${needle}.${hint} ${RECOVERY}`);
}

/** The entry an exact id, else a unique name, names. */
export function findEntry(catalog: readonly CatalogEntry[], id: string): CatalogEntry {
  const needle = id.trim();
  const byId = catalog.find((entry) => entry.id === needle);
  if (byId) return byId;
  const named = catalog.filter((entry) => entry.name === needle);
  if (named.length > 1) throw new ToolError(`Ambiguous tool name: ${needle}; use an exact tool id.`);
  if (!named[0]) throw unknownToolError(needle, catalog);
  return named[0];
}
