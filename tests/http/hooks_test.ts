import assert from "node:assert/strict";
import type { HookCompletion } from "../../src/automation/hook_runs.ts";
import { normalizeHooksPath } from "../../src/http/hooks.ts";
import { env, hooksApp, post, SECRET } from "../support/hooks_app.ts";
import { WorkAdmission } from "../../src/rpc/work_admission.ts";

Deno.test("hooks: the hook token from a header is required; the query string is refused outright", async () => {
  const { app, woken } = hooksApp();
  const query = await app.request(`/hooks/wake?token=${SECRET}`, post({ text: "x" }), env);
  assert.equal(query.status, 400);
  assert.match(await query.text(), /query parameters are not allowed/);
  assert.equal((await app.request("/hooks/wake", post({ text: "x" }, {}), env)).status, 401);
  assert.equal(
    (await app.request("/hooks/wake", post({ text: "x" }, { authorization: "Bearer nope" }), env)).status,
    401,
  );
  const viaHeader = await app.request("/hooks/wake", post({ text: "hello" }, { "x-openclaw-token": SECRET }), env);
  assert.deepEqual(await viaHeader.json(), { ok: true, mode: "now", eventOutcome: "queued" });
  assert.deepEqual(woken, [{ text: "hello", mode: "now", agentId: "main", sessionKey: undefined }]);
  const get = await app.request("/hooks/wake", { headers: { authorization: `Bearer ${SECRET}` } }, env);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
});

Deno.test("hooks: repeated wrong tokens from one address are locked out with 429 and Retry-After", async () => {
  const { app } = hooksApp();
  const wrong = post({ text: "x" }, { authorization: "Bearer wrong" });
  assert.equal((await app.request("/hooks/wake", wrong, env)).status, 401);
  assert.equal((await app.request("/hooks/wake", wrong, env)).status, 401);
  const locked = await app.request("/hooks/wake", wrong, env);
  assert.equal(locked.status, 429);
  assert.equal(locked.headers.get("retry-after"), "60");
  // Another address is not held off by this one's failures.
  assert.equal((await app.request("/hooks/wake", post({ text: "x" }), { remoteAddr: "198.51.100.1" })).status, 200);
});

Deno.test("hooks: wake checks text, agent and session key as the reference; a non-object body is empty", async () => {
  const { app, woken } = hooksApp({ routing: { allowRequestSessionKey: true, allowedSessionKeyPrefixes: ["hook:"] } });
  const json = async (body: unknown) => await (await app.request("/hooks/wake", post(body), env)).json();
  assert.deepEqual(await json({ text: " " }), { ok: false, error: "text required" });
  assert.deepEqual(await json([1]), { ok: false, error: "text required" });
  assert.deepEqual(await json("{nope"), {
    ok: false,
    error: "Expected property name or '}' in JSON at position 1 (line 1 column 2)",
  });
  assert.deepEqual(await json({ text: "t", sessionKey: "" }), {
    ok: false,
    error: "sessionKey must be a non-empty string",
  });
  assert.deepEqual(await json({ text: "t", sessionKey: "hook:w", mode: "next-heartbeat" }), {
    ok: false,
    error: "sessionKey requires mode=now",
  });
  assert.deepEqual(await json({ text: "t", sessionKey: "other:w" }), {
    ok: false,
    error: "sessionKey must start with one of: hook:",
  });
  assert.deepEqual(await json({ text: "t", agentId: "ghost" }), { ok: false, error: 'unknown agentId "ghost"' });
  assert.deepEqual(await json({ text: "a", agentId: "ops", sessionKey: "hook:w" }), {
    ok: true,
    mode: "now",
    eventOutcome: "queued",
  });
  assert.deepEqual(await json({ text: "b", mode: "next-heartbeat" }), {
    ok: true,
    mode: "next-heartbeat",
    eventOutcome: "coalesced",
  });
  assert.deepEqual(woken[0], { text: "a", mode: "now", agentId: "ops", sessionKey: "hook:w" });
  assert.equal((await app.request("/hooks/nope", post({}), env)).status, 404);
  assert.equal((await app.request("/hooks", post({}), env)).status, 404);
  const big = await app.request("/hooks/wake", post({ text: "x".repeat(300_000) }), env);
  assert.equal(big.status, 413);
  assert.deepEqual(await big.json(), { ok: false, error: "payload too large" });
});

