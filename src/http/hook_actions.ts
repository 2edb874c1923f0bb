// What each hook path does once authenticated and parsed: `/wake`, `/agent`, and the mapped
// `/<name>` paths (wake and agent actions from hooks.mappings / presets), with the reference's
// checks, refusals and response bodies.
import type { HookAdmission, HookAgentDispatch } from "../automation/hook_runs.ts";
import type { HookRouting } from "./hook_config.ts";
import type { HookAgentAction, HookWakeAction } from "./hook_mappings.ts";
import {
  channelError,
  directDelivery,
  type KeySource,
  optionalString,
  resolveChannel,
  resolveLogicalKey,
  resolveTargetAgent,
  scopeKeyToAgent,
  type Verdict,
} from "./hook_policy.ts";
import { type HookReplays, replayKey } from "./hook_replay.ts";

/** A wake as the heartbeat takes it. */
export interface HookWake {
  text: string;
  mode: "now" | "next-heartbeat";
  agentId: string;
  sessionKey?: string | undefined;
}

/** What the actions need besides the routing. */
export interface HookActionDeps {
  channels(): string[];
  /** Why an explicit `accountId` cannot be used on `channel` (unknown, disabled), or undefined. */
  accountError?(channel: string, accountId: string): string | undefined;
  wake(input: HookWake): "queued" | "coalesced";
  dispatchAgent(value: HookAgentDispatch): Promise<HookAdmission>;
  log: { info(message: string): void; warn(message: string): void };
}

/** One request's context. */
export interface HookRequest {
  routing: HookRouting;
  deps: HookActionDeps;
  replays: HookReplays;
  payload: Record<string, unknown>;
  subPath: string;
  idempotencyKey: string | undefined;
}

/** A hook answer in the reference's JSON shape. */
export const reply = (status: number, body: Record<string, unknown>): Response => Response.json(body, { status });
const refuse = (error: string, extra: Record<string, unknown> = {}): Response =>
  reply(400, { ok: false, error, ...extra });

/** The wake key (only with mode now, under the caller-key policy), re-scoped to the agent. */
function wakeKey(
  req: HookRequest,
  requested: string | undefined,
  agentId: string,
  source: KeySource,
): Verdict<string | undefined> {
  if (!requested) return { ok: true, value: undefined };
  const key = resolveLogicalKey(req.routing.policy, requested, source);
  if (!key.ok) return key;
  return scopeKeyToAgent(req.routing.policy, key.value, agentId);
}

/** `POST <path>/wake`. */
export function directWake(req: HookRequest): Response {
  const p = req.payload;
  const text = optionalString(p.text);
  if (!text) return refuse("text required");
  const mode = p.mode === "next-heartbeat" ? "next-heartbeat" : "now";
  if (p.agentId !== undefined && !optionalString(p.agentId)) return refuse("agentId must be a non-empty string");
  const requestedKey = optionalString(p.sessionKey);
  if (p.sessionKey !== undefined && !requestedKey) return refuse("sessionKey must be a non-empty string");
  if (mode === "next-heartbeat" && requestedKey) return refuse("sessionKey requires mode=now");
  const target = resolveTargetAgent(req.routing.policy, optionalString(p.agentId), "request");
  if (!target.ok) return refuse(target.error);
  const key = wakeKey(req, requestedKey, target.value.effective, "request");
  if (!key.ok) return refuse(key.error);
  const eventOutcome = req.deps.wake({ text, mode, agentId: target.value.effective, sessionKey: key.value });
  return reply(200, { ok: true, mode, eventOutcome });
}

async function agentResult(admission: HookAdmission, extra: Record<string, unknown>, wait: boolean): Promise<Response> {
  if (!admission.ok) {
    const { statusCode, ...body } = admission;
    return reply(statusCode, { ...body, ...extra });
  }
  const completion = wait ? await admission.completion : undefined;
  return reply(200, { ok: true, runId: admission.runId, ...extra, ...(completion ? { completion } : {}) });
}

