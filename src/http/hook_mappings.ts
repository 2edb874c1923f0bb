// `hooks.mappings` and `hooks.presets`: what `POST <hooks.path>/<name>` turns into. Custom mappings
// run in order before the presets; the first whose `match` passes owns the request. A mapping
// renders a wake or agent action from its templates, a transform may override it (or skip it with
// `null`), and `forEach` fans out one action per item of a top-level payload array (200 at most).
import { isJsonObject } from "../log/json_object.ts";
import type { HookMappingEntry } from "../config/resolved.ts";
import { hasTemplateExpressions, type HookTemplateContext, renderOptional, renderTemplate } from "./hook_templates.ts";

/** Where a session key came from: a fixed string, or rendered from the payload (or a transform). */
export type SessionKeySource = "static" | "templated";

/** A wake the mapping asks for. */
export interface HookWakeAction {
  kind: "wake";
  mappingId: string;
  text: string;
  mode: "now" | "next-heartbeat";
  agentId?: string | undefined;
  sessionKey?: string | undefined;
  sessionKeySource?: SessionKeySource | undefined;
}

/** An agent run the mapping asks for. */
export interface HookAgentAction {
  kind: "agent";
  mappingId: string;
  message: string;
  name?: string | undefined;
  agentId?: string | undefined;
  wakeMode: "now" | "next-heartbeat";
  sessionKey?: string | undefined;
  sessionKeySource?: SessionKeySource | undefined;
  sessionMode: string;
  deliver?: boolean | undefined;
  allowUnsafeExternalContent?: boolean | undefined;
  channel?: string | undefined;
  to?: string | undefined;
  model?: string | undefined;
  thinking?: string | undefined;
  timeoutSeconds?: number | undefined;
}

/** One action a matched mapping produced. */
export type HookAction = HookWakeAction | HookAgentAction;

/** A transform module resolved inside `transformsDir`. */
export interface HookTransformRef {
  modulePath: string;
  exportName?: string | undefined;
}

/** A mapping after defaults, ready to match. */
export interface HookMapping {
  id: string;
  matchPath?: string | undefined;
  matchSource?: string | undefined;
  action: "wake" | "agent";
  wakeMode: "now" | "next-heartbeat";
  forEach?: string | undefined;
  raw: HookMappingEntry;
  transform?: HookTransformRef | undefined;
  /** A larger body allowance for this path (the Gmail preset's). */
  maxBodyBytes?: number | undefined;
}

/** A transform: receives the request, returns a partial action override, or `null` to skip. */
export type HookTransform = (ctx: HookTemplateContext) => unknown;

/** What applying the mappings gave: actions (maybe none), or a refusal in the reference's words. */
export type MappingResult =
  | { ok: true; actions: HookAction[]; fanout: boolean; dropped: number }
  | { ok: false; error: string };

/** The most items one `forEach` request dispatches; the rest are dropped with a warning. */
export const MAX_FAN_OUT_ITEMS = 200;

const BLOCKED_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/** `match.path` as compared: trimmed, without leading or trailing slashes; empty is "any". */
export function normalizeMatchPath(raw: string | undefined): string | undefined {
  const trimmed = raw?.trim();
  return trimmed ? trimmed.replace(/^\/+/, "").replace(/\/+$/, "") : undefined;
}

/** One raw mapping with defaults; `resolveModule` confines a transform path (and throws when it escapes). */
export function normalizeMapping(
  raw: HookMappingEntry,
  index: number,
  resolveModule: (module: string) => string,
): HookMapping {
  const forEach = raw.forEach?.trim() || undefined;
  if (forEach && (/[.[\]]/.test(forEach) || BLOCKED_KEYS.has(forEach))) {
    throw new Error(`Hook mapping forEach must be a top-level payload key: ${raw.forEach}`);
  }
  return {
    id: raw.id?.trim() || `mapping-${index + 1}`,
    matchPath: normalizeMatchPath(raw.match?.path),
    matchSource: raw.match?.source?.trim() || undefined,
    action: raw.action ?? "agent",
    wakeMode: raw.wakeMode ?? "now",
    forEach,
    raw,
    transform: raw.transform
      ? { modulePath: resolveModule(raw.transform.module), exportName: raw.transform.export?.trim() || undefined }
      : undefined,
  };
}

