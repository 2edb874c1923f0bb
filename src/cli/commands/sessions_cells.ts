// The cells of the `openclaw sessions` table in the reference's words: a long key cut to its
// beginning and end, the age as `just now`/`5m ago`, and token counts as `1.2k`/`200k`/`1.0m`.

import { timeAgo } from "../../text/time_ago.ts";

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** A key of more than 26 graphemes as its first 16, `...` and its last 6 (whole graphemes). */
export function formatKeyCell(key: string): string {
  const graphemes = [...segmenter.segment(key)].map((s) => s.segment);
  if (graphemes.length <= 26) return key;
  return `${graphemes.slice(0, 16).join("")}...${graphemes.slice(-6).join("")}`;
}

/** How long ago a session was updated: `just now`, `Nm ago`, `Nh ago` (under 48 hours), `Nd ago`. */
export function formatAge(updatedAt: number | null, now: number): string {
  if (!updatedAt) return "unknown";
  return timeAgo(now - updatedAt);
}

/** A token count: whole below 1,000, then `k` (one decimal below 10k) and `m` with one decimal. */
export function formatTokenCount(value: number): string {
  const safe = Math.max(0, value);
  if (safe < 1000) return String(Math.round(safe));
  if (safe < 1e6) {
    const thousands = (safe / 1000).toFixed(safe >= 1e4 ? 0 : 1);
    if (Number(thousands) < 1000) return `${thousands}k`;
  }
  return `${(safe / 1e6).toFixed(1)}m`;
}

/** The `Tokens (ctx %)` cell: total over the context window, with the share when the total is fresh. */
export function formatTokensCell(row: Record<string, unknown>, fallbackContext: number): string {
  const context = typeof row.contextTokens === "number" ? row.contextTokens : fallbackContext;
  const contextLabel = context ? formatTokenCount(context) : "?";
  if (typeof row.totalTokens !== "number") return `unknown/${contextLabel} (?%)`;
  const pct = context && row.totalTokensFresh === true
    ? Math.min(999, Math.round(row.totalTokens / context * 100))
    : null;
  return `${formatTokenCount(row.totalTokens)}/${contextLabel} (${pct ?? "?"}%)`;
}
