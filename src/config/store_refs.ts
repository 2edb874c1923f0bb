// Whether a config names the team secret store anywhere: the store reader opens the state database
// through node:sqlite, which the gateway's start path and the CLI's fast commands keep out unless a
// `{source: "store"}` reference needs it.
import { isJsonObject } from "../log/json_object.ts";

/** True when `value` holds a `{source: "store", id}` SecretRef at any depth. */
export function hasStoreRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasStoreRef);
  if (!isJsonObject(value)) return false;
  if (value.source === "store" && typeof value.id === "string") return true;
  return Object.values(value).some(hasStoreRef);
}
