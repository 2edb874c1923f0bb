// Requests with the params fields the reference 2026.9.6 added (src/rpc/protocol_overlay.ts), sent to a
// gateway with two agents and no sessions yet, and how an answer is reduced for comparison: ok with the
// parts that do not vary by run, or the error's code and message. tools/record_reference_newer_params.ts
// records the reference's answers into tests/fixtures/protodrift/; tests/integration/newer_params_test.ts
// sends the same to ours.

/** One request of the table. */
export interface NewerParamsCase {
  name: string;
  method: string;
  params: Record<string, unknown>;
}

/** The agents both gateways are given: the default `main` and `ops`. */
export const NEWER_PARAMS_AGENTS = { list: [{ id: "main", default: true }, { id: "ops" }] };

/** The table: every case names a field the pinned package refuses. */
export const NEWER_PARAMS_CASES: NewerParamsCase[] = [
  // A session of the `ops` agent for the describes below to find (a label patch creates it).
  { name: "seed-ops-session", method: "sessions.patch", params: { key: "agent:ops:work", label: "Ops work" } },
  { name: "describe-ops-bare-key", method: "sessions.describe", params: { key: "work", agentId: "ops" } },
  { name: "describe-bare-key-default-agent", method: "sessions.describe", params: { key: "work" } },
  { name: "describe-own-agent", method: "sessions.describe", params: { key: "main", agentId: "main" } },
  { name: "describe-other-agent-bare-key", method: "sessions.describe", params: { key: "main", agentId: "ops" } },
  { name: "describe-unknown-agent", method: "sessions.describe", params: { key: "main", agentId: "ghost" } },
  {
    name: "describe-key-of-another-agent",
    method: "sessions.describe",
    params: { key: "agent:ops:main", agentId: "main" },
  },
  { name: "describe-empty-agent", method: "sessions.describe", params: { key: "main", agentId: "" } },
  {
    name: "list-newer-filters",
    method: "sessions.list",
    params: { excludeCron: true, excludeSubagents: true, excludeSystem: true, activeOnly: false, group: "" },
  },
  { name: "list-pinned", method: "sessions.list", params: { pinned: true } },
  { name: "list-has-board", method: "sessions.list", params: { hasBoard: true } },
  {
    name: "reset-not-the-expected-session",
    method: "sessions.reset",
    params: { key: "agent:ops:work", expectedSessionId: "not-this-one" },
  },
  { name: "reset-missing-expected-session", method: "sessions.reset", params: { key: "gone", expectedSessionId: "x" } },
  { name: "list-bad-flag", method: "sessions.list", params: { excludeCron: "yes" } },
];

/** An answer reduced to what both gateways must share. */
export type ReducedAnswer =
  | { ok: true; session?: unknown; count?: unknown }
  | { ok: false; code: string; message: string; reason?: unknown };

/** A described session reduced to its key and label, or null. */
function sessionShape(session: unknown): unknown {
  if (typeof session !== "object" || session === null) return session ?? null;
  const { key, label } = session as { key?: unknown; label?: unknown };
  return { key, label };
}

/** Reduces a payload or an error (as the reference client throws it) for comparison. */
export function reduceAnswer(outcome: { payload: unknown } | { error: unknown }): ReducedAnswer {
  if ("payload" in outcome) {
    const payload = outcome.payload as { session?: unknown; count?: unknown };
    return {
      ok: true,
      // The session's key and label: its ids and times vary by run.
      ...("session" in payload ? { session: sessionShape(payload.session) } : {}),
      ...("count" in payload ? { count: payload.count } : {}),
    };
  }
  const error = outcome.error as { gatewayCode?: string; code?: string; message?: string; details?: unknown };
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return {
    ok: false,
    code: String(error.gatewayCode ?? error.code ?? "?"),
    message: String(error.message ?? ""),
    ...(reason !== undefined ? { reason } : {}),
  };
}
