type ValidatorFn = ((value: unknown) => boolean) & { errors?: unknown };
type ProtocolModule = Record<string, unknown> & { formatValidationErrors(errors: unknown): string };

/**
 * The `@openclaw/gateway-protocol` validators, loaded on the first connect rather than at start:
 * the package costs about 145 ms and 25 MB to load, which would double start-up time and idle
 * memory for a gateway nobody has connected to yet.
 */
export class ProtocolValidators {
  #module: Promise<ProtocolModule> | undefined;

  #load(): Promise<ProtocolModule> {
    this.#module ??= import("@openclaw/gateway-protocol") as unknown as Promise<ProtocolModule>;
    return this.#module;
  }

  /**
   * Validates a value with the named validator (`validateConnectParams`, …). Returns undefined
   * when valid, else the reference's error text (`at /client/id: must be equal to …`).
   */
  async problem(validator: string, value: unknown): Promise<string | undefined> {
    const mod = await this.#load();
    const fn = mod[validator] as ValidatorFn | undefined;
    if (typeof fn !== "function") throw new Error(`@openclaw/gateway-protocol has no ${validator}`);
    return fn(value) ? undefined : mod.formatValidationErrors(fn.errors) || "invalid";
  }
}