/** `POST <path>/agent`. */
export async function directAgent(req: HookRequest): Promise<Response> {
  const p = req.payload;
  if (p.waitForCompletion !== undefined && typeof p.waitForCompletion !== "boolean") {
    return refuse("waitForCompletion must be boolean");
  }
  const message = optionalString(p.message);
  if (!message) return refuse("message required");
  if (p.agentId !== undefined && !optionalString(p.agentId)) return refuse("agentId must be a non-empty string");
  const sessionMode = p.sessionMode ?? "isolated";
  if (sessionMode !== "isolated" && sessionMode !== "persistent") {
    return refuse("sessionMode must be isolated or persistent");
  }
  const delivery = directDelivery(p, req.deps.channels());
  if (!delivery.ok) return refuse(delivery.error);
  const selected = delivery.value.delivery;
  if (selected.mode === "announce" && selected.accountId) {
    const accountError = req.deps.accountError?.(selected.channel, selected.accountId);
    // The reference refuses this at dispatch, so its answer carries the run id it had drawn.
    if (accountError) return refuse(accountError, { runId: crypto.randomUUID() });
  }
  if (p.model !== undefined && !optionalString(p.model)) return refuse("model required");
  const requestedKey = optionalString(p.sessionKey);
  const policy = req.routing.policy;
  const target = resolveTargetAgent(policy, optionalString(p.agentId), "request");
  if (!target.ok) return refuse(target.error);
  if (sessionMode === "persistent" && !requestedKey) {
    return refuse("sessionKey is required when sessionMode is persistent");
  }
  const logical = resolveLogicalKey(policy, requestedKey, "request");
  if (!logical.ok) return refuse(logical.error);
  if (sessionMode === "persistent" && !policy.allowedSessionKeyPrefixes?.length) {
    return refuse("hooks.allowedSessionKeyPrefixes is required when direct hook sessionMode is persistent");
  }
  const scoped = scopeKeyToAgent(policy, logical.value, target.value.effective);
  if (!scoped.ok) return refuse(scoped.error);
  const timeout = typeof p.timeoutSeconds === "number" && Number.isFinite(p.timeoutSeconds) && p.timeoutSeconds > 0
    ? Math.floor(p.timeoutSeconds)
    : undefined;
  const value: HookAgentDispatch = {
    message,
    name: optionalString(p.name) ?? "Hook",
    agentId: target.value.effective,
    sessionKey: scoped.value,
    sessionMode,
    wakeMode: p.wakeMode === "next-heartbeat" ? "next-heartbeat" : "now",
    deliver: delivery.value.deliver,
    delivery: delivery.value.delivery,
    model: optionalString(p.model),
    thinking: optionalString(p.thinking),
    timeoutSeconds: timeout,
    contentSource: "webhook",
  };
  const key = replayKey(req.idempotencyKey, "agent", {
    ...value,
    sessionKey: requestedKey ?? policy.defaultSessionKey ?? null,
  });
  const admission = await req.replays.run(key, () => req.deps.dispatchAgent(value));
  return await agentResult(admission, {}, p.waitForCompletion === true);
}

/** A mapped agent action made ready to dispatch, or the refusal to send. */
function prepareMappedAgent(
  req: HookRequest,
  action: HookAgentAction,
  fanout: Map<string, number> | undefined,
): Verdict<() => Promise<HookAdmission>> {
  const channels = req.deps.channels();
  const channel = resolveChannel(action.channel, channels);
  if (!channel) return { ok: false, error: channelError(channels) };
  const deliver = action.deliver !== false;
  const policy = req.routing.policy;
  const target = resolveTargetAgent(policy, action.agentId, "mapping");
  if (!target.ok) return target;
  if (action.sessionMode === "persistent" && !action.sessionKey && !policy.defaultSessionKey) {
    return {
      ok: false,
      error: "sessionKey or hooks.defaultSessionKey is required when mapped hook sessionMode is persistent",
    };
  }
  const source = action.sessionKeySource === "static" ? "mapping-static" : "mapping-templated";
  const logical = resolveLogicalKey(policy, action.sessionKey, source);
  if (!logical.ok) return logical;
  const scoped = scopeKeyToAgent(policy, logical.value, target.value.effective);
  if (!scoped.ok) return scoped;
  const email = req.subPath.replace(/\/+$/, "") === "gmail" || logical.value.toLowerCase().startsWith("hook:gmail:");
  const value: HookAgentDispatch = {
    message: action.message,
    name: action.name ?? "Hook",
    agentId: target.value.effective,
    sessionKey: scoped.value,
    sessionMode: action.sessionMode,
    wakeMode: action.wakeMode,
    deliver,
    delivery: deliver ? { mode: "announce", channel, to: action.to } : { mode: "none" },
    model: action.model,
    thinking: action.thinking,
    timeoutSeconds: action.timeoutSeconds,
    allowUnsafeExternalContent: action.allowUnsafeExternalContent,
    contentSource: email ? "email" : "webhook",
    // Fan-out items wait for their turn however long: the reference admits them in the background.
    ...(fanout ? { background: true } : {}),
  };
  // Fan-out items get a replay identity even without a key, so a retried batch does not run twice.
  // Identical items of one batch are told apart by their occurrence.
  const scope: Record<string, unknown> = { ...value, sessionKey: action.sessionKey ?? null };
  if (fanout) {
    const fingerprint = JSON.stringify(scope);
    scope.occurrence = fanout.get(fingerprint) ?? 0;
    fanout.set(fingerprint, Number(scope.occurrence) + 1);
  }
  const idem = fanout ? req.idempotencyKey ?? "hook-fanout-item" : req.idempotencyKey;
  const key = replayKey(idem, req.subPath || "mapping", scope);
  return { ok: true, value: () => req.replays.run(key, () => req.deps.dispatchAgent(value)) };
}

