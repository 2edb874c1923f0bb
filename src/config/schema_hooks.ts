// `hooks.mappings[]` and `hooks.gmail` as the reference's schema has them: what `/hooks/<name>`
// turns a request into, and the Gmail preset's transport facts the hook path reads.
import { isAbsolutePath } from "./posix_path.ts";
import { z } from "zod";
import { SENSITIVE } from "./schema_secret.ts";

/** A transform module path: relative, no `~`, no `:` (URLs, drives), no `..` segment; as the reference checks it. */
export function isSafeRelativeModulePath(raw: string): boolean {
  const value = raw.trim();
  if (!value || isAbsolutePath(value) || value.startsWith("~") || value.includes(":")) return false;
  return !value.split(/[\\/]+/g).some((part) => part === "..");
}

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

/** The reference's cross-field check: a persistent agent mapping needs a key from somewhere. */
export function refineHooks(
  hooks: { defaultSessionKey?: string | undefined; mappings?: RawHookMapping[] | undefined },
  ctx: z.RefinementCtx,
): void {
  const hasDefault = hooks.defaultSessionKey?.trim();
  for (const [index, mapping] of (hooks.mappings ?? []).entries()) {
    if (
      (mapping.action ?? "agent") === "agent" && mapping.sessionMode === "persistent" &&
      !mapping.sessionKey?.trim() && !hasDefault && !mapping.transform
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["mappings", index, "sessionKey"],
        message: "persistent hook mappings require sessionKey, hooks.defaultSessionKey, or a transform",
      });
    }
  }
}
