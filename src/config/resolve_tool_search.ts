// `tools.toolSearch` as the reference 2026.9.6 reads it: unset is on (mode `tools`); `true` is on; `false` is off;
// an object is on when it says so (`enabled`) or sets anything else (`{}` is off). Limits are clamped: the most
// results a search may ask for 1-50 (default 20), the default 1 to that (default 8). The reference's `code` mode runs
// searches as JavaScript in a Node subprocess and falls back to `tools` where it cannot; this gateway always offers
// the `tools` controls, and `directory` is read as `tools` too (docs/compatibility.md, Tool Search).
import { isJsonObject } from "../log/json_object.ts";
import type { RawConfig } from "./schema.ts";

/** Tool Search as configured. */
export interface ResolvedToolSearch {
  /** Whether the model sees the core tools plus tool_search/tool_describe/tool_call, the rest deferred. */
  enabled: boolean;
  /** The mode as written (`tools`, `code`, `directory`); every mode offers the `tools` controls here. */
  mode: "tools" | "code" | "directory";
  /** Results a search gives when it names no limit. */
  searchDefaultLimit: number;
  /** The most results one search may ask for. */
  maxSearchLimit: number;
}

const DEFAULT_SEARCH_LIMIT = 8;
const DEFAULT_MAX_SEARCH_LIMIT = 20;

function positiveInteger(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : fallback;
}

/** `tools.toolSearch` of a config, with the reference's defaults and clamps. */
export function resolveToolSearch(config: RawConfig): ResolvedToolSearch {
  const tools = (config as Record<string, unknown>).tools;
  const written = isJsonObject(tools) ? tools.toolSearch : undefined;
  const raw: Record<string, unknown> = written === undefined
    ? { enabled: true, mode: "tools" }
    : typeof written === "boolean"
    ? { enabled: written }
    : isJsonObject(written)
    ? written
    : {};
  const mode = raw.mode === "tools" || raw.mode === "directory" || raw.mode === "code" ? raw.mode : "code";
  const configured = Object.keys(raw).some((key) => key !== "enabled");
  const maxSearchLimit = Math.max(1, Math.min(50, positiveInteger(raw.maxSearchLimit, DEFAULT_MAX_SEARCH_LIMIT)));
  return {
    enabled: typeof raw.enabled === "boolean" ? raw.enabled : configured,
    mode,
    searchDefaultLimit: Math.max(
      1,
      Math.min(maxSearchLimit, positiveInteger(raw.searchDefaultLimit, DEFAULT_SEARCH_LIMIT)),
    ),
    maxSearchLimit,
  };
}
