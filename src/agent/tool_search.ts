// Tool Search, on by default as in the reference 2026.9.6 (`tools.toolSearch`): a turn's model sees the core coding
// tools (read, write, edit, ls, apply_patch, exec, process) and three controls, `tool_search`, `tool_describe` and
// `tool_call`; every other tool the turn may use waits in a catalog the controls search, describe and call, so a
// large tool set (MCP servers' above all) costs the model a short list instead of every schema on every request.
// The controls' texts, results and errors are the reference's (recorded in tests/fixtures/tool_search/ref.json).
import type { ResolvedToolSearch } from "../config/resolve_tool_search.ts";
import { problemsOf } from "./tool_args_check.ts";
import { compactInputHint } from "./tool_input_hint.ts";
import {
  buildCatalog,
  type CatalogEntry,
  type CompactEntry,
  compactEntry,
  findEntry,
  searchCatalog,
} from "./tool_search_catalog.ts";
import { deferredToolDirectory } from "./tool_search_directory.ts";
import { liftWrappedTarget, readCallArgs, readSearchRequest, readTargetId } from "./tool_search_request.ts";
import { type AgentTool, ToolError, type ToolResult } from "./tool.ts";
import { truncateUtf16Safe } from "../text/utf16_slice.ts";
import { levenshtein } from "../text/edit_distance.ts";

/** The tools a model keeps seeing directly under Tool Search: a lookup before nearly every coding step costs more. */
const CORE_CODING_TOOLS: ReadonlySet<string> = new Set([
  "read",
  "write",
  "edit",
  "ls",
  "apply_patch",
  "exec",
  "process",
]);

/** Batch results: a candidate's description is cut to this, its other metadata to a budget, the whole text too. */
const BATCH_DESCRIPTION_CHARS = 180;
const BATCH_DESCRIPTION_SCAN_CHARS = 720;
const BATCH_METADATA_CHARS = 2_000;
const BATCH_RESPONSE_CHARS = 4_000;

function jsonText(value: unknown): ToolResult["content"] {
  return [{ type: "text", text: JSON.stringify(value, null, 2) }];
}

/**
 * A result whose details are a list, as the reference's single search gives them. `details` is typed as an object
 * for the tools that read it back (errors, loop findings); every reader treats a list as having no such fields.
 */
function listResult(list: unknown[]): ToolResult {
  return { content: jsonText(list), details: list as unknown as Record<string, unknown> };
}

/** A batch candidate's description: whitespace folded, cut at 177 characters with `...` when longer than 180. */
function batchDescription(description: string): string {
  const prefix = truncateUtf16Safe(description, BATCH_DESCRIPTION_SCAN_CHARS);
  const folded = prefix.replace(/\s+/g, " ").trim();
  if (prefix.length === description.length && folded.length <= BATCH_DESCRIPTION_CHARS) return folded;
  return `${truncateUtf16Safe(folded, BATCH_DESCRIPTION_CHARS - 3).trimEnd()}...`;
}

/** A batch candidate: its optional metadata may be left out to fit the budget. */
type BatchCandidate = Omit<CompactEntry, "sourceName"> & { sourceName?: string | undefined };

/** A batch candidate within the metadata budget; undefined when even its id, name and input do not fit. */
function batchCandidate(candidate: CompactEntry): BatchCandidate | undefined {
  const mandatory = candidate.id.length + candidate.source.length + candidate.name.length + candidate.input.length;
  if (mandatory > BATCH_METADATA_CHARS) return undefined;
  let remaining = BATCH_METADATA_CHARS - mandatory;
  const retain = (value: string | undefined) => {
    if (value === undefined || value.length > remaining) return undefined;
    remaining -= value.length;
    return value;
  };
  const sourceName = retain(candidate.sourceName);
  const label = retain(candidate.label);
  const mcp = candidate.mcp;
  const mcpChars = mcp ? mcp.serverName.length + mcp.safeServerName.length + mcp.toolName.length + 4 : 0;
  return {
    ...candidate,
    description: batchDescription(candidate.description),
    sourceName,
    label,
    mcp: mcp && mcpChars <= remaining ? mcp : undefined,
  };
}

