// Duration strings as the reference's config reads them (`30m`, `1h30m`, `90s`, `2d`, a bare number
// in the caller's default unit), so `heartbeat.every` means the same interval in both gateways.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Why a text is not a duration: empty, a composite segment without its unit, or anything else. */
export type DurationFault = "empty" | "segment-without-unit" | "invalid";

/** Milliseconds of `text` (a bare number takes `defaultUnit`), or why it is not a duration. */
export function readDuration(
  text: string,
  defaultUnit: "ms" | "s" | "m" | "h" | "d",
): { ms: number } | { fault: DurationFault } {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return { fault: "empty" };
  const single = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(trimmed);
  if (single) return { ms: Math.round(Number(single[1]) * UNIT_MS[single[2] ?? defaultUnit]!) };
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    // Every segment must follow the last one directly: `1h x30m` is not a duration.
    if (match.index !== consumed) return { fault: "segment-without-unit" };
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed += match[0].length;
  }
  return consumed > 0 && consumed === trimmed.length ? { ms: Math.round(total) } : { fault: "invalid" };
}

/** Milliseconds of `text`, or undefined when it is not a duration (a bare number takes `defaultUnit`). */
export function parseDurationMs(text: string, defaultUnit: "ms" | "s" | "m" | "h" | "d"): number | undefined {
  const read = readDuration(text, defaultUnit);
  return "ms" in read ? read.ms : undefined;
}
