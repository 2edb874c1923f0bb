// `sessions.abort`: the Stop of the reference 2026.9.6 Control UI for a run `chat.history` shows as
// `sessionAbortable` (an `agent` run), with its id, or when the page holds no run id at all. It stops a session's runs, or one run, with the
// reference's answer `{ok, abortedRunId, status}` and its refusals, as recorded against it
// (tests/fixtures/sessions_abort/reference_sessions_abort.json). The runs stop as `chat.abort` stops
// them: the `chat` `aborted` event (stopReason "rpc"), the lifecycle `end` (cancelled), the lifecycle `error`.
import type { AgentsConfig } from "../../agent/agents_config.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** What `sessions.abort` needs: the run registry's abort and run lookup, the agents, the change event. */
export interface SessionsAbortDeps {
  agents(): AgentsConfig;
  /** Aborts the runs in flight or queued on a session, or one run; returns their ids. */
  abort(input: { sessionKey?: string; runId?: string }): string[];
  /** The session key of a run in flight or queued, or undefined. */
  sessionOfRun(runId: string): string | undefined;
  /** A run was stopped: `sessions.changed` (reason `abort`) goes to the subscribers. */
  changed(key: string, agentId: string, reason: string): void;
}

/** The params of a `sessions.abort` request, as the protocol checks them. */
export interface SessionsAbortParams {
  key?: string | undefined;
  runId?: string | undefined;
  agentId?: string | undefined;
  clearQueued?: boolean | undefined;
}

/** What a request comes to: nothing to stop, a session's runs (under each of its keys), or one run. */
export type AbortPlan =
  | { kind: "none" }
  | { kind: "session"; keys: string[]; agentId: string }
  | { kind: "run"; runId: string; key: string; agentId: string };

/**
 * The keys a session's runs may be filed under: the key as asked, and the key as the store keeps it
 * (a bare key is the agent's: `main` → `agent:main:main`). Runs keep the key their request gave. A custom
 * `session.mainKey` changes nothing here: the reference ignores it (`main` stays `agent:<id>:main`, recorded in
 * tests/fixtures/sessions_abort/reference_main_key.json).
 */
export function abortKeys(key: string, agentId: string): string[] {
  const parsed = agentOfKey(key.toLowerCase());
  const canonical = parsed ? `agent:${parsed}:${key.slice(`agent:${parsed}:`.length)}` : `agent:${agentId}:${key}`;
  return canonical === key ? [key] : [key, canonical];
}

/**
 * Decides a `sessions.abort` request, refusing as the reference does: a key of another agent than
 * `agentId`, no key and no run, an agent that is not configured (unless a run is live on that key),
 * and a run that belongs to another session. An unknown run id is nothing to stop.
 */
export function planSessionsAbort(
  params: SessionsAbortParams,
  facts: { agentIds: readonly string[]; defaultAgentId: string; runSession: string | undefined },
): AbortPlan {
  const requestedAgent = params.agentId?.trim().toLowerCase() || undefined;
  let key = params.key?.trim() || undefined;
  const keyAgent = key ? agentOfKey(key.toLowerCase()) : undefined;
  if (key && requestedAgent && keyAgent && keyAgent !== requestedAgent) {
    throw new RpcError("INVALID_REQUEST", "session key agent does not match agentId");
  }
  if (!key && params.runId) {
    if (!facts.runSession) return { kind: "none" };
    key = facts.runSession;
  }
  if (!key) throw new RpcError("INVALID_REQUEST", "key required");
  const agentId = requestedAgent ?? agentOfKey(key.toLowerCase()) ?? facts.defaultAgentId;
  const keys = abortKeys(key, agentId);
  const live = facts.runSession !== undefined && keys.includes(facts.runSession);
  if (!facts.agentIds.includes(agentId) && !live) throw new RpcError("INVALID_REQUEST", `agent "${agentId}" not found`);
  if (!params.runId) return { kind: "session", keys, agentId };
  if (facts.runSession === undefined) return { kind: "none" };
  if (!live) throw new RpcError("INVALID_REQUEST", "runId does not match session");
  return { kind: "run", runId: params.runId, key: facts.runSession, agentId };
}

/** The answer to a request that stopped `runIds` (the first is the one reported). */
export function abortAnswer(runIds: readonly string[]): Record<string, unknown> {
  return { ok: true, abortedRunId: runIds[0] ?? null, status: runIds.length > 0 ? "aborted" : "no-active-run" };
}

/** `sessions.abort` (operator.write, as the reference scopes it). */
export function sessionsAbortMethods(deps: SessionsAbortDeps): MethodTable {
  return {
    "sessions.abort": validated("operator.write", "validateSessionsAbortParams", ({ params }) => {
      const agents = deps.agents();
      const plan = planSessionsAbort(params, {
        agentIds: agents.agents.map((agent) => agent.id),
        defaultAgentId: agents.defaultAgentId,
        runSession: params.runId ? deps.sessionOfRun(params.runId) : undefined,
      });
      if (plan.kind === "none") return abortAnswer([]);
      // Queued runs of the session stop with the running one, as `chat.abort` stops them here
      // (`clearQueued` asks for that; without it the reference keeps its follow-up queue).
      const runIds = plan.kind === "run"
        ? deps.abort({ runId: plan.runId })
        : plan.keys.flatMap((sessionKey) => deps.abort({ sessionKey }));
      const key = plan.kind === "run" ? plan.key : plan.keys.at(-1)!;
      if (runIds.length > 0) deps.changed(key, plan.agentId, "abort");
      return abortAnswer(runIds);
    }),
  };
}