/** The batch answer: groups in request order, the longest group's last candidate dropped until the text fits. */
function batchResult(groups: { query: string; candidates: CompactEntry[] }[]): ToolResult {
  const bounded = groups.map((group) => {
    const candidates = group.candidates.map(batchCandidate).filter((c): c is BatchCandidate => c !== undefined);
    return { ...group, candidates, ...(candidates.length < group.candidates.length ? { truncated: true } : {}) };
  });
  const payload = () => ({
    results: bounded,
    ...(bounded.some((group) => group.truncated) ? { truncated: true } : {}),
  });
  while (JSON.stringify(payload(), null, 2).length > BATCH_RESPONSE_CHARS) {
    let longest: (typeof bounded)[number] | undefined;
    for (const group of bounded) {
      if (group.candidates.length === 0) continue;
      const longer = !longest || group.candidates.length > longest.candidates.length ||
        (group.candidates.length === longest.candidates.length &&
          JSON.stringify(group.candidates.at(-1)).length > JSON.stringify(longest.candidates.at(-1)).length);
      if (longer) longest = group;
    }
    if (!longest) break;
    longest.candidates.pop();
    longest.truncated = true;
  }
  return { content: jsonText(payload()), details: payload() };
}

/** Refuses input that breaks an entry's schema, in the reference's words (MCP servers check their own). */
function checkInput(entry: CatalogEntry, input: unknown): void {
  if (entry.source !== "openclaw") return;
  const problems = problemsOf(entry.parameters, input);
  if (problems.length === 0) return;
  const known = Object.keys((entry.parameters.properties ?? {}) as Record<string, unknown>);
  const nearest = problems.flatMap((p) => {
    const extra = p.additionalProperty;
    if (!extra) return [];
    const bound = Math.min(3, Math.max(1, Math.ceil(extra.length / 3)));
    const best = known.map((name) => ({ name, d: levenshtein(extra, name) })).filter((c) => c.d <= bound)
      .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))[0];
    return best ? [best.name] : [];
  });
  const hint = nearest.length > 0 ? ` Did you mean: ${[...new Set(nearest)].slice(0, 3).join(", ")}?` : "";
  const input_ = compactInputHint(entry.parameters);
  const signature = input_ === "unknown" ? "" : ` Expected input: ${input_}.`;
  const details = problems.map((p) => `${p.path}: ${p.message}`).join("; ");
  throw new ToolError(`Invalid arguments for tool "${entry.id}": ${details}.${hint}${signature}`);
}

/** The three controls over `catalog`. */
export function toolSearchControls(catalog: readonly CatalogEntry[], settings: ResolvedToolSearch): AgentTool[] {
  const limit = settings.searchDefaultLimit;
  return [
    {
      name: "tool_search",
      label: "Tool Search",
      description:
        "Search the effective Tool Search catalog. Pass query for one search or queries for several independent searches in one call; a non-empty query joins a non-empty batch first, with its own limit. Batch results stay grouped in request order. Queries must be in English: matching is lexical against tool names and descriptions, which are written in English, so another language will usually match nothing. Pass an exact result id or name to tool_call; use tool_describe only when you need its input schema.",
      parameters: {
        type: "object",
        properties: {
          query: {
            anyOf: [{ type: "string" }, { type: "null" }],
            description:
              "Single search query, in English. A non-empty query joins a non-empty batch first. Null or blank is ignored beside a non-empty batch.",
          },
          limit: {
            anyOf: [{ type: "integer", minimum: 1 }, { type: "null" }],
            description:
              "Maximum number of single-search results. Omitted or null uses the default. With only batch queries, omit this or set it to null; set limits on each batch entry.",
          },
          queries: {
            anyOf: [{
              type: "array",
              items: {
                type: "object",
                required: ["query"],
                properties: {
                  query: {
                    type: "string",
                    minLength: 1,
                    maxLength: 512,
                    description: "Search query, in English. Describe the capability you need.",
                  },
                  limit: {
                    type: "integer",
                    minimum: 1,
                    description: `Maximum results for this query. Defaults to ${limit} when omitted.`,
                  },
                },
              },
              maxItems: 16,
            }, { type: "null" }],
            description:
              `Independent searches. Prefer this alone for several searches; a non-empty query beside it runs as the first entry. Their effective limits may total at most 50; an omitted item limit counts as ${limit}. The serialized query strings may use at most 512 UTF-8 bytes in total.`,
          },
        },
      },
      execute: (args) => {
        const request = readSearchRequest(args, settings);
        const search = (ask: { query: string; limit: number }) =>
          searchCatalog(catalog, ask.query, ask.limit).map(compactEntry);
        if (request.kind === "single") return Promise.resolve(listResult(search(request.search)));
        return Promise.resolve(batchResult(request.searches.map((ask) => ({
          query: ask.query,
          candidates: search(ask),
        }))));
      },
    },
    {
      name: "tool_describe",
      label: "Tool Describe",
      description: "Load the full schema and metadata for one search result when its input is not already clear.",
      parameters: {
        type: "object",
        required: ["id"],
        properties: { id: { type: "string", description: "Tool search result id or tool name." } },
      },
      // A target wrapped in `args`/`input` is lifted out before the schema check, as the reference's dispatchers do.
      prepareArgs: liftWrappedTarget,
      execute: (args) => {
        const entry = findEntry(catalog, readTargetId(liftWrappedTarget(args)));
        const described = { ...compactEntry(entry), parameters: entry.parameters };
        return Promise.resolve({ content: jsonText(described), details: described });
      },
    },
    {
      name: "tool_call",
      label: "Tool Call",
      description: "Call an exact Tool Search result id or name through OpenClaw.",
      parameters: {
        type: "object",
        required: ["id"],
        properties: {
          id: { type: "string", description: "Tool search result id or tool name." },
          args: { type: "object", patternProperties: { "^.*$": {} }, description: "Tool input." },
        },
      },
      // A target wrapped in `args`/`input` is lifted out before the schema check, as the reference's dispatchers do.
      prepareArgs: liftWrappedTarget,
      execute: async (args, call) => {
        const target = readCallArgs(liftWrappedTarget(args), catalog);
        const entry = findEntry(catalog, target.id);
        const input = target.input ?? {};
        checkInput(entry, input);
        // Run as a call of its own inside this one, as the reference's Tool Search executor runs it: clients show
        // it as its own card under the `tool_call` card, and the transcript keeps it for them.
        const run = (toolCallId: string, update: (partial: ToolResult) => void) =>
          entry.tool.execute(input as Record<string, unknown>, { ...call, toolCallId, update });
        const inner = call.nested
          ? await call.nested({ name: entry.name, args: input as Record<string, unknown> }, run)
          : await run(call.toolCallId, call.update);
        const result = { content: inner.content, ...(inner.details !== undefined ? { details: inner.details } : {}) };
        const text = jsonText({ tool: { id: entry.id, name: entry.name, source: entry.source }, result });
        const details = { tool: compactEntry(entry), result, ...(inner.isError ? { status: "error" } : {}) };
        return { content: text, details, ...(inner.isError ? { isError: true } : {}) };
      },
    },
  ];
}

