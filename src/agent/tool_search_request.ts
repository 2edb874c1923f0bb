// The arguments of Tool Search's controls as the reference 2026.9.6 reads them, with its words for each mistake:
// `tool_search`'s single query or batch (`queries`, at most 16, 50 results and 512 UTF-8 bytes of query text in all),
// and `tool_call`'s target and input (nested under `args` or `input`, dotted `args.x`, or flattened beside the id).
import { isJsonObject } from "../log/json_object.ts";
import type { ResolvedToolSearch } from "../config/resolve_tool_search.ts";
import type { CatalogEntry } from "./tool_search_catalog.ts";
import { ToolError } from "./tool.ts";

/** One search: its query and how many results it may give. */
export interface SearchAsk {
  query: string;
  limit: number;
}

/** A `tool_search` call: one search, or several answered grouped in order. */
export type SearchRequest = { kind: "single"; search: SearchAsk } | { kind: "batch"; searches: SearchAsk[] };

/** The keys a control's target may be given under. */
const SELECTOR_KEYS = ["id", "toolId", "name"] as const;

/** The most searches, results and query bytes one batch may ask for. */
const MAX_BATCH_QUERIES = 16;
const MAX_BATCH_RESULTS = 50;
const MAX_BATCH_QUERY_BYTES = 512;

function limitOf(value: unknown, settings: ResolvedToolSearch): number {
  if (value === undefined || value === null) return settings.searchDefaultLimit;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new ToolError("limit must be a positive integer.");
  }
  return Math.min(value, settings.maxSearchLimit);
}

function singleSearch(args: Record<string, unknown>, settings: ResolvedToolSearch): SearchAsk {
  if (typeof args.query !== "string") throw new ToolError("query must be a string.");
  const options = isJsonObject(args.options) ? args.options : undefined;
  return { query: args.query, limit: limitOf(args.limit ?? options?.limit, settings) };
}

function batchEntry(value: unknown, index: number, settings: ResolvedToolSearch): SearchAsk {
  const field = `queries[${index}]`;
  if (!isJsonObject(value)) throw new ToolError(`${field} must be an object.`);
  if (typeof value.query !== "string" || !value.query.trim()) {
    throw new ToolError(`${field}.query must be a non-empty string.`);
  }
  const query = value.query.trim();
  if ([...new Intl.Segmenter().segment(query)].length > 512) {
    throw new ToolError(`${field}.query must not exceed 512 characters.`);
  }
  try {
    return { query, limit: limitOf(value.limit, settings) };
  } catch (error) {
    throw error instanceof ToolError ? new ToolError(`${field}.${error.message}`) : error;
  }
}

/** A `tool_search` call's searches; a non-empty `query` beside a batch runs first, with its own limit. */
export function readSearchRequest(args: Record<string, unknown>, settings: ResolvedToolSearch): SearchRequest {
  const query = args.query ?? undefined;
  const queries = args.queries ?? undefined;
  if (query === undefined && queries === undefined) throw new ToolError("provide query or queries.");
  if (queries !== undefined && !Array.isArray(queries)) throw new ToolError("queries must be a non-empty array.");
  const batch = Array.isArray(queries) ? queries : [];
  if (query !== undefined && typeof query !== "string") throw new ToolError("query must be a string.");
  const single = typeof query === "string" && query.trim() ? query : undefined;
  if (batch.length === 0) {
    if (single === undefined && queries !== undefined) throw new ToolError("queries must be a non-empty array.");
    return { kind: "single", search: singleSearch(args, settings) };
  }
  if (single === undefined && ((args.limit ?? null) !== null || args.options !== undefined)) {
    throw new ToolError("set limit on each batch query, not on the batch request.");
  }
  const searches = batch.map((value, i) => batchEntry(value, i, settings));
  if (single !== undefined) searches.unshift({ query: single.trim(), limit: singleSearch(args, settings).limit });
  if (searches.length > MAX_BATCH_QUERIES) {
    throw new ToolError(`queries may contain at most ${MAX_BATCH_QUERIES} entries.`);
  }
  const total = searches.reduce((sum, s) => sum + s.limit, 0);
  if (total > MAX_BATCH_RESULTS) {
    throw new ToolError(
      `batch queries resolve to ${total} results, but may request at most ${MAX_BATCH_RESULTS} in total. An omitted ` +
        `limit counts as ${settings.searchDefaultLimit}; set smaller per-query limits and retry.`,
    );
  }
  const bytes = new TextEncoder().encode(JSON.stringify(searches.map((s) => s.query))).byteLength;
  if (bytes > MAX_BATCH_QUERY_BYTES) {
    throw new ToolError(`serialized batch query text may use at most ${MAX_BATCH_QUERY_BYTES} UTF-8 bytes.`);
  }
  return { kind: "batch", searches };
}

function selectorOf(args: Record<string, unknown>): string | undefined {
  const value = args.id ?? args.toolId ?? args.name;
  return typeof value === "string" && value.trim() ? value : undefined;
}

/** The target a `tool_describe` (or `tool_call`) names. */
export function readTargetId(args: Record<string, unknown>): string {
  const value = selectorOf(args);
  if (value === undefined) throw new ToolError("id must be a non-empty string.");
  return value.trim();
}

/** A control's arguments with a target wrapped in `args`/`input` lifted out, as models sometimes send them. */
export function liftWrappedTarget(args: Record<string, unknown>): Record<string, unknown> {
  if (SELECTOR_KEYS.some((key) => Object.hasOwn(args, key))) return args;
  const nested = args.args ?? args.input;
  if (!isJsonObject(nested)) return args;
  const selector = selectorOf(nested);
  if (selector === undefined) return args;
  const { args: _args, input: _input, ...rest } = args;
  return { ...rest, ...nested, id: selector };
}

/** A `tool_call`'s target and the input for it. */
export function readCallArgs(
  args: Record<string, unknown>,
  catalog: readonly CatalogEntry[],
): { id: string; input: unknown } {
  const dotted = Object.fromEntries(
    Object.entries(args).filter(([key]) => key.startsWith("args.") && key.length > 5).map((
      [key, value],
    ) => [key.slice(5), value]),
  );
  const nested = args.args ?? args.input;
  const nestedEmpty = isJsonObject(nested) && Object.keys(nested).length === 0;
  if (nested !== undefined && nested !== null && !nestedEmpty) {
    return { id: readTargetId(args), input: isJsonObject(nested) ? { ...dotted, ...nested } : nested };
  }
  // Flattened: the selector that names a catalog entry is the target, every other key is input.
  const matching = SELECTOR_KEYS.flatMap((key) => {
    const value = args[key];
    if (typeof value !== "string") return [];
    const matches = catalog.filter((entry) => entry.id === value || entry.name === value);
    return matches.length > 0 ? [{ key, matches }] : [];
  });
  if (new Set(matching.flatMap((m) => m.matches.map((e) => e.id))).size > 1) {
    throw new ToolError("Ambiguous tool selectors: pass the target tool id and nest target arguments under args.");
  }
  const matched = matching[0]?.key;
  const selector = matched ?? SELECTOR_KEYS.find((key) => args[key] !== undefined && args[key] !== null);
  const id = readTargetId(selector ? { [selector]: args[selector] } : args);
  const wrappers = new Set(["args", "input", ...matching.map((m) => m.key), ...(matched ? [] : [selector ?? "id"])]);
  const flattened = Object.fromEntries(
    Object.entries(args).filter(([key]) => !wrappers.has(key) && !(key.startsWith("args.") && key.length > 5)),
  );
  return { id, input: { ...dotted, ...flattened } };
}
