import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { resolveModels } from "../../../src/config/resolve_agents.ts";
import {
  type ListedModel,
  MODEL_SELECTION_POLICY_CAP,
  modelsMethods,
  UNKNOWN_PROVIDER,
  visibleRows,
} from "../../../src/rpc/methods/models.ts";
import { openModelPolicy } from "../../../src/config/model_policy.ts";
import type { MethodTable } from "../../../src/rpc/registry.ts";
import { operatorCaller } from "../../support/rpc_caller.ts";
import { payloadOf } from "../../support/method_call.ts";
import { policyConfig } from "../../support/model_policy_cases.ts";

type Listed = { models: Record<string, unknown>[] };

function methodsFor(name: string) {
  const config = policyConfig(name) as never;
  const agents = agentsFromConfig(config, "/tmp/oc-models-unused", "/home/test");
  return modelsMethods({ agents: () => agents, models: () => resolveModels(config) });
}

Deno.test("models.list shows an agent's allowed rows with their alias and role tags; view all shows everything", async () => {
  const methods = methodsFor("policy");
  const main = (await payloadOf(methods, "models.list", { agentId: "main" })) as Listed;
  assert.deepEqual(main.models.map((m) => `${m.provider}/${m.id}`), ["fake/gpt-large", "fake/m1", "fake/m2-mini"]);
  const m1 = main.models[1]!;
  assert.equal(m1.alias, "one");
  assert.deepEqual(m1.tags, ["default", "configured"]);
  assert.equal("alias" in main.models[2]!, false);
  assert.equal("tags" in main.models[2]!, false);
  const ops = (await payloadOf(methods, "models.list", { agentId: "ops" })) as Listed;
  assert.deepEqual(ops.models.map((m) => `${m.provider}/${m.id}`), ["fake/m1", "other/o2"]);
  assert.deepEqual([ops.models[1]!.alias, ops.models[1]!.tags], ["two", ["configured"]]);
  const all = (await payloadOf(methods, "models.list", { agentId: "main", view: "all" })) as Listed;
  assert.equal(all.models.length, 7);
});

/** Calls `models.list` as a client declaring `caps` (the Control UI declares the selection-policy one). */
async function listAs(methods: MethodTable, params: Record<string, unknown>, caps: string[]): Promise<Listed> {
  const caller = { ...operatorCaller(["operator.read"]), caps };
  return (await methods["models.list"]!.handler({ params, caller, accept() {} })) as Listed;
}

Deno.test("models.list tells a client declaring the selection-policy cap which rows it may pick by hand, in any view", async () => {
  const methods = methodsFor("nested");
  const configured = await listAs(methods, { agentId: "main", view: "configured" }, [MODEL_SELECTION_POLICY_CAP]);
  assert.deepEqual(
    configured.models.map((m) => [`${m.provider}/${m.id}`, m.manualSelectionAllowed]),
    [["fake/m1", true], ["other/ns/a", true]],
  );
  const all = await listAs(methods, { agentId: "main", view: "all" }, [MODEL_SELECTION_POLICY_CAP]);
  assert.ok(all.models.some((m) => m.manualSelectionAllowed === false), "view all shows rows the policy refuses");
  const plain = await listAs(methods, { agentId: "main", view: "configured" }, []);
  assert.ok(plain.models.every((m) => !("manualSelectionAllowed" in m)), "a client without the cap is not told");
});

Deno.test("models.list previews the utility model in the unscoped configured view; a session-scoped read names the account selection", async () => {
  const methods = methodsFor("open");
  const configured = (await payloadOf(methods, "models.list", { view: "configured" })) as Record<string, unknown>;
  assert.deepEqual(configured.defaultModels, { automaticUtilityModel: null });
  assert.equal("accountSelection" in configured, false);
  const plain = (await payloadOf(methods, "models.list", { view: "default" })) as Record<string, unknown>;
  assert.deepEqual(Object.keys(plain), ["models"], "no catalog refresh ran: no outcomes, no refreshFailed");
  const scoped = (await payloadOf(methods, "models.list", {
    view: "configured",
    sessionKey: "agent:main:main",
  })) as Record<string, unknown>;
  assert.equal("defaultModels" in scoped, false);
  assert.deepEqual(scoped.accountSelection, { kind: "automatic", label: "Automatic account selection" });
});

Deno.test("visibleRows: view all is the catalog; a restricting policy shows what it allows; else every row and the unlisted configured ids", () => {
  const row = (provider: string, id: string): ListedModel => ({
    provider,
    id,
    name: id,
    reasoning: true,
    available: true,
  });
  const catalog = [row("anthropic", "claude-opus-5"), row("fake", "m1"), row("fake", "m2")];
  const open = openModelPolicy();
  const configured = ["anthropic/claude-unknown-9", "fake/m1"];
  assert.deepEqual(visibleRows(catalog, { policy: open, configured, all: true }), catalog);
  assert.deepEqual(
    visibleRows(catalog, { policy: open, configured, all: false }).map((m) => `${m.provider}/${m.id}`),
    ["anthropic/claude-opus-5", "fake/m1", "fake/m2", "anthropic/claude-unknown-9"],
  );
  const unknown = visibleRows(catalog, { policy: open, configured, all: false }).at(-1)!;
  assert.deepEqual([unknown.name, unknown.reasoning], ["claude-unknown-9", false], "listed by its id alone");
  const restricted = { ...open, allowAny: false, entries: ["fake/m2", "zeta/z"], exact: ["fake/m2", "zeta/z"] };
  assert.deepEqual(
    visibleRows(catalog, { policy: restricted, configured, all: false }).map((m) => `${m.provider}/${m.id}`),
    ["fake/m2", "zeta/z"],
  );
});

Deno.test("models.list: the provider-config view lists the configured rows as authored, with input; an unknown provider is refused", async () => {
  const rows: ListedModel[] = [
    { id: "z2", name: "z2", provider: "zeta", reasoning: false, available: true, input: ["text"] },
    { id: "a1", name: "a1", provider: "zeta", reasoning: false, available: true },
  ];
  const starter: ListedModel = {
    id: "claude-opus-5",
    name: "Claude Opus 5",
    provider: "anthropic",
    reasoning: true,
    available: true,
  };
  const agents = agentsFromConfig({} as never, "/tmp/oc-models-unused", "/home/test");
  const methods = modelsMethods({
    agents: () => agents,
    models: () => rows as never,
    catalog: () =>
      Promise.resolve({
        models: [...rows, starter] as never,
        providerInventory: rows as never,
        knownProviders: ["zeta", "anthropic"],
        outcomes: [],
        automaticUtilityModel: null,
      }),
  });
  const inventory = (await payloadOf(methods, "models.list", { view: "provider-config" })) as Listed;
  assert.deepEqual(inventory.models.map((m) => m.id), ["z2", "a1"], "config order, no starters");
  assert.deepEqual(inventory.models[0]!.input, ["text"]);
  const byDefault = (await payloadOf(methods, "models.list", {})) as Listed;
  assert.deepEqual(byDefault.models.map((m) => m.id), ["claude-opus-5", "a1", "z2"]);
  assert.equal("input" in byDefault.models[1]!, false);
  const filtered = (await payloadOf(methods, "models.list", { provider: "ZETA", view: "all" })) as Listed;
  assert.deepEqual(filtered.models.map((m) => m.id), ["a1", "z2"]);
  await assert.rejects(
    async () => await listAs(methods, { provider: "nope" }, []),
    (error: Error & { code?: string }) => error.message === UNKNOWN_PROVIDER && error.code === "UNAVAILABLE",
  );
});
