import type { ErrorBody } from "./errors.ts";

/** Who is calling: decided at `connect`, never taken from the request. */
export interface CallerIdentity {
  connId: string;
  role: "operator";
  scopes: readonly string[];
  clientId: string;
  clientMode: string;
  remoteAddr: string;
}

/** What a method handler receives. */
export interface MethodCall {
  params: unknown;
  caller: CallerIdentity;
  /** Two-stage methods (`agent`) send their `accepted` response through this, then return the final one. */
  accept(payload: unknown): void;
}

/** One RPC method: the scope it needs, its params validator and its handler. */
export interface MethodSpec {
  /** Required scope; undefined means any authenticated caller (only `health`). */
  scope: string | undefined;
  /** Name of the `@openclaw/gateway-protocol` params validator, when the package has one. */
  validator?: string;
  /** Our own params check for methods the package has no validator for; returns a problem. */
  check?: (params: unknown) => string | undefined;
  handler: (call: MethodCall) => Promise<unknown> | unknown;
}

/** The method table: name → spec. Its keys are exactly what `hello-ok` advertises. */
export type MethodTable = Readonly<Record<string, MethodSpec>>;

/** The outcome of one dispatched request. */
export type DispatchResult = { ok: true; payload: unknown } | { ok: false; error: ErrorBody; payload?: unknown };

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
