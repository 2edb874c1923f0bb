// `users.prefs.get` / `users.prefs.set`: preferences belong to a durable user profile, and this
// gateway has no user profiles, so both answer the reference's `no_durable_identity` (the Control UI
// then keeps its preferences in the browser).
import { type MethodTable, validated } from "../registry.ts";

/** What both preference methods answer for a caller without a durable profile. */
export const NO_DURABLE_IDENTITY = { status: "no_durable_identity" } as const;

/** `users.prefs.get`, `users.prefs.set`. */
export function usersMethods(): MethodTable {
  return {
    "users.prefs.get": validated("operator.read", "validateUsersPrefsGetParams", () => ({ ...NO_DURABLE_IDENTITY })),
    "users.prefs.set": validated("operator.write", "validateUsersPrefsSetParams", () => ({ ...NO_DURABLE_IDENTITY })),
  };
}
