// `hooks.*` resolved for the request path: the mappings (custom then presets, transforms confined),
// the agent and session-key policy, and per-path body limits. Resolution fails with the
// reference's messages where its config would not load (the gateway refuses to start on them).
import type { HookMappingEntry } from "../config/resolved.ts";
import { type HookMapping, type HookTransform, type HookTransformRef, normalizeMapping } from "./hook_mappings.ts";
import { collectMappings } from "./hook_presets.ts";
import {
  type HookPolicy,
  keyAllowedByPrefix,
  optionalString,
  resolveAllowedAgentIds,
  resolveAllowedPrefixes,
} from "./hook_policy.ts";
import { hasTemplateExpressions } from "./hook_templates.ts";
import { resolveContainedPath, resolveTransformsDir, transformLoader } from "./hook_transforms.ts";

/** The `hooks.*` keys the mappings and policy read (as written, besides `path`). */
export interface HookRoutingInput {
  defaultSessionKey?: string | undefined;
  allowRequestSessionKey: boolean;
  allowedSessionKeyPrefixes?: string[] | undefined;
  allowedAgentIds: string[] | undefined;
  mappings?: HookMappingEntry[] | undefined;
  presets?: string[] | undefined;
  transformsDir?: string | undefined;
  gmail?: { maxBytes?: number | undefined; allowUnsafeExternalContent?: boolean | undefined } | undefined;
}

/** The resolved mapping table and policy. */
export interface HookRouting {
  mappings: HookMapping[];
  policy: HookPolicy;
  /** The body limit of one sub-path (the default, or a larger mapping allowance). */
  bodyLimit(subPath: string): number;
  loadTransform(ref: HookTransformRef): Promise<HookTransform>;
}

/** Largest ordinary hook body, as in the reference. */
export const DEFAULT_HOOK_BODY_BYTES = 256 * 1024;
const DEFAULT_GMAIL_MAX_BYTES = 20_000;

/** The Gmail path's body allowance: room for 100 messages of `maxBytes` escaped, capped at 32 MiB. */
export function gmailBodyLimit(maxBytes: number | undefined): number {
  const per = typeof maxBytes === "number" && Number.isFinite(maxBytes) && maxBytes > 0
    ? Math.floor(maxBytes)
    : DEFAULT_GMAIL_MAX_BYTES;
  return Math.max(DEFAULT_HOOK_BODY_BYTES, Math.min(32 * 1024 * 1024, 100 * (per * 3 + 8192)));
}

/** Whether a mapping no earlier mapping shadows has a templated session key (those need a prefix allowlist). */
function hasEffectiveTemplatedKey(mappings: HookMapping[]): boolean {
  const effective: HookMapping[] = [];
  for (const mapping of mappings) {
    const shadowed = effective.some((earlier) =>
      (!earlier.matchPath || earlier.matchPath === mapping.matchPath) &&
      (!earlier.matchSource || earlier.matchSource === mapping.matchSource)
    );
    if (shadowed) continue;
    effective.push(mapping);
    if (typeof mapping.raw.sessionKey === "string" && hasTemplateExpressions(mapping.raw.sessionKey)) return true;
  }
  return false;
}

/** Resolves `hooks.*`; throws with the reference's message on what its config refuses. */
export function resolveHookRouting(
  input: HookRoutingInput,
  context: { configDir: string; agentIds: string[]; defaultAgentId: string; generation: number },
): HookRouting {
  const raw = collectMappings({
    mappings: input.mappings,
    presets: input.presets,
    gmailAllowUnsafe: input.gmail?.allowUnsafeExternalContent,
  });
  let mappings: HookMapping[] = [];
  if (raw.length > 0) {
    const dir = resolveTransformsDir(context.configDir, input.transformsDir);
    mappings = raw.map((m, i) =>
      normalizeMapping(m, i, (module) => resolveContainedPath(dir, module, "Hook transform"))
    );
  }
  const limits = new Map<string, number>();
  const gmailLimit = gmailBodyLimit(input.gmail?.maxBytes);
  for (const mapping of mappings) {
    if (mapping.matchPath === "gmail") limits.set("gmail", gmailLimit);
  }
  const defaultSessionKey = optionalString(input.defaultSessionKey);
  const prefixes = resolveAllowedPrefixes(input.allowedSessionKeyPrefixes);
  if (defaultSessionKey && prefixes && !keyAllowedByPrefix(defaultSessionKey, prefixes)) {
    throw new Error("hooks.defaultSessionKey must match hooks.allowedSessionKeyPrefixes");
  }
  if (!defaultSessionKey && prefixes && !keyAllowedByPrefix("hook:example", prefixes)) {
    throw new Error("hooks.allowedSessionKeyPrefixes must include 'hook:' when hooks.defaultSessionKey is unset");
  }
  if (hasEffectiveTemplatedKey(mappings) && !prefixes) {
    throw new Error(
      "hooks.allowedSessionKeyPrefixes is required when a hook mapping sessionKey uses templates, even if hooks.allowRequestSessionKey=true",
    );
  }
  const known = new Set(context.agentIds);
  known.add(context.defaultAgentId);
  const loadTransform = transformLoader(context.generation);
  return {
    mappings,
    policy: {
      knownAgentIds: known,
      defaultAgentId: context.defaultAgentId,
      allowedAgentIds: resolveAllowedAgentIds(input.allowedAgentIds),
      defaultSessionKey,
      allowRequestSessionKey: input.allowRequestSessionKey,
      allowedSessionKeyPrefixes: prefixes,
    },
    bodyLimit: (subPath) => limits.get(subPath.replace(/^\/+/, "").replace(/\/+$/, "")) ?? DEFAULT_HOOK_BODY_BYTES,
    loadTransform,
  };
}
