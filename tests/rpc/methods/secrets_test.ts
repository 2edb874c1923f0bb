import assert from "node:assert/strict";
import { validateSecretsStoreListResult, validateSecretsStoreMutationResult } from "@openclaw/gateway-protocol";
import { secretsMethods, storeRefNames } from "../../../src/rpc/methods/secrets.ts";
import { openStateDb } from "../../../src/state/state_db.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

function fixture(referenced: string[], reload: () => Promise<{ warningCount: number; apply(): Promise<void> }>) {
  const stateDir = Deno.makeTempDirSync({ prefix: "oc-secrets-rpc-" });
  const db = openStateDb(stateDir);
  const warnings: string[] = [];
  const table = secretsMethods({
    stateDb: () => Promise.resolve(db),
    referencedStoreNames: () => new Set(referenced),
    reloadSecrets: reload,
    warn: (message) => warnings.push(message),
  });
  return {
    table,
    warnings,
    [Symbol.dispose]: () => {
      db.close();
      Deno.removeSync(stateDir, { recursive: true });
    },
  };
}

Deno.test("secrets.store.set/list/delete keep secret values out and re-resolve only referenced names", async () => {
  let reloads = 0;
  using f = fixture(["GW_TOKEN"], () => {
    reloads++;
    return Promise.resolve({ warningCount: 0, apply: () => Promise.resolve() });
  });
  const set = (params: unknown) => payloadOf(f.table, "secrets.store.set", params);
  assert.deepEqual(await set({ name: "LOG_LEVEL", value: "debug", kind: "env" }), { ok: true, reloaded: false });
  assert.deepEqual(await set({ name: "GW_TOKEN", value: "tok-1", kind: "secret", allowedHosts: ["A.example.com"] }), {
    ok: true,
    reloaded: true,
    warningCount: 0,
  });
  assert.equal(reloads, 1);
  const list = await payloadOf(f.table, "secrets.store.list") as { entries: Record<string, unknown>[] };
  const valid: boolean = validateSecretsStoreListResult(list);
  assert.ok(valid, "the reference's result schema accepts it");
  assert.deepEqual(list.entries.map((e) => [e.name, e.kind, e.value ?? e.allowedHosts]), [
    ["GW_TOKEN", "secret", ["a.example.com"]],
    ["LOG_LEVEL", "env", "debug"],
  ]);
  assert.ok(!JSON.stringify(list).includes("tok-1"), "a secret value never leaves");
  const deleted = await payloadOf(f.table, "secrets.store.delete", { name: "LOG_LEVEL" });
  assert.ok(validateSecretsStoreMutationResult(deleted));
  assert.deepEqual(deleted, { ok: true, reloaded: false });
});

Deno.test("secrets.store.set refuses in the store's words; a failed refresh after a saved write is UNAVAILABLE", async () => {
  using f = fixture(["GW_TOKEN"], () => Promise.reject(new Error("GW_TOKEN cannot resolve")));
  const empty = await callMethod(f.table, "secrets.store.set", { name: "EMPTY_TOKEN", value: "", kind: "secret" });
  assert.deepEqual(!empty.ok && [empty.error.code, empty.error.message], [
    "INVALID_REQUEST",
    "Secret store value is empty. Secret entries require a value; check the command that produced it.",
  ]);
  const hosts = await callMethod(f.table, "secrets.store.set", {
    name: "LOG_LEVEL",
    value: "x",
    kind: "env",
    allowedHosts: ["a.com"],
  });
  assert.equal(!hosts.ok && hosts.error.message, "Allowed hosts apply only to secret entries.");
  const saved = await callMethod(f.table, "secrets.store.set", { name: "GW_TOKEN", value: "t", kind: "secret" });
  assert.deepEqual(!saved.ok && [saved.error.code, saved.error.message], [
    "UNAVAILABLE",
    "Secret store entry was saved, but post-write runtime refresh failed. Resolve provider errors and retry secrets.reload.",
  ]);
  const reload = await callMethod(f.table, "secrets.reload", {});
  assert.equal(!reload.ok && reload.error.message, "secrets.reload failed");
  assert.equal(f.warnings.length, 2);
  const read = await callMethod(f.table, "secrets.store.list", {}, ["operator.read"]);
  assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
});

Deno.test("storeRefNames finds every store SecretRef in a raw config and nothing else", () => {
  assert.deepEqual(
    [
      ...storeRefNames({
        gateway: { auth: { token: { source: "store", provider: "default", id: "GW_TOKEN" } } },
        channels: { x: [{ botToken: { source: "store", id: "BOT_TOKEN" } }, { t: { source: "env", id: "ENV_ONE" } }] },
      }),
    ],
    ["GW_TOKEN", "BOT_TOKEN"],
  );
});
