// The `/status` card in the reference's layout and wording (its status message): sections of
// lines, blank-line separated, each line only when this gateway has its value.

import { timeAgo } from "../text/time_ago.ts";

/** What the card shows, from the session row, the agent's config and the runs in force. */
export interface StatusFacts {
  version: string;
  /** `provider/model` the session runs on, or undefined when none is configured. */
  model: string | undefined;
  /** The configured default, when the session pinned another model (`/model`, `sessions.patch`). */
  pinnedOver?: string | undefined;
  fallbacks: readonly string[];
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
  /** Tokens of the context in use (the last prompt), and the model's window. */
  totalTokens?: number | undefined;
  contextTokens: number;
  sessionKey: string;
  updatedAt?: number | undefined;
  thinkLevel: string;
  now: number;
}

/** A token count as the reference prints it compactly (`950`, `1.2k`, `200k`, `1.5m`). */
export function compactTokens(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return "0";
  if (value < 1000) return String(Math.round(value));
  if (value < 1e6) {
    const thousands = (value / 1000).toFixed(value >= 1e4 ? 0 : 1);
    if (Number(thousands) < 1000) return `${thousands}k`;
  }
  return `${(value / 1e6).toFixed(1)}m`;
}

function context(total: number | undefined, window: number): string {
  const windowLabel = window ? compactTokens(window) : "?";
  if (total === undefined) return `?/${windowLabel}`;
  const pct = window ? Math.min(999, Math.round(total / window * 100)) : undefined;
  return `${compactTokens(total)}/${windowLabel}${pct !== undefined ? ` (${pct}%)` : ""}`;
}

/** The card: version; model; usage; session; execution and modes (no auth, cost, uptime or plugin lines here). */
export function statusCard(facts: StatusFacts): string {
  const label = facts.model ?? "unknown";
  const pinned = facts.pinnedOver && facts.pinnedOver !== facts.model
    ? ` · pinned session; config primary ${facts.pinnedOver} · clear /model default`
    : "";
  const tokens = facts.inputTokens === undefined && facts.outputTokens === undefined
    ? undefined
    : `${facts.inputTokens !== undefined ? compactTokens(facts.inputTokens) : "?"} in / ${
      facts.outputTokens !== undefined ? compactTokens(facts.outputTokens) : "?"
    } out`;
  const session = [
    facts.sessionKey,
    facts.updatedAt !== undefined ? `updated ${timeAgo(facts.now - facts.updatedAt)}` : "no activity",
  ].join(" • ");
  const sections: (string | undefined)[][] = [
    [`🦞 OpenClaw ${facts.version}`],
    [
      `🧠 Model: ${label}${pinned}`,
      // Fallbacks apply only while the session follows the configured model.
      facts.fallbacks.length && !pinned ? `🔄 Fallbacks: ${facts.fallbacks.join(", ")}` : undefined,
    ],
    [tokens ? `🧮 Tokens: ${tokens}` : undefined, `📚 Context: ${context(facts.totalTokens, facts.contextTokens)}`],
    [`🧵 Session: ${session}`],
    [
      "⚙️ Execution: direct",
      "🤖 Runtime: OpenClaw Default",
      `🎛️ Modes: think ${facts.thinkLevel} · fast off`,
      "🪢 Queue: followup",
    ],
  ];
  return sections.map((lines) => lines.filter(Boolean).join("\n")).filter(Boolean).join("\n\n");
}
