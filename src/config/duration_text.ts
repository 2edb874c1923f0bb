// Duration strings as the reference's config reads them (`30m`, `1h30m`, `90s`, `2d`, a bare number
// in the caller's default unit), so `heartbeat.every` means the same interval in both gateways.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `text`, or undefined when it is not a duration (a bare number takes `defaultUnit`). */
export function parseDurationMs(text: string, defaultUnit: "ms" | "s" | "m" | "h" | "d"): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "") return undefined;
  const single = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(trimmed);
  if (single) return Math.round(Number(single[1]) * UNIT_MS[single[2] ?? defaultUnit]!);
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    // Every segment must follow the last one directly: `1h x30m` is not a duration.
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    consumed += match[0].length;
  }
  return consumed === trimmed.length ? Math.round(total) : undefined;
}
