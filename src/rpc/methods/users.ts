// `users.self`, `users.prefs.get` / `users.prefs.set`: profiles and their preferences belong to an
// authenticated user, and this gateway has no user profiles, so `users.self` refuses as the reference
// refuses a caller without one and the preferences answer `no_durable_identity` (the Control UI then
// keeps its preferences in the browser).
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** What both preference methods answer for a caller without a durable profile. */
export const NO_DURABLE_IDENTITY = { status: "no_durable_identity" } as const;

const SET_KEYS = new Set(["entries", "expectedEntries"]);

/**
 * The 2026.9.6 set params (`entries`, optional `expectedEntries` for compare-and-set); the pinned
 * protocol package's validator predates `expectedEntries`, which the Control UI sends.
 */
function prefsSetParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  if (!isJsonObject(params.entries)) return "must have required property 'entries'";
  if (params.expectedEntries !== undefined && !isJsonObject(params.expectedEntries)) {
    return "at /expectedEntries: must be object";
  }
  const extra = Object.keys(params).find((key) => !SET_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

const ACCOUNTS_KEYS = new Set(["profileId", "cursor"]);

/** The 2026.9.6 `users.listModelAccounts` params (optional `profileId`, `cursor`). */
function listModelAccountsParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  for (const key of ACCOUNTS_KEYS) {
    const value = params[key];
    if (value !== undefined && (typeof value !== "string" || value.length === 0)) {
      return `at /${key}: must not have fewer than 1 characters`;
    }
  }
  const extra = Object.keys(params).find((key) => !ACCOUNTS_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** The profile the reference gives the gateway's own operator when no user profiles exist. */
const GATEWAY_OWNER_PROFILE = "gateway-owner";

/** `users.list`, `users.self`, `users.prefs.get`, `users.prefs.set`, `users.listModelAccounts`. */
export function usersMethods(): MethodTable {
  return {
    // `openclaw users list`: no durable user profiles are kept here.
    "users.list": validated("operator.read", "validateUsersListParams", () => ({ profiles: [] })),
    "users.self": validated("operator.read", "validateUsersSelfParams", () => {
      throw new RpcError("FORBIDDEN", "users.self requires an authenticated user");
    }),
    "users.prefs.get": validated("operator.read", "validateUsersPrefsGetParams", () => ({ ...NO_DURABLE_IDENTITY })),
    "users.prefs.set": { scope: "operator.write", check: prefsSetParams, handler: () => ({ ...NO_DURABLE_IDENTITY }) },
    // Models sign in through the config's provider keys here; no account is linked to a profile.
    "users.listModelAccounts": {
      scope: "operator.read",
      check: listModelAccountsParams,
      handler: ({ params }) => ({
        profileId: (params as { profileId?: string } | undefined)?.profileId ?? GATEWAY_OWNER_PROFILE,
        accounts: [],
        links: [],
      }),
    },
  };
}
