// The reference's deterministic JSON, shared by what hashes a value the way the reference does: a cron
// definition's revision (cron_views.ts) and a tool call's loop-detection digest (tool_loop_detection.ts).

/** The reference's deterministic JSON: object keys sorted at every level, arrays in order, `undefined` as it writes it. */
export function stableStringify(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const record = value as Record<string, unknown>;
  return `{${
    Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${stableStringify(record[key])}`).join(",")
  }}`;
}