const PENDING = Symbol("pending");

/** Runs the actions of a matched mapping and answers as the reference does. */
export async function mappedActions(
  req: HookRequest,
  actions: (HookWakeAction | HookAgentAction)[],
  fanout: boolean,
): Promise<Response> {
  let wakeResult: { eventOutcome: "queued" | "coalesced" } | undefined;
  let wakeMode: string | undefined;
  const dispatches: (() => Promise<HookAdmission>)[] = [];
  const occurrences = fanout ? new Map<string, number>() : undefined;
  for (const action of actions) {
    if (action.kind === "wake") {
      const target = resolveTargetAgent(req.routing.policy, action.agentId, "mapping");
      if (!target.ok) return refuse(target.error, wakeResult);
      const source = action.sessionKeySource === "static" ? "mapping-static" : "mapping-templated";
      const key = wakeKey(req, action.sessionKey, target.value.effective, source);
      if (!key.ok) return refuse(key.error, wakeResult);
      const outcome = req.deps.wake({
        text: action.text,
        mode: action.mode,
        agentId: target.value.effective,
        sessionKey: key.value,
      });
      if (!wakeResult || outcome === "queued") wakeResult = { eventOutcome: outcome };
      wakeMode = action.mode;
      continue;
    }
    const prepared = prepareMappedAgent(req, action, occurrences);
    if (!prepared.ok) return refuse(prepared.error, wakeResult);
    dispatches.push(prepared.value);
  }
  if (dispatches.length === 0) return reply(200, { ok: true, mode: wakeMode ?? "now", ...wakeResult });
  if (!fanout) return await agentResult(await dispatches[0]!(), wakeResult ?? {}, false);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(() => resolve(PENDING), 8_000);
  });
  const settled = await Promise.all(
    dispatches.map((dispatch) =>
      Promise.race([
        dispatch().catch((error): HookAdmission => ({ ok: false, statusCode: 502, error: String(error) })),
        deadline,
      ])
    ),
  ).finally(() => clearTimeout(timer));
  return fanOutResult(settled, wakeResult ?? {});
}

function fanOutResult(
  settled: (HookAdmission | typeof PENDING)[],
  wake: Record<string, unknown>,
): Promise<Response> | Response {
  const first = settled[0];
  if (settled.length === 1 && first !== undefined && first !== PENDING) return agentResult(first, wake, false);
  const runIds: string[] = [];
  const failures: { statusCode: number; error: string }[] = [];
  let pending = 0;
  for (const result of settled) {
    if (result === PENDING) pending += 1;
    else if (result.ok) runIds.push(result.runId);
    else failures.push(result);
  }
  if (failures.length === 0 && pending === 0) {
    return reply(200, { ok: true, runId: runIds[0], runIds, dispatched: runIds.length, ...wake });
  }
  return reply(failures[0]?.statusCode ?? 503, {
    ok: false,
    error:
      `hook fan-out incomplete: ${runIds.length}/${settled.length} dispatched, ${failures.length} failed, ${pending} pending`,
    runIds,
    ...(failures.length > 0 ? { errors: failures.slice(0, 5).map((f) => f.error) } : {}),
    ...wake,
  });
}
