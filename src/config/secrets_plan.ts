// The `secrets apply` plan file as the reference accepts it: `{version: 1, protocolVersion: 1, targets,
// providerUpserts?, providerDeletes?, options?}`, every target a registered credential place whose
// `type`, `path`, `pathSegments`, `providerId` and `accountId` agree, with a well-formed SecretRef. A
// plan failing any rule is refused whole (the reference gives one message for all of them).
import { isJsonObject } from "../log/json_object.ts";
import { PROVIDER_ALIAS } from "./secret_ref_builder.ts";
import { matchSecretTarget, type SecretTargetEntry } from "./secret_targets.ts";

/** One validated plan target. */
export interface PlanTarget {
  type: string;
  path: string;
  segments: string[];
  entry: SecretTargetEntry;
  ref: { source: string; provider: string; id: string };
}

/** A validated plan. */
export interface SecretsPlan {
  targets: PlanTarget[];
  providerUpserts: Record<string, Record<string, unknown>>;
  providerDeletes: string[];
  scrubEnv: boolean;
}

const BLOCKED_KEYS = new Set(["__proto__", "prototype", "constructor"]);
const STORE_OR_ENV_ID = /^[A-Z][A-Z0-9_]{0,127}$/;
const EXEC_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,255}$/;

function validRef(value: unknown): PlanTarget["ref"] | undefined {
  if (!isJsonObject(value)) return undefined;
  const { source, provider, id } = value;
  if (typeof source !== "string" || !["env", "file", "exec", "store"].includes(source)) return undefined;
  if (typeof provider !== "string" || !provider.trim() || !PROVIDER_ALIAS.test(provider)) return undefined;
  if (typeof id !== "string" || !id.trim()) return undefined;
  if ((source === "env" || source === "store") && !STORE_OR_ENV_ID.test(id)) return undefined;
  if (source === "file" && id !== "value" && !id.startsWith("/")) return undefined;
  if (source === "exec" && (!EXEC_ID.test(id) || id.split("/").some((part) => part === "." || part === ".."))) {
    return undefined;
  }
  return { source, provider, id };
}

function validTarget(value: unknown): PlanTarget | undefined {
  if (!isJsonObject(value)) return undefined;
  const { type, path, pathSegments, providerId, accountId } = value;
  if (typeof type !== "string" || !type.trim() || typeof path !== "string" || !path.trim()) return undefined;
  if (pathSegments !== undefined && !Array.isArray(pathSegments)) return undefined;
  const parsed = path.trim().split(".");
  const segments = Array.isArray(pathSegments) && pathSegments.length > 0
    ? pathSegments.map((s) => String(s).trim())
    : parsed;
  if (segments.some((s) => s === "" || BLOCKED_KEYS.has(s)) || segments.join(".") !== parsed.join(".")) {
    return undefined;
  }
  const entry = matchSecretTarget(type, segments);
  if (!entry) return undefined;
  if (providerId !== undefined && (entry.providerIndex === undefined || segments[entry.providerIndex] !== providerId)) {
    return undefined;
  }
  if (accountId !== undefined && (entry.accountIndex === undefined || segments[entry.accountIndex] !== accountId)) {
    return undefined;
  }
  const ref = validRef(value.ref);
  return ref ? { type, path: segments.join("."), segments, entry, ref } : undefined;
}

function validProvider(value: unknown): value is Record<string, unknown> {
  if (!isJsonObject(value)) return false;
  if (value.source === "env") return true;
  if (value.source === "file") return typeof value.path === "string" && value.path.trim() !== "";
  if (value.source === "exec") return typeof value.command === "string" && value.command.trim() !== "";
  return false;
}

/** The plan `value` describes, or undefined when the reference would refuse it as invalid. */
export function parseSecretsPlan(value: unknown): SecretsPlan | undefined {
  if (!isJsonObject(value) || value.version !== 1 || value.protocolVersion !== 1 || !Array.isArray(value.targets)) {
    return undefined;
  }
  const targets: PlanTarget[] = [];
  for (const raw of value.targets) {
    const target = validTarget(raw);
    if (!target) return undefined;
    targets.push(target);
  }
  const upserts = value.providerUpserts ?? {};
  if (!isJsonObject(upserts)) return undefined;
  for (const [alias, provider] of Object.entries(upserts)) {
    if (!PROVIDER_ALIAS.test(alias) || !validProvider(provider)) return undefined;
  }
  const deletes = value.providerDeletes ?? [];
  if (!Array.isArray(deletes) || deletes.some((alias) => typeof alias !== "string" || !PROVIDER_ALIAS.test(alias))) {
    return undefined;
  }
  const options = isJsonObject(value.options) ? value.options : {};
  return {
    targets,
    providerUpserts: upserts as Record<string, Record<string, unknown>>,
    providerDeletes: deletes as string[],
    scrubEnv: options.scrubEnv !== false,
  };
}

/** True when applying the plan could run a program (an exec ref or exec provider). */
export function planRunsExec(plan: SecretsPlan): boolean {
  return plan.targets.some((t) => t.ref.source === "exec") ||
    Object.values(plan.providerUpserts).some((p) => p.source === "exec");
}
