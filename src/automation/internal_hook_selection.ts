// Which hooks `hooks.internal` selects, as the reference's resolveInternalHookSelection decides it: off with
// `enabled: false`; not configured at all (nothing loads, nothing costs) without a master flag, an enabled
// entry or an extra directory; otherwise named entries form an allowlist, and `enabled: true` with no entry
// or a nonempty `load.extraDirs` opens discovery to every eligible hook.

/** `hooks.internal` as written: only the keys the runtime reads (the rest is the handlers' own). */
export interface RawInternalHooks {
  enabled?: unknown;
  entries?: unknown;
  load?: unknown;
}

/** The selection: whether hooks load at all, and the allowlist of names (null: every eligible hook). */
export interface InternalHookSelection {
  configured: boolean;
  names: ReadonlySet<string> | null;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

/** `hooks.internal` of a raw config, or an empty section. */
export function internalHooksSection(raw: unknown): RawInternalHooks {
  return record(record(record(raw).hooks).internal);
}

/** The per-hook entry `hooks.internal.entries.<key>` (a handler's own options live there). */
export function internalHookEntry(raw: unknown, key: string): Record<string, unknown> {
  return record(record(internalHooksSection(raw).entries)[key]);
}

/** Decides the selection from the raw config. */
export function internalHookSelection(raw: unknown): InternalHookSelection {
  const internal = internalHooksSection(raw);
  const extraDirs = record(internal.load).extraDirs;
  const open = Array.isArray(extraDirs) && extraDirs.some((dir) => typeof dir === "string" && dir.trim().length > 0);
  const names = new Set<string>();
  const declared = new Set<string>();
  for (const [name, entry] of Object.entries(record(internal.entries))) {
    const trimmed = name.trim();
    if (!trimmed) continue;
    declared.add(trimmed);
    if (record(entry).enabled !== false) names.add(trimmed);
  }
  const configured = internal.enabled !== false && (internal.enabled === true || names.size > 0 || open);
  if (internal.enabled === false) return { configured, names: new Set() };
  return { configured, names: open || (declared.size === 0 && internal.enabled === true) ? null : names };
}

/** Whether a hook is selected: by name or its hookKey, and not turned off by its own entry. */
export function hookSelected(
  selection: InternalHookSelection,
  hook: { name: string; hookKey?: string | undefined },
  raw: unknown,
): boolean {
  const key = hook.hookKey ?? hook.name;
  if (internalHookEntry(raw, key).enabled === false) return false;
  return selection.names === null || selection.names.has(hook.name) || selection.names.has(key);
}
