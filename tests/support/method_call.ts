// Calls one method of a table in process, through the real dispatcher and the real
// `@openclaw/gateway-protocol` validators, as a connection would.
import { dispatch } from "../../src/rpc/dispatch.ts";
import type { DispatchResult, MethodTable } from "../../src/rpc/registry.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";
import { operatorCaller } from "./rpc_caller.ts";

const ALL_SCOPES = ["operator.admin"];

/** Dispatches `method` with `params` as an operator holding `scopes` (admin by default). */
export function callMethod(
  methods: MethodTable,
  method: string,
  params: unknown = {},
  scopes: string[] = ALL_SCOPES,
): Promise<DispatchResult> {
  return dispatch(
    {
      methods,
      validators: new ProtocolValidators(),
      onUnexpected: (name, error) => {
        throw new Error(`${name} failed unexpectedly`, { cause: error });
      },
    },
    { method, params, caller: operatorCaller(scopes) },
  );
}

/** The payload of a call that must succeed. */
export async function payloadOf(methods: MethodTable, method: string, params: unknown = {}): Promise<unknown> {
  const result = await callMethod(methods, method, params);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.payload;
}
