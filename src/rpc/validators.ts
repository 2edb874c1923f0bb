import type * as Protocol from "@openclaw/gateway-protocol";

type ProtocolModule = typeof Protocol;
/** The package's validator shape: a type guard that keeps its last errors. */
type ProtocolGuard<T> = ((data: unknown) => data is T) & { errors: Protocol.ValidationError[] | null };

/** Names of the `@openclaw/gateway-protocol` validators (`validateConnectParams`, …). */
export type ValidatorName = {
  [K in keyof ProtocolModule]: ProtocolModule[K] extends ProtocolGuard<unknown> ? K : never;
}[keyof ProtocolModule];

/** The value the named validator accepts, as the package declares it (`ParamsOf<"validateAgentParams">`). */
export type ParamsOf<V extends ValidatorName> = ProtocolModule[V] extends ProtocolGuard<infer T> ? T : never;

/** The validators by name, each typed as the guard of its own params (the module satisfies this as is). */
type ValidatorTable = { readonly [V in ValidatorName]: ProtocolGuard<ParamsOf<V>> };

/** The named guard; a name the installed package lacks is a programming error, thrown. */
function guardOf<V extends ValidatorName>(table: ValidatorTable, validator: V): ProtocolGuard<ParamsOf<V>> {
  const guard = table[validator];
  if (typeof guard !== "function") throw new Error(`@openclaw/gateway-protocol has no ${validator}`);
  return guard;
}

/** The outcome of checking a value: the value typed, or the reference's error text. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * The `@openclaw/gateway-protocol` validators, loaded on the first connect rather than at start:
 * the package costs about 145 ms and 25 MB to load, which would double start-up time and idle
 * memory for a gateway nobody has connected to yet.
 */
export class ProtocolValidators {
  #module: Promise<{ table: ValidatorTable; format: ProtocolModule["formatValidationErrors"] }> | undefined;

  #load() {
    this.#module ??= import("@openclaw/gateway-protocol").then((mod) => {
      const table: ValidatorTable = mod;
      return { table, format: mod.formatValidationErrors };
    });
    return this.#module;
  }

  /** Checks a value with the named validator; when valid, the value comes back typed as that validator's params. */
  async check<V extends ValidatorName>(validator: V, value: unknown): Promise<Checked<ParamsOf<V>>> {
    const { table, format } = await this.#load();
    const guard = guardOf(table, validator);
    return guard(value) ? { ok: true, value } : { ok: false, problem: format(guard.errors) || "invalid" };
  }

  /**
   * Validates a value with the named validator (`validateConnectParams`, …). Returns undefined
   * when valid, else the reference's error text (`at /client/id: must be equal to …`).
   */
  async problem(validator: ValidatorName, value: unknown): Promise<string | undefined> {
    const { table, format } = await this.#load();
    const guard = guardOf(table, validator);
    return guard(value) ? undefined : format(guard.errors) || "invalid";
  }
}
