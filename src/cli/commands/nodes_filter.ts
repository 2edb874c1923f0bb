// `--connected` and `--last-connected <duration>` of `nodes status` / `nodes list`: which rows
// stay, by the gateway's recorded connect time, and the reference's duration words.

/** The filter flags. */
export interface ConnectionFilterOptions {
  connected?: boolean;
  lastConnected?: string;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function invalidDuration(raw: string, reason?: string): Error {
  const value = raw.trim() ? `"${raw}"` : "empty value";
  const prefix = reason ? `Invalid duration (${reason}): ${value}.` : `Invalid duration: ${value}.`;
  return new Error(`${prefix} Use values like 500ms, 30s, 5m, 2h, or 1h30m.`);
}

/** A duration as milliseconds: `500` (ms), `30s`, `5m`, `2h`, `7d`, or composite `1h30m`. */
export function parseDurationMs(raw: string): number {
  const text = raw.trim().toLowerCase();
  if (!text) throw invalidDuration(raw, "empty");
  const single = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text);
  let total = 0;
  if (single) total = Number(single[1]) * UNIT_MS[single[2] ?? "ms"]!;
  else {
    let consumed = 0;
    for (const match of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
      if (match.index !== consumed) throw invalidDuration(raw, "each composite segment needs a unit");
      total += Number(match[1]) * UNIT_MS[match[2]!]!;
      consumed += match[0].length;
    }
    if (consumed === 0 || consumed !== text.length) throw invalidDuration(raw);
  }
  const ms = Math.round(total);
  if (!Number.isSafeInteger(ms)) throw invalidDuration(raw);
  return ms;
}

/** The row test the flags ask for; throws `Invalid --last-connected: …` for a bad duration. */
export function connectionFilter(
  options: ConnectionFilterOptions,
): (node: { connected?: boolean; lastConnectedAtMs?: number; connectedAtMs?: number }, now: number) => boolean {
  let sinceMs: number | undefined;
  if (options.lastConnected !== undefined) {
    try {
      sinceMs = parseDurationMs(options.lastConnected);
    } catch (error) {
      throw new Error(`Invalid --last-connected: ${(error as Error).message}`);
    }
  }
  return (node, now) => {
    if (options.connected && !node.connected) return false;
    const last = node.lastConnectedAtMs ?? node.connectedAtMs;
    return sinceMs === undefined || (typeof last === "number" && now - last <= sinceMs);
  };
}

/** Whether any filter flag was given (then `list` needs the live node view). */
export function hasFilter(options: ConnectionFilterOptions): boolean {
  return Boolean(options.connected) || options.lastConnected !== undefined;
}
