// Creating, finding and changing sessions: `sessions.create` (the Control UI's "new session",
// the TUI's /new), `sessions.resolve`, `sessions.patch` (rename, pick a model and thinking level, archive,
// pin, mark read or unread, the session's own settings: verbose, usage footer, reasoning, send policy, group
// activation). The other fields the reference lets a client patch (icons, fast mode, tool overrides, ...)
// belong to features this gateway lacks, and are refused by name.
import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { AgentRuns } from "../../agent/runs.ts";
import type { InternalHookEmitter } from "../../agent/internal_hooks.ts";
import { emitSessionPatch } from "../../agent/session_patch_hook.ts";
import { emitGatewayReset } from "../../agent/gateway_reset_hook.ts";
import type { SessionPatch, SessionRow, SessionStore } from "../../sessions/store.ts";
import { normalizeThinkLevel, thinkingProfile, thinkingView } from "../../agent/thinking_level.ts";
import { isPinnable, type ReadStateChange } from "../../sessions/read_state.ts";
import { SESSION_SETTINGS, SessionSettingError, settingsPatch } from "../../sessions/session_settings.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { openModelPolicy } from "../../config/model_policy.ts";
import { sessionModelChoice } from "../../config/model_choice.ts";
import { knownProviderIds } from "../../config/resolve_providers.ts";
import { REFERENCE_DEFAULT_MODEL } from "../../config/model_selection.ts";
import { agentModel, canonicalKey, isMainKey, modelEntry, type SessionViewContext } from "./session_view.ts";

/** Dependencies of the session edits. */
export interface SessionEditsDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  view(): Promise<SessionViewContext>;
  /** `sessions.create` with a `message` starts the first turn. */
  runs: Pick<AgentRuns, "start">;
  /** A session was created or patched: `sessions.changed` goes to the subscribers. */
  changed(key: string, agentId: string, reason: string): void;
  /** Internal hooks: an applied `sessions.patch` emits `session:patch`. */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the event's `cfg`. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
}

/** Patch fields this gateway keeps. */
const KEPT_FIELDS = new Set([
  "key",
  "agentId",
  "expectedSessionId",
  "label",
  "model",
  "thinkingLevel",
  "archived",
  "pinned",
  "unread",
  "expectedMarkedUnreadAt",
  ...SESSION_SETTINGS,
]);
/** The fields a conditional "mark read" (`expectedMarkedUnreadAt`) may come with, as the reference's. */
const UNREAD_ACK_FIELDS = new Set([
  "agentId",
  "expectedLifecycleRevision",
  "expectedMarkedUnreadAt",
  "expectedSessionId",
  "key",
  "unread",
]);

/** The session entry as `sessions.create`/`sessions.patch` return it. */
export function sessionEntry(row: SessionRow): Record<string, unknown> {
  return {
    sessionId: row.sessionId,
    updatedAt: row.updatedAt,
    ...(row.label ? { label: row.label } : {}),
    createdVia: "operator",
    createdAt: row.createdAt,
    modelOverrideSource: row.modelOverride ? "user" : "default",
    ...(row.providerOverride ? { providerOverride: row.providerOverride } : {}),
    ...(row.modelOverride ? { modelOverride: row.modelOverride } : {}),
    ...(row.thinkingLevel ? { thinkingLevel: row.thinkingLevel } : {}),
    ...Object.fromEntries(SESSION_SETTINGS.flatMap((f) => row[f] !== undefined ? [[f, row[f]]] : [])),
    ...(row.archivedAt !== undefined ? { archivedAt: row.archivedAt, archiveReason: "manual" } : {}),
    ...(row.pinnedAt !== undefined ? { pinnedAt: row.pinnedAt } : {}),
    ...(row.lastReadAt !== undefined ? { lastReadAt: row.lastReadAt } : {}),
    ...(row.markedUnreadAt !== undefined ? { markedUnreadAt: row.markedUnreadAt } : {}),
  };
}

/** The model a session's turns use: its chosen one, else its agent's. */
function resolvedModel(ctx: SessionViewContext, row: SessionRow): Record<string, unknown> {
  if (row.providerOverride && row.modelOverride) {
    return { modelProvider: row.providerOverride, model: row.modelOverride };
  }
  const own = agentModel(ctx, row.agentId);
  return own ? { modelProvider: own.modelProvider, model: own.model } : {};
}

