// `hooks.mappings[]` and `hooks.gmail` as the reference's schema has them: what `/hooks/<name>`
// turns a request into, and the Gmail preset's transport facts the hook path reads.
import { z } from "zod";
import { choice } from "./schema_choice.ts";
import { SENSITIVE } from "./schema_secret.ts";
import { isSafeRelativeModulePath } from "./schema_refinements.ts";

/** One `hooks.mappings[]` entry. */
export const HookMappingSchema = z.looseObject({
  id: z.string().optional(),
  match: z.looseObject({ path: z.string().optional(), source: z.string().optional() }).optional(),
  action: choice(["wake", "agent"]).optional(),
  wakeMode: choice(["now", "next-heartbeat"]).optional(),
  name: z.string().optional(),
  agentId: z.string().optional(),
  sessionKey: z.string().meta(SENSITIVE).optional(),
  sessionMode: choice(["isolated", "persistent"]).optional(),
  messageTemplate: z.string().optional(),
  textTemplate: z.string().optional(),
  forEach: z.string().regex(/^[^.[\]]+$/, "forEach must be a top-level payload key").optional(),
  deliver: z.boolean().optional(),
  allowUnsafeExternalContent: z.boolean().optional(),
  channel: z.string().trim().min(1).optional(),
  to: z.string().optional(),
  model: z.string().optional(),
  thinking: z.string().optional(),
  timeoutSeconds: z.number().int().positive().optional(),
  transform: z.strictObject({
    module: z.string().refine(isSafeRelativeModulePath, "module must be a safe relative path (no absolute paths)"),
    export: z.string().optional(),
  }).optional(),
});

/** A `hooks.mappings[]` entry as written. */
export type RawHookMapping = z.infer<typeof HookMappingSchema>;

/** `hooks.gmail`: the watcher's transport settings; the hook path reads `maxBytes` and `allowUnsafeExternalContent`. */
export const HooksGmailSchema = z.looseObject({
  maxBytes: z.number().int().positive().optional(),
  allowUnsafeExternalContent: z.boolean().optional(),
  pushToken: z.string().meta(SENSITIVE).optional(),
});

/**
 * One `hooks.internal.entries.<hookKey>`: `enabled` and `env` are typed; any other key is the
 * hook's own option (`paths`, `messages`, `llmSlug`...), kept as written and not validated here.
 */
export const InternalHookEntrySchema = z.looseObject({
  enabled: z.boolean().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

/**
 * `hooks.internal`: internal hooks (HOOK.md + handler run on gateway events). Strict as the
 * reference's: the retired `handlers` list, or a typo, fails validation instead of being ignored.
 * Hook-pack installs are machine state in SQLite, never a config key.
 */
export const InternalHooksSchema = z.strictObject({
  enabled: z.boolean().optional(),
  entries: z.record(z.string(), InternalHookEntrySchema).optional(),
  load: z.strictObject({ extraDirs: z.array(z.string()).optional() }).optional(),
});

/** `hooks.internal` as written. */
export type RawInternalHooks = z.infer<typeof InternalHooksSchema>;
