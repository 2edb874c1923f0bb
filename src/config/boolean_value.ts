// A boolean as the reference reads one from a loose value (a cron job's `enabled`, an environment flag).

/** `true`, `"yes"`, `"1"`, `"on"` (any case, trimmed) → true; their opposites → false; anything else undefined. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  if (text === "true" || text === "1" || text === "yes" || text === "on") return true;
  if (text === "false" || text === "0" || text === "no" || text === "off") return false;
  return undefined;
}