Deno.test("hooks: agent dispatches on a fresh hook:<uuid> key, refusing unknown agents, caller keys and half targets", async () => {
  const { app, dispatched } = hooksApp({ routing: { allowedAgentIds: ["main"] } });
  const ok = await app.request("/hooks/agent", post({ message: "deploy done", name: "ci", deliver: false }), env);
  assert.deepEqual(await ok.json(), { ok: true, runId: "run-1" });
  const value = dispatched[0]!;
  assert.match(value.sessionKey, /^hook:[0-9a-f-]{36}$/);
  assert.deepEqual({ ...value, sessionKey: "" }, {
    message: "deploy done",
    name: "ci",
    agentId: "main",
    sessionKey: "",
    sessionMode: "isolated",
    wakeMode: "now",
    deliver: false,
    delivery: { mode: "none" },
    model: undefined,
    thinking: undefined,
    timeoutSeconds: undefined,
    contentSource: "webhook",
  });
  const error = async (body: Record<string, unknown>) =>
    (await (await app.request("/hooks/agent", post({ message: "x", ...body }), env)).json()).error;
  assert.equal(await error({ agentId: "ops" }), "agentId is not allowed by hooks.allowedAgentIds");
  assert.equal(await error({ agentId: "ghost" }), 'unknown agentId "ghost"');
  assert.match(await error({ sessionKey: "agent:main:main" }), /hooks\.allowRequestSessionKey=true/);
  assert.equal(await error({ message: "" }), "message required");
  assert.equal(await error({ channel: "irc" }), "channel and to must be set together for hook delivery");
  assert.equal(await error({ channel: "nope", to: "x" }), "channel must be last|irc");
  assert.equal(await error({ sessionMode: "persistent" }), "sessionKey is required when sessionMode is persistent");
  assert.equal(await error({ waitForCompletion: "yes" }), "waitForCompletion must be boolean");
  assert.equal(await error({ model: "" }), "model required");
  assert.equal(dispatched.length, 1, "no refused request dispatched a run");
  await app.request("/hooks/agent", post({ message: "to irc", channel: "irc", to: "#ops", timeoutSeconds: 9.7 }), env);
  assert.deepEqual(dispatched[1]?.delivery, { mode: "announce", channel: "irc", to: "#ops" });
  const account = await app.request(
    "/hooks/agent",
    post({ message: "x", channel: "irc", to: "#ops", accountId: "nope" }),
    env,
  );
  assert.equal(account.status, 400);
  const refused = await account.json();
  assert.equal(refused.error, 'Unknown account "nope" for channel irc.');
  assert.match(refused.runId, /^[0-9a-f-]{36}$/);
  await app.request("/hooks/agent", post({ message: "x", channel: "irc", to: "#ops", accountId: "default" }), env);
  assert.deepEqual(dispatched[2]?.delivery, { mode: "announce", channel: "irc", to: "#ops", accountId: "default" });
  assert.equal(dispatched[1]?.timeoutSeconds, 9);
});

Deno.test("hooks: an idempotency key replays the first run for the same request; waitForCompletion adds the facts", async () => {
  const completion: HookCompletion = {
    status: "ok",
    replyDisposition: "visible",
    delivered: false,
    deliveryAttempted: false,
  };
  const { app, dispatched } = hooksApp({
    admit: () => ({ ok: true, runId: "run-x", completion: Promise.resolve(completion) }),
  });
  const send = (body: Record<string, unknown>) =>
    app.request("/hooks/agent", {
      ...post(body),
      headers: { authorization: `Bearer ${SECRET}`, "idempotency-key": "k1" },
    }, env);
  assert.deepEqual(await (await send({ message: "m" })).json(), { ok: true, runId: "run-x" });
  assert.deepEqual(await (await send({ message: "m", waitForCompletion: true })).json(), {
    ok: true,
    runId: "run-x",
    completion,
  });
  assert.equal(dispatched.length, 1, "the retry replayed the admitted run");
  await send({ message: "changed" });
  assert.equal(dispatched.length, 2, "a different message is a different run");
});

Deno.test("hooks: admission failures answer with their status and the reference's words", async () => {
  const { app } = hooksApp({
    admit: () => ({
      ok: false,
      statusCode: 503,
      error: "hook agent run did not start before admission timeout",
      runId: "r",
    }),
  });
  const res = await app.request("/hooks/agent", post({ message: "x" }), env);
  assert.equal(res.status, 503);
  assert.deepEqual(await res.json(), {
    ok: false,
    error: "hook agent run did not start before admission timeout",
    runId: "r",
  });
});

Deno.test("hooks: disabled hooks fall through to the rest of the app; hooks.path is normalized", async () => {
  const { app } = hooksApp({ settings: { enabled: false } });
  assert.equal((await app.request("/hooks/wake", post({ text: "x" }), env)).status, 404);
  assert.equal(normalizeHooksPath(undefined), "/hooks");
  assert.equal(normalizeHooksPath("ci/"), "/ci");
  assert.equal(normalizeHooksPath("/"), "/hooks");
});

Deno.test("hooks: while a host suspension holds admission closed, hook requests answer 503 before auth and start nothing", async () => {
  const work = new WorkAdmission();
  const { app, woken } = hooksApp({ work });
  const gate = work.tryBeginSuspend()!;
  gate.commit();
  for (const headers of [{ authorization: `Bearer ${SECRET}` }, { authorization: "Bearer wrong" }]) {
    const refused = await app.request("/hooks/wake", post({ text: "x" }, headers), env);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal(refused.headers.get("cache-control"), "no-store");
    assert.deepEqual(await refused.json(), {
      error: {
        message: "Gateway is temporarily unavailable while suspending or restarting",
        type: "service_unavailable",
        code: "gateway_unavailable",
      },
    });
  }
  assert.equal((await app.request("/elsewhere", {}, env)).status, 404, "other paths are not fenced");
  assert.deepEqual(woken, []);
  gate.release();
  const admitted = await app.request("/hooks/wake", post({ text: "after" }), env);
  assert.equal(admitted.status, 200);
  assert.equal(woken.length, 1);
  assert.equal(work.rootCount, 0, "the request's root is released once answered");
});