/** Whether a session key template is static or payload-derived; undefined when there is none. */
function keySource(template: string | undefined): SessionKeySource | undefined {
  const trimmed = template?.trim();
  if (!trimmed) return undefined;
  return hasTemplateExpressions(trimmed) ? "templated" : "static";
}

function mappingMatches(mapping: HookMapping, ctx: HookTemplateContext): boolean {
  if (mapping.matchPath && mapping.matchPath !== normalizeMatchPath(ctx.path)) return false;
  if (mapping.matchSource) {
    const source = ctx.payload.source;
    if (typeof source !== "string" || source !== mapping.matchSource) return false;
  }
  return true;
}

/** The action a mapping's templates render to, before any transform. */
export function buildAction(mapping: HookMapping, ctx: HookTemplateContext): HookAction {
  const raw = mapping.raw;
  if (mapping.action === "wake") {
    return {
      kind: "wake",
      mappingId: mapping.id,
      text: renderTemplate(raw.textTemplate, ctx),
      mode: mapping.wakeMode,
      agentId: raw.agentId?.trim() || undefined,
      sessionKey: renderOptional(raw.sessionKey, ctx),
      sessionKeySource: keySource(raw.sessionKey),
    };
  }
  return {
    kind: "agent",
    mappingId: mapping.id,
    message: renderTemplate(raw.messageTemplate, ctx),
    name: renderOptional(raw.name, ctx),
    agentId: raw.agentId?.trim() || undefined,
    wakeMode: mapping.wakeMode,
    sessionKey: renderOptional(raw.sessionKey, ctx),
    sessionKeySource: keySource(raw.sessionKey),
    sessionMode: raw.sessionMode ?? "isolated",
    deliver: raw.deliver,
    allowUnsafeExternalContent: raw.allowUnsafeExternalContent,
    channel: raw.channel,
    to: renderOptional(raw.to, ctx),
    model: renderOptional(raw.model, ctx),
    thinking: renderOptional(raw.thinking, ctx),
    timeoutSeconds: raw.timeoutSeconds,
  };
}

const str = (value: unknown): string | undefined => typeof value === "string" ? value : undefined;

/** A transform's session key: payload-derived unless it marks itself `static`; blank means none. */
function overrideKeySource(base: HookAction, override: Record<string, unknown>): SessionKeySource | undefined {
  if (typeof override.sessionKey === "string") {
    if (!override.sessionKey.trim()) return undefined;
    return override.sessionKeySource === "static" ? "static" : "templated";
  }
  return base.sessionKeySource;
}

