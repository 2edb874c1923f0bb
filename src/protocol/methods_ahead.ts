// A method table named ahead of its load: the first `connect` after start advertises the whole table's
// names without waiting for the families that load lazily, and requests for the families already
// loaded are served at once; only a request for another method waits for the rest (method_table.ts).
import type { DispatchDeps } from "../rpc/dispatch.ts";
import type { MethodTable } from "../rpc/registry.ts";
import type { ProtocolValidators } from "../rpc/validators.ts";
import { serverCapabilities } from "./capabilities.ts";

/**
 * A method table's loader. With `advertised` (advertisedMethods() of the table it loads, held equal by
 * a test) and `core` (the families loaded already), nothing before the first other request waits for it.
 */
export type MethodTableLoader = (() => Promise<MethodTable>) & {
  readonly advertised?: readonly string[];
  readonly core?: MethodTable;
};

/** What `connect` and the core methods use until the whole table is loaded. */
export interface MethodsAhead {
  advertised: string[];
  capabilities: string[];
  dispatch: DispatchDeps;
}

/** The loader's names and core table ready for `connect` and dispatch; undefined when it names nothing ahead. */
export function methodsAhead(
  loader: MethodTableLoader,
  onUnexpected: DispatchDeps["onUnexpected"],
  validators: ProtocolValidators,
): MethodsAhead | undefined {
  if (!loader.advertised || !loader.core) return undefined;
  const advertised = [...loader.advertised];
  return {
    advertised,
    capabilities: serverCapabilities(advertised),
    dispatch: { methods: loader.core, validators, onUnexpected },
  };
}

/** The dispatch deps for `method` if the core table holds it (its own key, not an inherited one). */
export function coreDispatch(ahead: MethodsAhead | undefined, method: string): DispatchDeps | undefined {
  return ahead && Object.hasOwn(ahead.dispatch.methods, method) ? ahead.dispatch : undefined;
}
