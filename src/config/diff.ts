function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The dotted key paths that differ between two config trees. Objects are compared key by key;
 * arrays and scalars are compared whole (a changed array is one changed path), as the
 * reference's reload planner does. An empty section appearing or vanishing changes nothing.
 */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  // A section added or removed whole is reported by its leaves (`logging.level`, not `logging`).
  if (before === undefined && isPlainObject(after)) before = {};
  if (after === undefined && isPlainObject(before)) after = {};
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => changedPaths(before[key], after[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix];
}
