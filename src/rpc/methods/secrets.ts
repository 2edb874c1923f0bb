// `secrets.store.list|set|delete` and `secrets.reload`, as the reference 2026.9.6 answers them
// (tests/fixtures/secrets/gateway/wire_calls.json): the team store rows of the shared state database, a
// refused input answered with the store's own words (INVALID_REQUEST), and a write to a name the config
// references through a `{source: "store"}` SecretRef re-resolving the secrets in force (`reloaded: true`).
import type { DatabaseSync } from "node:sqlite";
import {
  deleteStoreEntry,
  ensureSecretStoreTable,
  listStoreEntries,
  purgeExpiredStoreEntries,
  type StoreEntryMetadata,
  writeStoreEntry,
} from "../../state/secret_store.ts";
import { SecretStoreValidationError } from "../../state/secret_store_rules.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { afterResponseOf, type MethodCall, type MethodTable, validated } from "../registry.ts";

/** What the secrets methods need: the state database, the config's store references and a re-resolution. */
export interface SecretsDeps {
  /** The global state database (where `secret_store_entries` lives). */
  stateDb(): Promise<DatabaseSync>;
  /** Names the active config references with a `{source: "store"}` SecretRef. */
  referencedStoreNames(): Set<string>;
  /** Re-resolves the config's SecretRefs (throws when one cannot resolve); `apply` swaps the secrets in force. */
  reloadSecrets(): Promise<{ warningCount: number; apply(): Promise<void> }>;
  /** Reports a failure the reply does not detail (the reference logs it and answers UNAVAILABLE). */
  warn(message: string): void;
}

/** One entry as `secrets.store.list` answers it: env values shown, secret values never. */
function protocolEntry(entry: StoreEntryMetadata): Record<string, unknown> {
  const metadata = {
    name: entry.name,
    scopeKind: "team",
    scopeId: "",
    createdAtMs: entry.createdAtMs,
    updatedAtMs: entry.updatedAtMs,
    ...(entry.updatedBy ? { updatedBy: entry.updatedBy } : {}),
  };
  return entry.kind === "env"
    ? { ...metadata, kind: "env", value: entry.valuePreview ?? "" }
    : { ...metadata, kind: "secret", allowedHosts: entry.allowedHosts ?? [] };
}

/** Who wrote: the connecting client's id (`cli`, `openclaw-control-ui`), else "gateway", as the reference records it. */
function updatedBy(clientId: string | undefined): string {
  return clientId?.trim() || "gateway";
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `secrets.reload` takes no params; the reference ignores any it is sent. */
function anyParams(_params: unknown): string | undefined {
  return undefined;
}

/** Builds `secrets.store.list`, `secrets.store.set`, `secrets.store.delete` and `secrets.reload`. */
export function secretsMethods(deps: SecretsDeps): MethodTable {
  // The new secrets take effect once the reply is written: a rotated gateway token closes the sessions
  // opened with the old one, and the caller's own must hear its answer first.
  const reload = async (call: MethodCall<unknown>): Promise<{ warningCount: number }> => {
    const prepared = await deps.reloadSecrets();
    afterResponseOf(call.afterResponse)(() => void prepared.apply().catch((error) => deps.warn(messageOf(error))));
    return { warningCount: prepared.warningCount };
  };
  const afterMutation = async (
    call: MethodCall<unknown>,
    name: string,
    failure: string,
  ): Promise<Record<string, unknown>> => {
    if (!deps.referencedStoreNames().has(name)) return { ok: true, reloaded: false };
    try {
      return { ok: true, reloaded: true, warningCount: (await reload(call)).warningCount };
    } catch (error) {
      deps.warn(`secrets.store runtime refresh failed: ${messageOf(error)}`);
      throw new RpcError("UNAVAILABLE", failure);
    }
  };
  return {
    "secrets.store.list": validated("operator.admin", "validateSecretsStoreListParams", async () => {
      const db = await deps.stateDb();
      ensureSecretStoreTable(db);
      return { entries: listStoreEntries(db).map(protocolEntry) };
    }),
    "secrets.store.set": validated("operator.admin", "validateSecretsStoreSetParams", async (call) => {
      const { params, caller } = call;
      const db = await deps.stateDb();
      try {
        ensureSecretStoreTable(db);
        if (params.kind === "env" && params.allowedHosts !== undefined) {
          throw new SecretStoreValidationError(
            "SECRET_STORE_INVALID_ALLOWED_HOST",
            "Allowed hosts apply only to secret entries.",
          );
        }
        writeStoreEntry(db, {
          name: params.name,
          value: params.value,
          kind: params.kind,
          ...(params.allowedHosts !== undefined ? { allowedHosts: params.allowedHosts } : {}),
          updatedBy: updatedBy(caller.clientId),
        });
        purgeExpiredStoreEntries(db);
      } catch (error) {
        if (error instanceof SecretStoreValidationError) throw new RpcError("INVALID_REQUEST", error.message);
        deps.warn(`secrets.store.set failed: ${messageOf(error)}`);
        throw new RpcError("UNAVAILABLE", "secrets.store.set failed");
      }
      return await afterMutation(
        call,
        params.name,
        "Secret store entry was saved, but post-write runtime refresh failed. Resolve provider errors and retry secrets.reload.",
      );
    }),
    "secrets.store.delete": validated("operator.admin", "validateSecretsStoreDeleteParams", async (call) => {
      const { params } = call;
      const db = await deps.stateDb();
      try {
        ensureSecretStoreTable(db);
        deleteStoreEntry(db, params.name);
        purgeExpiredStoreEntries(db);
      } catch (error) {
        deps.warn(`secrets.store.delete failed: ${messageOf(error)}`);
        throw new RpcError("UNAVAILABLE", "secrets.store.delete failed");
      }
      return await afterMutation(
        call,
        params.name,
        "Secret store entry was deleted, but the active runtime could not refresh. Update the config reference or restore the entry, then retry secrets.reload.",
      );
    }),
    "secrets.reload": {
      scope: "operator.admin",
      check: anyParams,
      handler: async (call) => {
        try {
          return { ok: true, warningCount: (await reload(call)).warningCount };
        } catch (error) {
          deps.warn(`secrets.reload failed: ${messageOf(error)}`);
          throw new RpcError("UNAVAILABLE", "secrets.reload failed");
        }
      },
    },
  };
}

/** The names `{source: "store"}` SecretRefs name anywhere in a raw config. */
export function storeRefNames(config: unknown): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isJsonObject(value)) return;
    if (value.source === "store" && typeof value.id === "string") names.add(value.id);
    for (const child of Object.values(value)) visit(child);
  };
  visit(config);
  return names;
}
