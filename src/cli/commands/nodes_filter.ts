// `--connected` and `--last-connected <duration>` of `nodes status` / `nodes list`: which rows
// stay, by the gateway's recorded connect time, and the reference's duration words.

import { type DurationFault, readDuration } from "../../config/duration_text.ts";

/** The filter flags. */
export interface ConnectionFilterOptions {
  connected?: boolean;
  lastConnected?: string;
}

function invalidDuration(raw: string, reason?: string): Error {
  const value = raw.trim() ? `"${raw}"` : "empty value";
  const prefix = reason ? `Invalid duration (${reason}): ${value}.` : `Invalid duration: ${value}.`;
  return new Error(`${prefix} Use values like 500ms, 30s, 5m, 2h, or 1h30m.`);
}

/** The reference's reason words for each fault; a plain invalid value names none. */
const FAULT_REASON: Record<DurationFault, string | undefined> = {
  "empty": "empty",
  "segment-without-unit": "each composite segment needs a unit",
  "invalid": undefined,
};

/** A duration as milliseconds: `500` (ms), `30s`, `5m`, `2h`, `7d`, or composite `1h30m`. */
export function parseDurationMs(raw: string): number {
  const read = readDuration(raw, "ms");
  if ("fault" in read) throw invalidDuration(raw, FAULT_REASON[read.fault]);
  if (!Number.isSafeInteger(read.ms)) throw invalidDuration(raw);
  return read.ms;
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
