// `hooks.presets`: the reference's built-in mappings (only `gmail`), appended after the custom ones.
import type { HookMappingEntry } from "../config/resolved.ts";

/** The built-in presets, as the reference ships them. */
export const HOOK_PRESETS: Record<string, HookMappingEntry[]> = {
  gmail: [{
    id: "gmail",
    match: { path: "gmail" },
    action: "agent",
    wakeMode: "now",
    name: "Gmail",
    forEach: "messages",
    sessionKey: "hook:gmail:{{messages[0].id}}",
    messageTemplate:
      "New email from {{messages[0].from}}\nSubject: {{messages[0].subject}}\n{{messages[0].snippet}}\n{{messages[0].body}}",
  }],
};

/** Custom mappings then presets (unknown preset names add nothing); Gmail's `allowUnsafeExternalContent` applies to its preset. */
export function collectMappings(
  hooks: {
    mappings?: HookMappingEntry[] | undefined;
    presets?: string[] | undefined;
    gmailAllowUnsafe?: boolean | undefined;
  },
): HookMappingEntry[] {
  const all = [...(hooks.mappings ?? [])];
  for (const preset of hooks.presets ?? []) {
    const mappings = Object.hasOwn(HOOK_PRESETS, preset) ? HOOK_PRESETS[preset]! : [];
    all.push(
      ...(preset === "gmail" && typeof hooks.gmailAllowUnsafe === "boolean"
        ? mappings.map((m) => ({ ...m, allowUnsafeExternalContent: hooks.gmailAllowUnsafe }))
        : mappings),
    );
  }
  return all;
}