/** The level a session thinks at (its own, else its model's default) and the levels its model offers. */
function resolvedThinking(ctx: SessionViewContext, row: SessionRow): Record<string, unknown> {
  const model = resolvedModel(ctx, row) as { modelProvider?: string; model?: string };
  const entry = model.modelProvider && model.model
    ? modelEntry(ctx, { provider: model.modelProvider, model: model.model })
    : undefined;
  const agent = ctx.agents.agents.find((a) => a.id === row.agentId);
  const view = thinkingView(entry, agent?.thinkingDefault);
  return { thinkingLevel: row.thinkingLevel ?? view.thinkingDefault, thinkingLevels: view.thinkingLevels };
}

/**
 * A `model` a patch names, resolved (aliases, bare ids) and checked against the agent's model policy
 * and the configured providers with the reference's words; null clears the choice.
 */
function modelPatch(
  ctx: SessionViewContext,
  agentId: string,
  model: string | null | undefined,
): SessionPatch {
  if (model === undefined) return {};
  if (model === null) return { providerOverride: undefined, modelOverride: undefined };
  const agent = ctx.agents.agents.find((a) => a.id === agentId);
  const choice = sessionModelChoice(agent?.modelPolicy ?? openModelPolicy(), model, {
    defaultProvider: agent?.model?.provider ?? REFERENCE_DEFAULT_MODEL.provider,
    providers: new Set(knownProviderIds(ctx.agents)),
  });
  if ("error" in choice) throw new RpcError("INVALID_REQUEST", choice.error);
  return { providerOverride: choice.ref.provider, modelOverride: choice.ref.model };
}

/**
 * A `thinkingLevel` a patch names, checked as the reference checks it: a known level (its aliases
 * too) the session's model offers; null clears it.
 */
function thinkingPatch(
  ctx: SessionViewContext,
  model: { provider: string; model: string } | undefined,
  level: unknown,
): SessionPatch {
  if (level === undefined) return {};
  if (level === null) return { thinkingLevel: undefined };
  const entry = model && modelEntry(ctx, model);
  const offered = thinkingProfile(entry).levels;
  const normalized = normalizeThinkLevel(level);
  if (!normalized) throw new RpcError("INVALID_REQUEST", `invalid thinkingLevel (use ${offered.join("|")})`);
  if (!offered.includes(normalized)) {
    const name = model ? `${model.provider}/${model.model}` : "the session's model";
    throw new RpcError(
      "INVALID_REQUEST",
      `thinkingLevel "${normalized}" is not supported for ${name} (use ${offered.join("|")})`,
    );
  }
  return { thinkingLevel: normalized };
}

/** The settings a patch names, normalized; a refused value with the reference's words. */
function checkedSettings(params: Record<string, unknown>): SessionPatch {
  try {
    return settingsPatch(params);
  } catch (error) {
    if (error instanceof SessionSettingError) throw new RpcError("INVALID_REQUEST", error.message);
    throw error;
  }
}

/** Refuses patch fields whose feature this gateway lacks, naming the first. */
function refuseUnkept(params: Record<string, unknown>, key: string): void {
  for (const field of Object.keys(params)) {
    if (KEPT_FIELDS.has(field)) continue;
    throw new RpcError(
      "INVALID_REQUEST",
      `Cannot patch ${field} of session ${key}: this gateway keeps only a session's label, model, thinking level, ` +
        "archive, pin and read state, verboseLevel, responseUsage, reasoningLevel, sendPolicy and groupActivation",
    );
  }
}

/**
 * A conditional "mark read" (`expectedMarkedUnreadAt`, the reference Control UI opening a session) must be the
 * patch's only change, as the reference requires.
 */
function checkUnreadAck(params: Record<string, unknown>): void {
  if (params.expectedMarkedUnreadAt === undefined) return;
  const other = Object.entries(params).some(([field, value]) => value !== undefined && !UNREAD_ACK_FIELDS.has(field));
  if (params.unread === false && !other) return;
  throw new RpcError("INVALID_REQUEST", "expectedMarkedUnreadAt requires unread=false as the only mutation.");
}

