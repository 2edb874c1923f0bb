// How the reference's clients name a tool call: the tool's label (its display title, `Read`) and a one-line
// detail made from the call's arguments (`from notes.txt`), together the `item` stream's title
// (`Read from notes.txt`); the detail alone is the `meta` of the `item` and `tool` events.
import { execDetail, redactDetail } from "./tool_display_exec.ts";
import { sliceUtf16Safe } from "../text/utf16_slice.ts";
import { DETAIL_LABEL_OVERRIDES, FALLBACK_DETAIL_KEYS, TOOL_DISPLAY_SPECS } from "./tool_display_specs.ts";

/** The reference's fallback title of a tool: its name's words, capitalized (`sessions_list` → `Sessions List`). */
export function toolTitle(name: string): string {
  const words = name.replace(/_/g, " ").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "Tool";
  return words.map((w) => w.length <= 2 && w.toUpperCase() === w ? w : `${w[0]!.toUpperCase()}${w.slice(1)}`)
    .join(" ");
}

/** The label clients show for a tool: its display title (`read` → `Read`, `sessions_list` → `Sessions`). */
export function toolLabel(name: string): string {
  const trimmed = name.trim();
  return TOOL_DISPLAY_SPECS[trimmed.toLowerCase()]?.title ?? toolTitle(trimmed);
}

/** A value as one short line: a string's first line (masked, cut in the middle past 160), a list's first three. */
function displayValue(value: unknown, depth = 0): string | undefined {
  if (depth > 64 || value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    const line = value.trim().split(/\r?\n/, 1)[0]?.trim() ?? "";
    if (!line) return undefined;
    const masked = redactDetail(line);
    return masked.length > 160 ? `${sliceUtf16Safe(masked, 0, 79)}…${sliceUtf16Safe(masked, -80)}` : masked;
  }
  if (typeof value === "boolean") return value ? "true" : undefined;
  if (typeof value === "number") return Number.isFinite(value) && value !== 0 ? String(value) : undefined;
  if (Array.isArray(value)) {
    const shown: string[] = [];
    for (const item of value) {
      const one = displayValue(item, depth + 1);
      if (!one) continue;
      if (shown.length === 3) return `${shown.join(", ")}…`;
      shown.push(one);
    }
    return shown.length > 0 ? shown.join(", ") : undefined;
  }
  return undefined;
}

