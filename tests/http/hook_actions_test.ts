import assert from "node:assert/strict";
import { join } from "node:path";
import { env, hooksApp, post, SECRET } from "../support/hooks_app.ts";

const TRANSFORM = `
export default function ({ payload, path, headers }) {
  if (payload.skip) return null;
  return { kind: "wake", text: "T " + payload.v + " " + path + " " + (headers["x-user"] ?? "") };
}
export function boom() { throw new Error("kaput"); }
export function toAgent({ payload }) { return { kind: "agent", message: "A " + payload.v, deliver: false }; }
`;

/** An app whose config dir holds hooks/transforms/t.mjs, with a representative mapping table. */
async function mappedApp() {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(join(dir, "hooks", "transforms"), { recursive: true });
  await Deno.writeTextFile(join(dir, "hooks", "transforms", "t.mjs"), TRANSFORM);
  const app = hooksApp({
    configDir: dir,
    routing: {
      allowRequestSessionKey: true,
      allowedSessionKeyPrefixes: ["hook:"],
      presets: ["gmail"],
      mappings: [
        {
          id: "gh",
          match: { path: "github" },
          name: "GH {{repo}}",
          messageTemplate: "PR {{pull_request.title}} by {{headers.x-user}} ({{query.kind}})",
          channel: "irc",
          to: "#{{repo}}",
        },
        { match: { path: "ping" }, action: "wake", textTemplate: "Ping from {{source}}" },
        { match: { path: "src", source: "alpha" }, action: "wake", textTemplate: "alpha" },
        { match: { path: "badkey" }, sessionKey: "other:{{id}}", messageTemplate: "x" },
        { match: { path: "ch" }, messageTemplate: "x", channel: "bogus" },
        { match: { path: "tr" }, transform: { module: "t.mjs" } },
        { match: { path: "trthrow" }, transform: { module: "t.mjs", export: "boom" } },
        {
          match: { path: "tragent" },
          action: "wake",
          textTemplate: "base",
          transform: { module: "t.mjs", export: "toAgent" },
        },
        { match: { path: "fan" }, forEach: "items", messageTemplate: "item {{items[0].n}}", deliver: false },
      ],
    },
  });
  return { ...app, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

Deno.test("hook mappings over HTTP: templated agent runs delivered to the mapping's channel target", async () => {
  const { app, dispatched, cleanup } = await mappedApp();
  try {
    const res = await app.request("/hooks/github?kind=pr", {
      ...post({ repo: "core", pull_request: { title: "Fix" } }),
      headers: { authorization: `Bearer ${SECRET}`, "x-user": "bob" },
    }, env);
    assert.deepEqual(await res.json(), { ok: true, runId: "run-1" });
    const value = dispatched[0]!;
    assert.equal(value.message, "PR Fix by bob (pr)");
    assert.equal(value.name, "GH core");
    assert.deepEqual(value.delivery, { mode: "announce", channel: "irc", to: "#core" });
    assert.equal(value.sessionMode, "isolated");
    assert.match(value.sessionKey, /^hook:[0-9a-f-]{36}$/);
  } finally {
    await cleanup();
  }
});

Deno.test("hook mappings over HTTP: wake actions, source matching, 404 without a match, the reference's refusals", async () => {
  const { app, woken, cleanup } = await mappedApp();
  try {
    const json = async (path: string, body: unknown) => {
      const res = await app.request(`/hooks/${path}`, post(body), env);
      return [res.status, res.status === 404 ? await res.text() : await res.json()];
    };
    assert.deepEqual(await json("ping", { source: "s1" }), [200, { ok: true, mode: "now", eventOutcome: "queued" }]);
    assert.deepEqual(woken[0], { text: "Ping from s1", mode: "now", agentId: "main", sessionKey: undefined });
    assert.deepEqual(await json("src", { source: "alpha" }), [200, {
      ok: true,
      mode: "now",
      eventOutcome: "coalesced",
    }]);
    assert.deepEqual(await json("src", { source: "beta" }), [404, "Not Found"]);
    assert.deepEqual(await json("nothing", {}), [404, "Not Found"]);
    assert.deepEqual(await json("badkey", { id: "1" }), [400, {
      ok: false,
      error: "sessionKey must start with one of: hook:",
    }]);
    assert.deepEqual(await json("ch", {}), [400, { ok: false, error: "channel must be last|irc" }]);
  } finally {
    await cleanup();
  }
});

Deno.test("hook mappings over HTTP: transforms override, skip (204), switch to agent, and a throw is 500", async () => {
  const { app, woken, dispatched, warnings, cleanup } = await mappedApp();
  try {
    const res = await app.request("/hooks/tr", {
      ...post({ v: 7 }),
      headers: { authorization: `Bearer ${SECRET}`, "x-user": "ann" },
    }, env);
    assert.equal(res.status, 200);
    assert.equal(woken[0]?.text, "T 7 tr ann");
    const skipped = await app.request("/hooks/tr", post({ skip: true }), env);
    assert.equal(skipped.status, 204);
    assert.equal(await skipped.text(), "");
    const thrown = await app.request("/hooks/trthrow", post({}), env);
    assert.equal(thrown.status, 500);
    assert.deepEqual(await thrown.json(), { ok: false, error: "hook mapping failed" });
    assert.match(warnings.join("\n"), /hook mapping failed: Error: kaput/);
    const agent = await app.request("/hooks/tragent", post({ v: 3 }), env);
    assert.deepEqual(await agent.json(), { ok: true, runId: "run-1" });
    assert.equal(dispatched[0]?.message, "A 3");
    assert.equal(dispatched[0]?.deliver, false);
  } finally {
    await cleanup();
  }
});

Deno.test("hook mappings over HTTP: forEach fans out (runIds, dispatched), none is 204; the gmail preset needs allowRequestSessionKey", async () => {
  const { app, dispatched, cleanup } = await mappedApp();
  try {
    const fan = await app.request("/hooks/fan", post({ items: [{ n: 1 }, { n: 2 }] }), env);
    assert.deepEqual(await fan.json(), { ok: true, runId: "run-1", runIds: ["run-1", "run-2"], dispatched: 2 });
    assert.deepEqual(dispatched.map((d) => d.message), ["item 1", "item 2"]);
    assert.deepEqual(dispatched.map((d) => d.background), [true, true], "fan-out items are admitted in the background");
    assert.equal((await app.request("/hooks/fan", post({ items: [] }), env)).status, 204);
    const gmail = await app.request("/hooks/gmail", post({ messages: [{ id: "m1", from: "a@b", subject: "S" }] }), env);
    assert.deepEqual(await gmail.json(), { ok: true, runId: "run-3" });
    assert.equal(dispatched[2]?.sessionKey, "hook:gmail:m1");
    assert.equal(dispatched[2]?.contentSource, "email");
    assert.deepEqual(dispatched[2]?.delivery, { mode: "announce", channel: "last", to: undefined });
  } finally {
    await cleanup();
  }
});