/** Merges a transform's override over the rendered action, then validates the result. */
export function mergeAction(
  base: HookAction,
  override: Record<string, unknown> | undefined,
  defaultAction: "wake" | "agent",
): { ok: true; action: HookAction } | { ok: false; error: string } {
  if (!override) return validateAction(base);
  const kind = str(override.kind) ?? base.kind ?? defaultAction;
  if (kind === "wake") {
    const wake = base.kind === "wake" ? base : undefined;
    return validateAction({
      kind: "wake",
      mappingId: base.mappingId,
      text: str(override.text) ?? wake?.text ?? "",
      mode: override.mode === "next-heartbeat" ? "next-heartbeat" : wake?.mode ?? "now",
      agentId: str(override.agentId) ?? wake?.agentId,
      sessionKey: str(override.sessionKey) ?? wake?.sessionKey,
      sessionKeySource: overrideKeySource(base, override),
    });
  }
  const agent = base.kind === "agent" ? base : undefined;
  return validateAction({
    kind: "agent",
    mappingId: base.mappingId,
    message: str(override.message) ?? agent?.message ?? "",
    wakeMode: override.wakeMode === "next-heartbeat" ? "next-heartbeat" : agent?.wakeMode ?? "now",
    name: str(override.name) ?? agent?.name,
    agentId: str(override.agentId) ?? agent?.agentId,
    sessionKey: str(override.sessionKey) ?? agent?.sessionKey,
    sessionKeySource: overrideKeySource(base, override),
    sessionMode: str(override.sessionMode) ?? agent?.sessionMode ?? "isolated",
    deliver: typeof override.deliver === "boolean" ? override.deliver : agent?.deliver,
    allowUnsafeExternalContent: typeof override.allowUnsafeExternalContent === "boolean"
      ? override.allowUnsafeExternalContent
      : agent?.allowUnsafeExternalContent,
    channel: str(override.channel) ?? agent?.channel,
    to: str(override.to) ?? agent?.to,
    model: str(override.model) ?? agent?.model,
    thinking: str(override.thinking) ?? agent?.thinking,
    timeoutSeconds: typeof override.timeoutSeconds === "number" ? override.timeoutSeconds : agent?.timeoutSeconds,
  });
}

function validateAction(action: HookAction): { ok: true; action: HookAction } | { ok: false; error: string } {
  if (action.sessionKeySource === "templated" && !action.sessionKey?.trim()) {
    return { ok: false, error: "hook mapping sessionKey template rendered empty" };
  }
  if (action.kind === "wake") {
    if (!action.text.trim()) return { ok: false, error: "hook mapping requires text" };
    if (action.mode === "next-heartbeat" && action.sessionKey) {
      return { ok: false, error: "hook mapping sessionKey requires wakeMode=now" };
    }
    return { ok: true, action };
  }
  if (!action.message.trim()) return { ok: false, error: "hook mapping requires message" };
  if (action.sessionMode !== "isolated" && action.sessionMode !== "persistent") {
    return { ok: false, error: "hook mapping sessionMode must be isolated or persistent" };
  }
  return { ok: true, action };
}

async function applyOne(
  mapping: HookMapping,
  ctx: HookTemplateContext,
  loadTransform: (ref: HookTransformRef) => Promise<HookTransform>,
): Promise<{ ok: true; action: HookAction | null } | { ok: false; error: string }> {
  const base = buildAction(mapping, ctx);
  let override: Record<string, unknown> | undefined;
  if (mapping.transform) {
    const result = await (await loadTransform(mapping.transform))(ctx);
    if (result === null) return { ok: true, action: null };
    override = isJsonObject(result) ? result : undefined;
  }
  return mergeAction(base, override, mapping.action);
}

/**
 * The first matching mapping's actions, or `null` when none matches. A transform that throws
 * rejects the promise: the caller answers 500 `hook mapping failed`.
 */
export async function applyMappings(
  mappings: HookMapping[],
  ctx: HookTemplateContext,
  loadTransform: (ref: HookTransformRef) => Promise<HookTransform>,
): Promise<MappingResult | null> {
  const mapping = mappings.find((m) => mappingMatches(m, ctx));
  if (!mapping) return null;
  if (!mapping.forEach) {
    const single = await applyOne(mapping, ctx, loadTransform);
    if (!single.ok) return single;
    return { ok: true, actions: single.action ? [single.action] : [], fanout: false, dropped: 0 };
  }
  const raw = ctx.payload[mapping.forEach];
  const all = Array.isArray(raw) ? raw : [];
  const items = all.slice(0, MAX_FAN_OUT_ITEMS);
  const actions: HookAction[] = [];
  for (const item of items) {
    const result = await applyOne(
      mapping,
      { ...ctx, payload: { ...ctx.payload, [mapping.forEach]: [item] } },
      loadTransform,
    );
    if (!result.ok) return result;
    if (result.action) actions.push(result.action);
  }
  return { ok: true, actions, fanout: true, dropped: all.length - items.length };
}