function valueAt(args: Record<string, unknown>, path: string): unknown {
  let current: unknown = args;
  for (const segment of path.split(".")) {
    if (!segment || current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A key's words: its last segment, overridden (`sessionKey` → `session`) or split and lowercased. */
function keyWords(raw: string): string {
  const last = raw.split(".").filter(Boolean).at(-1) ?? raw;
  const override = DETAIL_LABEL_OVERRIDES[last];
  if (override) return override;
  return last.replace(/[_-]/g, " ").replace(/([a-z0-9])([A-Z])/g, "$1 $2").trim().toLowerCase() || last.toLowerCase();
}

/** The values of `keys` that are set: one alone as itself, several as `key value, …` (at most 8, no repeats). */
function detailFromKeys(args: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const entries = keys.flatMap((key) => {
    const value = displayValue(valueAt(args, key));
    return value ? [{ label: keyWords(key), value }] : [];
  });
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return entries[0]!.value;
  const seen = new Set<string>();
  const unique = entries.filter((e) => {
    const token = `${e.label}:${e.value}`;
    if (seen.has(token)) return false;
    seen.add(token);
    return true;
  });
  return unique.slice(0, 8).map((e) => `${e.label} ${e.value}`).join(", ");
}

function pathArg(args: Record<string, unknown>): string | undefined {
  for (const candidate of [args.path, args.file_path, args.filePath]) {
    if (typeof candidate === "string" && candidate.trim()) return candidate.trim();
  }
  return undefined;
}

const whole = (value: unknown) => typeof value === "number" && Number.isFinite(value) ? Math.floor(value) : undefined;

function readDetail(args: Record<string, unknown>): string | undefined {
  const path = pathArg(args);
  if (!path) return undefined;
  const offsetRaw = whole(args.offset);
  const limitRaw = whole(args.limit);
  const offset = offsetRaw === undefined ? undefined : Math.max(1, offsetRaw);
  const limit = limitRaw === undefined ? undefined : Math.max(1, limitRaw);
  if (offset !== undefined && limit !== undefined) {
    return `${limit === 1 ? "line" : "lines"} ${offset}-${offset + limit - 1} from ${path}`;
  }
  if (offset !== undefined) return `from line ${offset} in ${path}`;
  if (limit !== undefined) return `first ${limit} ${limit === 1 ? "line" : "lines"} of ${path}`;
  return `from ${path}`;
}

function writeDetail(tool: string, args: Record<string, unknown>): string | undefined {
  const path = pathArg(args) ?? (typeof args.url === "string" && args.url.trim() ? args.url.trim() : undefined);
  if (!path) return undefined;
  if (tool === "attach") return `from ${path}`;
  const prefix = tool === "edit" ? "in" : "to";
  const content = [args.content, args.newText, args.new_string].find((v) => typeof v === "string") as
    | string
    | undefined;
  return content ? `${prefix} ${path} (${content.length} chars)` : `${prefix} ${path}`;
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

function fetchDetail(args: Record<string, unknown>): string | undefined {
  const url = typeof args.url === "string" ? args.url.trim() : "";
  if (!url) return undefined;
  const mode = typeof args.extractMode === "string" ? args.extractMode.trim() : "";
  const max = positive(args.maxChars);
  const parts = [mode ? `mode ${mode}` : "", max !== undefined ? `max ${max} chars` : ""].filter(Boolean);
  return parts.length > 0 ? `from ${url} (${parts.join(", ")})` : `from ${url}`;
}

function searchDetail(args: Record<string, unknown>): string | undefined {
  const queries: string[] = [];
  const add = (value: unknown) => {
    const text = typeof value === "string" ? value.trim() : "";
    if (text && !queries.includes(text)) queries.push(text);
  };
  for (const key of ["query", "q", "search", "input", "objective"]) add(args[key]);
  for (const key of ["search_query", "image_query", "queries", "search_queries"]) {
    const list = args[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      if (typeof item === "string") add(item);
      else if (item && typeof item === "object") {
        const record = item as Record<string, unknown>;
        add(record.query), add(record.q), add(record.search);
      }
    }
  }
  if (queries.length === 0) return undefined;
  const count = ["count", "max_results", "num_results", "limit", "top_k"].map((k) => positive(args[k]))
    .find((n) => n !== undefined);
  const shown = queries.slice(0, 3).map((q) => `"${q}"`).join(", ") + (queries.length > 3 ? "…" : "");
  return count === undefined ? `for ${shown}` : `for ${shown} (top ${count})`;
}

/**
 * The one-line detail of a call (the events' `meta`), none when its arguments say nothing shown: per tool as
 * the reference words it, else the tool's (or its action's, or the fallback) detail keys; `home` written `~`.
 */
export function toolDetail(name: string, args: Record<string, unknown>, home?: string): string | undefined {
  const key = name.trim().toLowerCase();
  const spec = TOOL_DISPLAY_SPECS[key];
  const action = typeof args.action === "string" ? args.action.trim() : "";
  const actionSpec = action ? spec?.actions?.[action] : undefined;
  let detail: string | undefined;
  if (key === "exec" || key === "bash" || key === "shell") detail = execDetail(args);
  if (!detail && key === "read") detail = readDetail(args);
  if (!detail && (key === "write" || key === "edit" || key === "attach")) detail = writeDetail(key, args);
  if (!detail && key === "web_search") detail = searchDetail(args);
  if (!detail && key === "web_fetch") detail = fetchDetail(args);
  if (!detail) detail = detailFromKeys(args, actionSpec?.detailKeys ?? spec?.detailKeys ?? FALLBACK_DETAIL_KEYS);
  if (!detail) return undefined;
  const shortened = home && home !== "/" ? detail.split(home).join("~") : detail;
  return redactDetail(shortened);
}

/** The `item` stream's title of a call: the label, then the detail when there is one. */
export function toolItemTitle(name: string, meta: string | undefined): string {
  return meta ? `${toolLabel(name)} ${meta}` : toolLabel(name);
}
