// Parsed JSON reaches every layer (frames, params, files, log lines); this guard lives in log/,
// the one folder every layer may import, so there is one definition instead of a copy per layer.

/** A JSON object (not null, not an array), its properties still unchecked. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` when it is a JSON object, else an empty one: a config section read as written, absent or malformed alike. */
export function objectOrEmpty(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}
