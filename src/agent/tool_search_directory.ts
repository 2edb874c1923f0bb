// The "Deferred Tool Schemas" directory of a Tool Search turn's system prompt, as the reference 2026.9.6 writes it:
// each deferred tool of our own (not MCP's) by name, owner and a short description, within an 18,000-character
// budget (descriptions shortened to 180, then 64 characters, then dropped, then the last tools left out and counted),
// and how to reach them: a deferred name is not callable, `tool_call` is.
import type { CatalogEntry } from "./tool_search_catalog.ts";
import { truncateUtf16Safe } from "../text/utf16_slice.ts";

/** The directory's budget. */
const MAX_DIRECTORY_CHARS = 18_000;

/** A name or owner safe to print in a list line. */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/u;

function shortDescription(description: string, max: number): string {
  const folded = description.replace(/\s+/g, " ").trim();
  return folded.length <= max ? folded : `${truncateUtf16Safe(folded, max - 3).trimEnd()}...`;
}

function line(entry: CatalogEntry, max: number): string | undefined {
  if (entry.source !== "openclaw") return undefined;
  const name = entry.name.trim();
  if (!IDENTIFIER.test(name)) return undefined;
  const owner = IDENTIFIER.test(entry.sourceName.trim()) ? ` (${entry.sourceName.trim()})` : "";
  if (max === 0) return `- ${name}${owner}`;
  return `- ${name}${owner}: ${shortDescription(entry.description, max) || "No description."}`;
}

/** The directory text for `catalog`, whose entries named in `direct` the model already sees. */
export function deferredToolDirectory(catalog: readonly CatalogEntry[], direct: ReadonlySet<string>): string {
  const deferred = catalog.filter((entry) => !direct.has(entry.name));
  if (deferred.length === 0) return "Available deferred-schema tools: none.";
  const counts = new Map<string, number>();
  for (const entry of catalog) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
  const listed = deferred.filter((entry) => counts.get(entry.name) === 1)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let max = 180;
  const render = () => listed.map((entry) => line(entry, max)).filter((l): l is string => l !== undefined);
  let lines = render();
  let chars = lines.reduce((sum, l) => sum + l.length + 1, 0);
  let omitted = deferred.length - lines.length;
  let guidance = "";
  for (;;) {
    guidance = (omitted > 0
      ? "Use tool_search to find a tool and its input signature; use tool_describe when a full schema is needed."
      : "Use tool_search for a compact input signature or tool_describe for a full schema.") +
      " Deferred names are not directly callable. Call tool_call with the result id or name in id and all tool " +
      "parameters in args. Use this wrapper even when other guidance names a deferred tool directly.";
    const footer = guidance.length + (omitted > 0 ? String(omitted).length + 27 : 0);
    if (32 + chars + 77 + footer + 3 <= MAX_DIRECTORY_CHARS || lines.length === 0) {
      break;
    }
    if (max > 0) {
      max = max === 180 ? 64 : 0;
      lines = render();
      chars = lines.reduce((sum, l) =>
        sum + l.length + 1, 0);
      continue;
    }
    chars -= lines.pop()!.length + 1;
    omitted += 1;
  }
  return [
    "Available deferred-schema tools:",
    ...lines,
    "",
    "Policy-approved MCP and client tools may also be discoverable through search.",
    omitted > 0 ? `${omitted} additional tools omitted. ${guidance}` : guidance,
  ].join("\n");
}
