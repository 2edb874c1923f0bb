// The one-line summary `tools.effective` shows for a tool, as the reference 2026.9.6 makes it: the tool's own
// display summary where the reference gives it one, else the first line of its description that is prose (not an
// upper-case block heading, JSON or a list item), whitespace collapsed, cut to 120 characters at a word boundary.
import type { AgentTool } from "./tool.ts";

/** The reference's display summaries of the tools that carry one (recorded in tests/fixtures/tool_set/ref.json). */
const DISPLAY_SUMMARIES: Readonly<Record<string, string>> = {
  exec: "Run shell now.",
  process: "Inspect/control exec sessions.",
  "sessions_list": "List visible sessions; filters/previews.",
  "sessions_history": "Read sanitized session history.",
  "sessions_send": "Run same-Gateway session/agent.",
  automations: "Schedule reminders, automations, wake events.",
  message: "Send and manage messages across configured channels.",
};

const MAX_SUMMARY = 120;

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Cuts to `MAX_SUMMARY` with `...`, at the last space when that keeps at least 48 characters. */
function cut(text: string): string {
  if (text.length <= MAX_SUMMARY) return text;
  const sliced = Array.from(text).slice(0, MAX_SUMMARY - 3).join("");
  const space = sliced.lastIndexOf(" ");
  return `${(space >= 48 ? sliced.slice(0, space) : sliced).trimEnd()}...`;
}

/** An upper-case heading such as `ACTIONS:` that opens a reference block, not prose. */
function isBlockHeading(line: string): boolean {
  const trimmed = line.trim();
  const upper = trimmed.toUpperCase();
  return upper.endsWith(":") && trimmed === upper && (upper === "ACTIONS:" || upper.length > 12);
}

function isProse(line: string): boolean {
  const trimmed = line.trim();
  return trimmed.length > 0 && !isBlockHeading(trimmed) && !/^(\{|\[|- )/.test(trimmed);
}

/** The summary a tool list shows for `tool`. */
export function toolSummary(tool: AgentTool): string {
  const own = DISPLAY_SUMMARIES[tool.name];
  if (own && !tool.name.includes("__")) return cut(collapse(own));
  for (const paragraph of tool.description.split(/\n\s*\n/)) {
    const first = paragraph.trim().split("\n", 1)[0]?.trim() ?? "";
    if (isProse(first)) return cut(collapse(first));
  }
  const line = tool.description.split("\n").find(isProse);
  return line ? cut(collapse(line)) : "Tool";
}
