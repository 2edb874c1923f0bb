import type * as Protocol from "@openclaw/gateway-protocol";
import { newerFieldProblem, type NewerFieldsOf, newerFieldsOf, type OverlaidValidator } from "./protocol_overlay.ts";
import { loadStringLength, type StringLength } from "./string_length.ts";

type ProtocolModule = typeof Protocol;
/** The package's validator shape: a type guard that keeps its last errors. */
type ProtocolGuard<T> = ((data: unknown) => data is T) & { errors: Protocol.ValidationError[] | null };

/** Names of the `@openclaw/gateway-protocol` validators (`validateConnectParams`, …). */
export type ValidatorName = {
  [K in keyof ProtocolModule]: ProtocolModule[K] extends ProtocolGuard<unknown> ? K : never;
}[keyof ProtocolModule];

/** The value the named validator accepts, as the package declares it plus its newer fields (src/rpc/protocol_overlay.ts). */
export type ParamsOf<V extends ValidatorName> = ProtocolModule[V] extends ProtocolGuard<infer T>
  ? T & (V extends OverlaidValidator ? NewerFieldsOf<V> : unknown)
  : never;

/** Whether `value` carries a field the named validator's package version does not know. */
function carriesNewer(validator: ValidatorName, value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const fields = newerFieldsOf(validator);
  for (const key in value) if (Object.hasOwn(fields, key)) return true;
  return false;
}

/**
 * Splits off the newer fields the named validator's package version does not know: the rest goes
 * to the package's guard, the newer ones are checked against the overlay. Returns the problem, if any.
 */
function splitNewer(
  validator: ValidatorName,
  value: Record<string, unknown>,
  lengths: StringLength,
): { rest: unknown; problem?: string } {
  const fields = newerFieldsOf(validator);
  const rest: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    const newer = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!newer) {
      rest[key] = field;
      continue;
    }
    const problem = newerFieldProblem(newer, field, lengths);
    if (problem) return { rest, problem: `at /${key}${problem.startsWith("/") ? "" : ": "}${problem}` };
  }
  return { rest };
}

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

/** A check compiled ahead of time from the package's schema plus its newer fields (src/rpc/protocol_overlay.ts). */
type PrecompiledCheck = (value: unknown) => boolean;

/**
 * The validators compiled ahead of time (tools/gen_protocol_checks.ts): `connect`, which every
 * client's first frame needs. It loads in a few milliseconds where the package takes about 145 ms,
 * so the first `hello-ok` after start no longer waits for the package, and a gateway whose clients
 * only connect never loads it. Every other validator a method family names is compiled the same way
 * into that family's module (src/rpc/checks/, FAMILY_CHECKS): a first `sessions.list` loads the
 * sessions family's checks, not the package nor the other families'.
 */
const PRECOMPILED: { readonly [V in ValidatorName]?: () => Promise<PrecompiledCheck> } = {
  validateConnectParams: async () => (await import("./connect_check_gen.ts")).checkConnectParams,
};

/**
 * A validator's precompiled check: its own ({@link PRECOMPILED}) or its family's, through the index of
 * src/rpc/checks/, itself loaded with the first such request (not at start: 115 entries).
 */
async function loadPrecompiled(validator: ValidatorName): Promise<PrecompiledCheck | undefined> {
  const own = PRECOMPILED[validator];
  if (own) return await own();
  const { FAMILY_CHECKS } = await import("./checks/index_gen.ts");
  const family = Object.hasOwn(FAMILY_CHECKS, validator) ? FAMILY_CHECKS[validator] : undefined;
  return family ? await family() : undefined;
}

/**
 * The `@openclaw/gateway-protocol` validators, loaded on first use rather than at start: the
 * package costs about 145 ms and 25 MB to load, which would double start-up time and idle memory
 * for a gateway nobody has connected to yet. A validator compiled ahead of time ({@link PRECOMPILED})
 * answers alone when the value is valid; the package is loaded to word a refusal.
 */
export class ProtocolValidators {
  #module: Promise<{ table: ValidatorTable; format: ProtocolModule["formatValidationErrors"] }> | undefined;
  #precompiled = new Map<ValidatorName, Promise<PrecompiledCheck | undefined>>();
  #lengths: Promise<StringLength> | undefined;

  /** How the protocol counts string lengths, loaded with the first value that carries a newer field. */
  #stringLength(): Promise<StringLength> {
    return this.#lengths ??= loadStringLength();
  }

  /** The precompiled check of `validator`, loaded once; undefined when it has none (the package decides alone). */
  #precompiledCheck(validator: ValidatorName): Promise<PrecompiledCheck | undefined> {
    let check = this.#precompiled.get(validator);
    if (!check) this.#precompiled.set(validator, check = loadPrecompiled(validator));
    return check;
  }

  /** Whether the precompiled check of `validator`, if there is one, accepts `value`. */
  async #passesPrecompiled(validator: ValidatorName, value: unknown): Promise<boolean> {
    const check = await this.#precompiledCheck(validator);
    return check ? check(value) : false;
  }

  /**
   * Loads the precompiled check of `validator` now (the gateway's `connect` check, while it starts), so
   * the first request that needs it does not wait for its module. Never rejects: a failed load is left
   * to that request, which reports it as before.
   */
  async prefetch(validator: ValidatorName): Promise<void> {
    await this.#precompiledCheck(validator).catch(() => {});
  }

  #load() {
    this.#module ??= import("@openclaw/gateway-protocol").then((mod) => {
      const table: ValidatorTable = mod;
      return { table, format: mod.formatValidationErrors };
    });
    return this.#module;
  }

  /** Checks a value with the named validator; when valid, the value comes back typed as that validator's params. */
  async check<V extends ValidatorName>(validator: V, value: unknown): Promise<Checked<ParamsOf<V>>> {
    // A value without newer fields goes to the guard as it is, with no wait.
    const { rest, problem } = carriesNewer(validator, value)
      ? splitNewer(validator, value, await this.#stringLength())
      : { rest: value, problem: undefined };
    if (problem) return { ok: false, problem };
    // The precompiled check accepts exactly what the package's guard plus the newer fields' checks accept.
    if (await this.#passesPrecompiled(validator, value)) return { ok: true, value: value as ParamsOf<V> };
    const { table, format } = await this.#load();
    const guard = guardOf(table, validator);
    // The guard proved the fields it knows and splitNewer the newer ones: together, ParamsOf<V>.
    return guard(rest)
      ? { ok: true, value: value as ParamsOf<V> }
      : { ok: false, problem: format(guard.errors) || "invalid" };
  }

  /**
   * Validates a value with the named validator (`validateConnectParams`, …). Returns undefined
   * when valid, else the reference's error text (`at /client/id: must be equal to …`).
   */
  async problem(validator: ValidatorName, value: unknown): Promise<string | undefined> {
    // A value without newer fields goes to the guard as it is, with no wait.
    const { rest, problem } = carriesNewer(validator, value)
      ? splitNewer(validator, value, await this.#stringLength())
      : { rest: value, problem: undefined };
    if (problem) return problem;
    if (await this.#passesPrecompiled(validator, value)) return undefined;
    const { table, format } = await this.#load();
    const guard = guardOf(table, validator);
    return guard(rest) ? undefined : format(guard.errors) || "invalid";
  }
}
