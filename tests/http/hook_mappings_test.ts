import assert from "node:assert/strict";
import { applyMappings, type HookTransform, normalizeMapping } from "../../src/http/hook_mappings.ts";
import { collectMappings } from "../../src/http/hook_presets.ts";
import type { HookMappingEntry } from "../../src/config/resolved.ts";

const url = new URL("http://h/hooks/x");
const ctx = (path: string, payload: Record<string, unknown>) => ({ payload, headers: {}, url, path });
const mappings = (raw: HookMappingEntry[]) => raw.map((m, i) => normalizeMapping(m, i, (module) => `/t/${module}`));
const noTransform = () => Promise.reject(new Error("no transform expected"));

Deno.test("hook mappings: first match by path and source wins; defaults are agent, now, isolated, mapping-<n>", async () => {
  const table = mappings([
    { match: { path: "/src/", source: "alpha" }, action: "wake", textTemplate: "alpha {{v}}" },
    { match: { path: "src" }, messageTemplate: "any {{v}}", name: "N {{v}}", to: "{{who}}" },
  ]);
  const alpha = await applyMappings(table, ctx("src", { source: "alpha", v: 1 }), noTransform);
  assert.deepEqual(alpha, {
    ok: true,
    fanout: false,
    dropped: 0,
    actions: [{
      kind: "wake",
      mappingId: "mapping-1",
      text: "alpha 1",
      mode: "now",
      agentId: undefined,
      sessionKey: undefined,
      sessionKeySource: undefined,
    }],
  });
  const other = await applyMappings(table, ctx("src/", { source: "beta", v: 2, who: "#ops" }), noTransform);
  assert.ok(other?.ok);
  const action = other.actions[0]!;
  assert.equal(action.kind, "agent");
  assert.equal(action.kind === "agent" && action.message, "any 2");
  assert.equal(action.kind === "agent" && action.name, "N 2");
  assert.equal(action.kind === "agent" && action.to, "#ops");
  assert.equal(action.kind === "agent" && action.sessionMode, "isolated");
  assert.equal(action.mappingId, "mapping-2");
  assert.equal(await applyMappings(table, ctx("elsewhere", {}), noTransform), null);
});

Deno.test("hook mappings: empty renders and bad combinations are refused in the reference's words", async () => {
  const table = mappings([
    { match: { path: "a" }, messageTemplate: "{{missing}}" },
    { match: { path: "w" }, action: "wake", textTemplate: " " },
    { match: { path: "k" }, action: "agent", messageTemplate: "x", sessionKey: "{{id}}" },
    { match: { path: "nh" }, action: "wake", wakeMode: "next-heartbeat", textTemplate: "t", sessionKey: "hook:s" },
  ]);
  const error = async (path: string) => (await applyMappings(table, ctx(path, {}), noTransform)) ?? undefined;
  assert.deepEqual(await error("a"), { ok: false, error: "hook mapping requires message" });
  assert.deepEqual(await error("w"), { ok: false, error: "hook mapping requires text" });
  assert.deepEqual(await error("k"), { ok: false, error: "hook mapping sessionKey template rendered empty" });
  assert.deepEqual(await error("nh"), { ok: false, error: "hook mapping sessionKey requires wakeMode=now" });
});

Deno.test("hook mappings: a transform overrides the rendered action, switches its kind, or skips it with null", async () => {
  const table = mappings([{
    match: { path: "t" },
    action: "wake",
    textTemplate: "base",
    transform: { module: "t.mjs" },
  }]);
  let seen: unknown;
  const transform = (fn: HookTransform) => (ref: { modulePath: string }) => {
    assert.equal(ref.modulePath, "/t/t.mjs");
    return Promise.resolve(fn);
  };
  const over = await applyMappings(table, ctx("t", { v: 1 }), transform((c) => (seen = c, { text: "over" })));
  assert.ok(over?.ok && over.actions[0]?.kind === "wake" && over.actions[0].text === "over");
  assert.deepEqual((seen as { path: string }).path, "t");
  const agent = await applyMappings(
    table,
    ctx("t", {}),
    transform(() => ({ kind: "agent", message: "run", sessionKey: "hook:from-transform" })),
  );
  assert.ok(agent?.ok);
  const action = agent.actions[0]!;
  assert.equal(action.kind, "agent");
  assert.equal(
    action.sessionKeySource,
    "templated",
    "a transform's key counts as payload-derived unless marked static",
  );
  const skipped = await applyMappings(table, ctx("t", {}), transform(() => null));
  assert.deepEqual(skipped, { ok: true, actions: [], fanout: false, dropped: 0 });
  await assert.rejects(applyMappings(
    table,
    ctx("t", {}),
    transform(() => {
      throw new Error("kaput");
    }),
  ));
});

Deno.test("hook mappings: forEach renders one action per item (200 at most), each seeing only its item", async () => {
  const table = mappings([{ match: { path: "f" }, forEach: "items", messageTemplate: "item {{items[0].n}}" }]);
  const items = Array.from({ length: 205 }, (_, n) => ({ n }));
  const result = await applyMappings(table, ctx("f", { items }), noTransform);
  assert.ok(result?.ok);
  assert.equal(result.actions.length, 200);
  assert.equal(result.dropped, 5);
  assert.equal(result.actions[1]?.kind === "agent" && result.actions[1].message, "item 1");
  assert.deepEqual(await applyMappings(table, ctx("f", { items: "no" }), noTransform), {
    ok: true,
    actions: [],
    fanout: true,
    dropped: 0,
  });
  assert.throws(() => mappings([{ forEach: "__proto__" }]), /forEach must be a top-level payload key/);
});

Deno.test("hook presets: gmail comes after custom mappings; unknown presets add nothing", async () => {
  const raw = collectMappings({
    mappings: [{ match: { path: "x" } }],
    presets: ["gmail", "nope"],
    gmailAllowUnsafe: true,
  });
  assert.equal(raw.length, 2);
  assert.equal(raw[1]?.id, "gmail");
  assert.equal(raw[1]?.allowUnsafeExternalContent, true);
  const result = await applyMappings(
    mappings(raw),
    ctx("gmail", { messages: [{ id: "m1", from: "a@b", subject: "S", snippet: "sn", body: "B" }] }),
    noTransform,
  );
  assert.ok(result?.ok);
  const action = result.actions[0]!;
  assert.equal(action.kind === "agent" && action.message, "New email from a@b\nSubject: S\nsn\nB");
  assert.equal(action.sessionKey, "hook:gmail:m1");
  assert.equal(action.kind === "agent" && action.name, "Gmail");
});