/** Refuses a pin the reference refuses: of an archived session (as it stands after the patch), of a sub-agent's. */
function checkPin(params: { pinned?: boolean; archived?: boolean }, key: string, found: SessionRow | undefined): void {
  if (params.pinned !== true) return;
  const archived = params.archived ?? found?.archivedAt !== undefined;
  if (archived) throw new RpcError("INVALID_REQUEST", "cannot pin an archived session; restore it first");
  if (!isPinnable(key)) {
    throw new RpcError("INVALID_REQUEST", "cannot pin a child session; pin its parent session instead");
  }
}

/** `sessions.create`, `sessions.resolve`, `sessions.patch`. */
export function sessionEditMethods(deps: SessionEditsDeps): MethodTable {
  // A patch that chose a model also says the level the session now thinks at and the levels that model offers,
  // as the reference's `resolved` does (recorded: tests/fixtures/model_defaults/).
  const answer = async (key: string, row: SessionRow, options: { modelChosen?: boolean } = {}) => {
    const view = await deps.view();
    return {
      ok: true,
      path: deps.sessions.summary(row.agentId).path,
      key,
      entry: sessionEntry(row),
      resolved: {
        ...resolvedModel(view, row),
        runtimeSelectionLocked: false,
        ...(options.modelChosen ? resolvedThinking(view, row) : {}),
      },
    };
  };
  return {
    "sessions.create": validated("operator.write", "validateSessionsCreateParams", async ({ params: p }) => {
      const agents = deps.agents();
      const agentId = targetOf(agents, { agentId: p.agentId, sessionKey: p.key }).agentId;
      const key = p.key ? canonicalKey(p.key, agentId) : `agent:${agentId}:dashboard:${crypto.randomUUID()}`;
      const model = modelPatch(await deps.view(), agentId, p.model);
      if (p.parentSessionKey) {
        // As the reference: a parent must exist; a new session that succeeds it (the Control UI's and TUI's /new)
        // emits the parent's `command:new` before the child is made, when asked to (recorded).
        const parent = targetOf(agents, {
          sessionKey: canonicalKey(p.parentSessionKey, agents.defaultAgentId),
        });
        if (!await deps.sessions.get(parent.sessionKey, parent.agentId)) {
          throw new RpcError("INVALID_REQUEST", `unknown parent session: ${p.parentSessionKey}`);
        }
        if (p.emitCommandHooks === true) {
          await emitGatewayReset(deps, { ...parent, action: "new", commandSource: "webchat" });
        }
      }
      await deps.sessions.ensure(key, agentId);
      const row = (await deps.sessions.update(key, agentId, { ...(p.label ? { label: p.label } : {}), ...model }))!;
      deps.changed(key, agentId, "create");
      let runStarted = false;
      if (p.message?.trim()) {
        deps.runs.start({
          agentId,
          sessionKey: key,
          message: p.message,
          idempotencyKey: p.idempotencyKey ?? crypto.randomUUID(),
        });
        runStarted = true;
      }
      const { path: _path, ...created } = await answer(key, row);
      return { ...created, sessionId: row.sessionId, runStarted };
    }),
    "sessions.resolve": validated("operator.read", "validateSessionsResolveParams", async ({ params: p }) => {
      const agents = deps.agents();
      const given = [p.key, p.sessionId, p.label, p.shortId, p.reference].filter((v) => v !== undefined).length;
      if (given > 1) {
        throw new RpcError(
          "INVALID_REQUEST",
          "Provide either key, sessionId, label, shortId, or reference (not multiple)",
        );
      }
      if (given === 0) {
        throw new RpcError("INVALID_REQUEST", "Either key, sessionId, label, shortId, or reference is required");
      }
      const ids = p.agentId ? [targetOf(agents, { agentId: p.agentId }).agentId] : agents.agents.map((a) => a.id);
      let found: SessionRow | undefined;
      let missing: string;
      // A `reference` (the reference Control UI opening a session's link) is looked up by its exact key;
      // the reference's fallback to a display-name slug is not taken (docs/compatibility.md).
      const exactKey = p.key ?? p.reference?.key;
      if (exactKey) {
        const { agentId, sessionKey } = targetOf(agents, {
          agentId: p.agentId,
          sessionKey: canonicalKey(exactKey, p.agentId ?? agents.defaultAgentId),
        });
        found = await deps.sessions.get(sessionKey, agentId);
        missing = `No session found: ${exactKey}`;
      } else {
        const rows = await deps.sessions.list(ids);
        if (p.label) {
          const labelled = rows.filter((r) => r.label === p.label);
          if (labelled.length > 1) {
            throw new RpcError(
              "INVALID_REQUEST",
              `Multiple sessions found with label: ${p.label} (${labelled.map((r) => r.key).join(", ")})`,
            );
          }
          found = labelled[0];
          missing = `No session found with label: ${p.label}`;
        } else {
          const id = p.sessionId ?? p.shortId!;
          found = rows.find((r) => r.sessionId === id || (p.shortId !== undefined && r.sessionId.startsWith(id)));
          missing = `No session found: ${id}`;
        }
      }
      if (found) return { ok: true, key: found.key, agentId: found.agentId };
      if (p.allowMissing) return { ok: true, missing: true };
      throw new RpcError("INVALID_REQUEST", missing);
    }),
    "sessions.patch": validated("operator.write", "validateSessionsPatchParams", async ({ params: p }) => {
      const agents = deps.agents();
      const { agentId, sessionKey } = targetOf(agents, {
        agentId: p.agentId,
        sessionKey: canonicalKey(p.key, p.agentId ?? agents.defaultAgentId),
      });
      checkUnreadAck(p);
      refuseUnkept(p, sessionKey);
      const found = await deps.sessions.get(sessionKey, agentId);
      const expectedMarkedUnreadAt = (p as { expectedMarkedUnreadAt?: number | null }).expectedMarkedUnreadAt;
      if (expectedMarkedUnreadAt !== undefined) {
        // The session was marked unread again (or read) since the client looked: its mark stands, nothing changes.
        if (!found) {
          throw new RpcError("INVALID_REQUEST", `Session ${sessionKey} changed before patch. Retry.`, {
            details: { reason: "session-changed" },
          });
        }
        if ((found.markedUnreadAt ?? null) !== expectedMarkedUnreadAt) return await answer(sessionKey, found);
      }
      if (!found && p.expectedSessionId) throw new RpcError("INVALID_REQUEST", `No session found: ${p.key}`);
      if (found && p.expectedSessionId && p.expectedSessionId !== found.sessionId) {
        throw new RpcError(
          "INVALID_REQUEST",
          `Cannot patch session ${sessionKey}: it was reset (session id ${found.sessionId}, not ${p.expectedSessionId})`,
        );
      }
      const settings = checkedSettings(p);
      const models = modelPatch(await deps.view(), agentId, p.model);
      // The level is checked against the model the session runs on once this patch applies.
      const own = agents.agents.find((a) => a.id === agentId)?.model;
      const effective = models.modelOverride && models.providerOverride
        ? { provider: models.providerOverride, model: models.modelOverride }
        : "modelOverride" in models
        ? own
        : found?.providerOverride && found.modelOverride
        ? { provider: found.providerOverride, model: found.modelOverride }
        : own;
      const patch: SessionPatch = {
        ...(p.label !== undefined ? { label: p.label ?? undefined } : {}),
        ...models,
        ...settings,
        ...thinkingPatch(await deps.view(), effective, (p as { thinkingLevel?: unknown }).thinkingLevel),
      };
      const archived = (p as { archived?: boolean }).archived;
      if (archived === true && isMainKey(sessionKey, agentId)) {
        throw new RpcError("INVALID_REQUEST", "Cannot archive an agent's main session.");
      }
      const readState = p as ReadStateChange;
      checkPin({ pinned: readState.pinned, archived }, sessionKey, found);
      // A patch of a key with no session yet creates it, as the reference's does (recorded in
      // tests/fixtures/model_policy/); a refused patch above created nothing.
      if (!found) await deps.sessions.ensure(sessionKey, agentId);
      let row = (await deps.sessions.update(sessionKey, agentId, patch))!;
      if (archived !== undefined) row = (await deps.sessions.archive(sessionKey, agentId, archived)) ?? row;
      if (readState.pinned !== undefined || readState.unread !== undefined) {
        const change = { pinned: readState.pinned, unread: readState.unread };
        row = (await deps.sessions.setReadState(sessionKey, agentId, change)) ?? row;
      }
      deps.changed(sessionKey, agentId, "patch");
      const applied = row;
      emitSessionPatch(deps.hooks, sessionKey, () => ({
        sessionEntry: sessionEntry(applied),
        patch: { ...p, key: sessionKey },
        cfg: deps.rawConfig?.(),
      }));
      return await answer(sessionKey, row, { modelChosen: typeof p.model === "string" });
    }),
  };
}