/** A turn's tools under Tool Search, and the directory of deferred tools its system prompt carries. */
export interface SearchSurface {
  tools: AgentTool[];
  /** Absent when Tool Search is off. */
  directory?: string | undefined;
}

/**
 * The tools a turn's model is offered under `settings`: all of `tools` when Tool Search is off; otherwise the core
 * coding tools and the three controls over a catalog of all of them, sorted by name as the reference sends them.
 */
export function withToolSearch(tools: readonly AgentTool[], settings: ResolvedToolSearch): SearchSurface {
  if (!settings.enabled) return { tools: [...tools] };
  const catalog = buildCatalog(tools);
  const direct = tools.filter((tool) => CORE_CODING_TOOLS.has(tool.name) && tool.catalogOrigin === undefined);
  const offered = [...direct, ...toolSearchControls(catalog, settings)].sort((a, b) => a.name.localeCompare(b.name));
  return { tools: offered, directory: deferredToolDirectory(catalog, new Set(direct.map((tool) => tool.name))) };
}

/** The most surfaces kept (an agent's owner and non-owner turns, a few agents); past it the oldest go first. */
const MAX_KEPT_SURFACES = 16;

/**
 * Surfaces built for earlier turns, each with the tools and settings it was built from: a turn that offers the same
 * tools under the same settings reuses its surface instead of building the catalog, the controls and the directory
 * again (0.09 ms a run, most of it the directory's input hints; docs/performance.md, session 30).
 */
export type SearchSurfaces = { tools: readonly AgentTool[]; settings: ResolvedToolSearch; surface: SearchSurface }[];

/**
 * Whether two tools are one for the surface: the same object, or a copy of it (offered_tools.ts copies a tool to
 * reword its description each turn) that keeps every field the catalog, the controls and the directory read.
 */
function sameTool(a: AgentTool, b: AgentTool): boolean {
  return a === b || (a.name === b.name && a.execute === b.execute && a.description === b.description &&
    a.parameters === b.parameters && a.label === b.label && a.catalogOrigin === b.catalogOrigin);
}

/** {@link withToolSearch}, from `kept` when an earlier turn offered the same tools under the same settings. */
export function keptToolSearch(
  kept: SearchSurfaces,
  tools: readonly AgentTool[],
  settings: ResolvedToolSearch,
): SearchSurface {
  const index = kept.findIndex((entry) =>
    entry.settings === settings && entry.tools.length === tools.length &&
    entry.tools.every((tool, i) => sameTool(tool, tools[i]!))
  );
  const hit = index >= 0 ? kept.splice(index, 1)[0]! : undefined;
  const entry = hit ?? { tools: [...tools], settings, surface: withToolSearch(tools, settings) };
  kept.push(entry);
  if (kept.length > MAX_KEPT_SURFACES) kept.shift();
  // A copy of the list: the turn may add the caller's own tools to it.
  return { ...entry.surface, tools: [...entry.surface.tools] };
}
