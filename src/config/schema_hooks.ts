// `hooks.mappings[]` and `hooks.gmail` as the reference's schema has them: what `/hooks/<name>`
// turns a request into, and the Gmail preset's transport facts the hook path reads.
import { z } from "zod";
import { SENSITIVE } from "./schema_secret.ts";
import { isSafeRelativeModulePath } from "./schema_refinements.ts";

/** One `hooks.mappings[]` entry. */
export const HookMappingSchema = z.looseObject({
  id: z.string().optional(),
  match: z.looseObject({ path: z.string().optional(), source: z.string().optional() }).optional(),
  action: z.enum(["wake", "agent"]).optional(),
  wakeMode: z.enum(["now", "next-heartbeat"]).optional(),
  name: z.string().optional(),
  agentId: z.string().optional(),
  sessionKey: z.string().meta(SENSITIVE).optional(),
  sessionMode: z.enum(["isolated", "persistent"]).optional(),
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
