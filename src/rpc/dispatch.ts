import { messageOf } from "../log/error_text.ts";
import { type ErrorBody, RpcError } from "./errors.ts";
import { afterResponseOf, type CallerIdentity, type DispatchResult, type MethodTable, NODE_ROLE } from "./registry.ts";
import { scopeSatisfied } from "./scopes.ts";
import type { ProtocolValidators } from "./validators.ts";

/** What the dispatcher needs besides the request. */
export interface DispatchDeps {
  methods: MethodTable;
  validators: ProtocolValidators;
  /** Reports a handler that threw something other than an RpcError. */
  onUnexpected(method: string, error: unknown): void;
}

/**
 * Runs one request: unknown method, scope, params, handler, in the reference's order.
 * Handler failures become typed error bodies; nothing thrown escapes.
 */
export async function dispatch(
  deps: DispatchDeps,
  request: {
    method: string;
    params: unknown;
    caller: CallerIdentity;
    accept?: (payload: unknown) => void;
    /** Where handlers' post-response tasks go; by default each runs in a macrotask after dispatch returns. */
    afterResponse?: (task: () => void) => void;
    /**
     * The admission fence (rpc/work_admission.ts admitRequest), asked once the caller may call the method: a
     * refusal is the answer; an admitted request's root is released when its handler ends.
     */
    admit?: (request: { method: string; caller: CallerIdentity; params: unknown }) =>
      | { ok: true; root?: { release(): void } }
      | { ok: false; error: ErrorBody };
  },
): Promise<DispatchResult> {
  const spec = deps.methods[request.method];
  if (!spec) {
    return { ok: false, error: { code: "INVALID_REQUEST", message: `unknown method: ${request.method}` } };
  }
  // Node methods belong to node connections and everything else to operators, as in the reference.
  const nodeMethod = spec.scope === NODE_ROLE;
  if (nodeMethod !== (request.caller.role === "node") && !(spec.scope === undefined)) {
    return { ok: false, error: { code: "INVALID_REQUEST", message: `unauthorized role: ${request.caller.role}` } };
  }
  if (!nodeMethod && !scopeSatisfied(request.caller.scopes, spec.scope)) {
    return {
      ok: false,
      error: {
        code: "FORBIDDEN",
        message: `missing scope: ${spec.scope}`,
        details: { code: "MISSING_SCOPE", missingScope: spec.scope, requiredScopes: [spec.scope] },
      },
    };
  }
  const params = request.params ?? {};
  const admitted = request.admit?.({ method: request.method, caller: request.caller, params });
  if (admitted && !admitted.ok) return { ok: false, error: admitted.error };
  try {
    // Inside the try: a validator that fails to load or throws is a handler failure like any other.
    const problem = spec.validator
      ? await deps.validators.problem(spec.validator, params)
      : spec.check?.(request.params);
    if (problem) {
      return { ok: false, error: { code: "INVALID_REQUEST", message: `invalid ${request.method} params: ${problem}` } };
    }
    const accept = request.accept ?? (() => {});
    const afterResponse = afterResponseOf(request.afterResponse);
    return { ok: true, payload: await spec.handler({ params, caller: request.caller, accept, afterResponse }) };
  } catch (error) {
    if (error instanceof RpcError) {
      return error.payload === undefined
        ? { ok: false, error: error.toBody() }
        : { ok: false, error: error.toBody(), payload: error.payload };
    }
    deps.onUnexpected(request.method, error);
    return {
      ok: false,
      error: { code: "UNAVAILABLE", message: `${request.method} failed: ${messageOf(error)}` },
    };
  } finally {
    admitted?.root?.release();
  }
}
