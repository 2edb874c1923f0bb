// `secrets.resolve` (operator.admin), as the reference 2026.9.6 answers it: for the registered credential
// places `targetIds` name (filtered by `allowedPaths`), the resolved value of each one the config in
// force gives as a SecretRef: `{ok, assignments: [{path, pathSegments, value}], diagnostics,
// inactiveRefPaths}`. Refs that do not resolve are left out, as the reference leaves out unresolved ones.
// Bad params are INVALID_REQUEST `invalid secrets.resolve params: <field>`, an unknown id names itself.
import { CONFIG_SECRET_TARGETS, discoverSecretTargets } from "../../config/secret_targets.ts";
import { isUsableSecretString, resolveSecretRefs, type SecretRefContext } from "../../config/secret_ref_resolver.ts";
import { coerceSecretRef, secretRefLabel } from "../../config/secret_ref_key.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";

/** What `secrets.resolve` reads: the config in force and the resolution context of the gateway. */
export interface SecretsResolveDeps {
  config(): Readonly<Record<string, unknown>>;
  env: SecretRefContext["env"];
  /**
   * The value in force at a place the gateway resolved at start or on `secrets.reload` (gateway.auth
   * token and password): what the reference's runtime snapshot answers, not a fresh read.
   */
  inForce(path: string): string | undefined;
  /** Opens the team store reader (node:sqlite) on first use only. */
  storeReader(): Promise<(name: string) => string | undefined>;
  warn(message: string): void;
}

/** Target ids the reference knows beyond openclaw.json places: its auth-profile store targets. */
const AUTH_PROFILE_TARGET_IDS = ["auth-profiles.api_key.key", "auth-profiles.token.token"];

const KNOWN_TARGET_IDS = new Set([...CONFIG_SECRET_TARGETS.map((t) => t.id), ...AUTH_PROFILE_TARGET_IDS]);

const LIST_FIELDS = ["allowedPaths", "forcedActivePaths", "optionalActivePaths"] as const;

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string" && item.length > 0);
}

/** The params field the reference names when its schema refuses `params`, or undefined when they pass. */
export function invalidResolveField(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "targetIds";
  if (typeof params.commandName !== "string" || params.commandName.length === 0) return "commandName";
  for (const field of LIST_FIELDS) {
    if (params[field] !== undefined && !isStringList(params[field])) return field;
  }
  const overrides = params.providerOverrides;
  if (overrides !== undefined) {
    if (!isJsonObject(overrides)) return "providerOverrides";
    for (const [key, value] of Object.entries(overrides)) {
      if (!["webSearch", "webFetch"].includes(key) || typeof value !== "string" || value.length === 0) {
        return "providerOverrides";
      }
    }
  }
  const allowed = new Set(["commandName", "targetIds", ...LIST_FIELDS, "providerOverrides"]);
  if (!isStringList(params.targetIds) || Object.keys(params).some((key) => !allowed.has(key))) return "targetIds";
  return undefined;
}

function trimmedList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((s) => String(s).trim()).filter((s) => s.length > 0) : undefined;
}

/** Builds `secrets.resolve`. */
export function secretsResolveMethods(deps: SecretsResolveDeps): MethodTable {
  return {
    "secrets.resolve": {
      scope: "operator.admin",
      check: invalidResolveField,
      handler: async ({ params }) => {
        const input = params as Record<string, unknown>;
        if (!String(input.commandName).trim()) {
          throw new RpcError("INVALID_REQUEST", "invalid secrets.resolve params: commandName");
        }
        const targetIds = trimmedList(input.targetIds) ?? [];
        for (const id of targetIds) {
          if (!KNOWN_TARGET_IDS.has(id)) {
            throw new RpcError("INVALID_REQUEST", `invalid secrets.resolve params: unknown target id "${id}"`);
          }
        }
        const allowed = trimmedList(input.allowedPaths);
        try {
          return { ok: true, ...await resolveTargets(deps, new Set(targetIds), allowed && new Set(allowed)) };
        } catch (error) {
          deps.warn(`secrets.resolve failed: ${error instanceof Error ? error.message : String(error)}`);
          throw new RpcError("UNAVAILABLE", "secrets.resolve failed");
        }
      },
    },
  };
}

async function resolveTargets(
  deps: SecretsResolveDeps,
  targetIds: Set<string>,
  allowedPaths: Set<string> | undefined,
): Promise<{ assignments: unknown[]; diagnostics: string[]; inactiveRefPaths: string[] }> {
  const config = deps.config();
  const wanted = discoverSecretTargets(config)
    .filter((target) => targetIds.has(target.entry.id) && (!allowedPaths || allowedPaths.has(target.path)))
    .flatMap((target) => {
      const ref = coerceSecretRef(target.value, config);
      return ref ? [{ target, ref }] : [];
    });
  if (wanted.length === 0) return { assignments: [], diagnostics: [], inactiveRefPaths: [] };
  const fresh = wanted.filter((w) => deps.inForce(w.target.path) === undefined);
  const readStore = fresh.some((w) => w.ref.source === "store") ? await deps.storeReader() : undefined;
  const outcomes = await resolveSecretRefs(fresh.map((w) => w.ref), {
    config,
    env: deps.env,
    readStore,
    readFile: (path) => Deno.readTextFile(path),
  });
  const assignments = wanted.flatMap(({ target, ref }) => {
    const held = deps.inForce(target.path);
    if (held !== undefined) return [{ path: target.path, pathSegments: target.segments, value: held }];
    const outcome = outcomes.get(secretRefLabel(ref));
    if (!outcome?.ok || !isUsableSecretString(outcome.value)) return [];
    return [{ path: target.path, pathSegments: target.segments, value: outcome.value }];
  });
  return { assignments, diagnostics: [], inactiveRefPaths: [] };
}
