import type { ErrorBody } from "./errors.ts";
import type { ParamsOf, ValidatorName } from "./validators.ts";

/** Who is calling: decided at `connect`, never taken from the request. */
export interface CallerIdentity {
  connId: string;
  /** `node` for a paired phone/Mac/headless node: it may call only the `node` methods. */
  role: "operator" | "node";
  /** The paired device behind the connection, when it presented one. */
  deviceId?: string | undefined;
  scopes: readonly string[];
  clientId: string;
  clientMode: string;
  remoteAddr: string;
  /** What the client declared it can do at `connect` (`tool-events`, `approvals`, ...). */
  caps?: readonly string[] | undefined;
}

/** What a method handler receives; `params` as its spec's check proved them (unknown when unchecked). */
export interface MethodCall<P = unknown> {
  params: P;
  caller: CallerIdentity;
  /** Two-stage methods (`agent`) send their `accepted` response through this, then return the final one. */
  accept(payload: unknown): void;
  /**
   * Runs a task once this request's response frame is written (a device closing its own
   * connection must hear the answer first); without it, the handler defers to a later macrotask.
   */
  afterResponse?(task: () => void): void;
}

/** A handler's post-response hook: the dispatcher's, else a macrotask (a handler called directly). */
export function afterResponseOf(hook: MethodCall["afterResponse"]): (task: () => void) => void {
  return hook ?? ((task) => void setTimeout(task, 0));
}

/** One RPC method: the scope it needs, its params validator and its handler. */
export interface MethodSpec<P = unknown> {
  /**
   * Required scope; undefined means any authenticated caller (only `health`); {@link NODE_ROLE}
   * means only `role: "node"` connections may call it.
   */
  scope: string | undefined;
  /** Name of the `@openclaw/gateway-protocol` params validator, when the package has one. */
  validator?: ValidatorName;
  /** Our own params check for methods the package has no validator for; returns a problem. */
  check?: (params: unknown) => string | undefined;
  /** False for a method the reference answers but leaves out of `hello-ok` (`sessions.usage`). */
  advertise?: boolean;
  /**
   * Runs the method; `dispatch` calls it only once `validator` (or `check`) accepted the params.
   * Method syntax on purpose: a table holds specs of different params, each built typed by
   * {@link validated}, which ties `P` to what its validator proves.
   */
  handler(call: MethodCall<P>): Promise<unknown> | unknown;
}

/**
 * A method whose params the named `@openclaw/gateway-protocol` validator checks before the handler
 * runs: the handler receives them as that validator's own params type, with no cast in between.
 */
export function validated<V extends ValidatorName>(
  scope: string | undefined,
  validator: V,
  handler: (call: MethodCall<ParamsOf<V>>) => Promise<unknown> | unknown,
): MethodSpec<ParamsOf<V>> {
  return { scope, validator, handler };
}

/** The `scope` of methods only a node connection may call (`node.invoke.result`, `node.event`, …). */
export const NODE_ROLE = "node";

/** The method table: name → spec. Its keys are exactly what `hello-ok` advertises. */
export type MethodTable = Readonly<Record<string, MethodSpec>>;

/** The outcome of one dispatched request. */
export type DispatchResult = { ok: true; payload: unknown } | { ok: false; error: ErrorBody; payload?: unknown };

/** The names `hello-ok` advertises: every method but those marked `advertise: false`. */
export function advertisedMethods(table: MethodTable): string[] {
  return Object.keys(table).filter((name) => table[name]!.advertise !== false).sort();
}

/** Merges method families into one table; a name defined twice is a programming error. */
export function mergeMethods(...families: MethodTable[]): MethodTable {
  const table: Record<string, MethodSpec> = {};
  for (const family of families) {
    for (const [name, spec] of Object.entries(family)) {
      if (name in table) throw new Error(`RPC method ${name} is defined twice`);
      table[name] = spec;
    }
  }
  return table;
}

/** Params that must be absent or an empty object (the reference's closed `{}` schemas). */
export function emptyParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (typeof params !== "object" || Array.isArray(params)) return "must be object";
  const extra = Object.keys(params);
  return extra.length > 0 ? `at root: unexpected property '${extra[0]}'` : undefined;
}
