import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { type HooksSettings, normalizeHooksPath } from "../../src/http/hooks.ts";
import { getLogger } from "../../src/log/logger.ts";

const SECRET = "hook-secret-0123456789";
const env = { remoteAddr: "203.0.113.9" };

/** The app with hooks on and a run engine stand-in that records what it was asked to start. */
function hooksApp(options: { settings?: Partial<HooksSettings>; start?: (r: RunRequest) => StartResult } = {}) {
  const started: RunRequest[] = [];
  const woken: { text: string; mode: string }[] = [];
  const agents = agentsFromConfig({ agents: { list: [{ id: "main" }, { id: "ops" }] } }, "/nonexistent");
  const app = createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
    hooks: {
      settings: () => ({
        enabled: true,
        path: "/hooks",
        token: SECRET,
        allowRequestSessionKey: false,
        allowedAgentIds: undefined,
        ...options.settings,
      }),
      limiter: new AuthRateLimiter({ maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false }),
      wake: (input) => (woken.push(input), woken.length === 1 ? "queued" : "coalesced"),
      agents: () => agents,
      startRun: (request) => {
        started.push(request);
        return options.start?.(request) ??
          { kind: "accepted", runId: "run-1", acceptedAt: 1, done: new Promise(() => {}) };
      },
    },
  });
  return { app, started, woken };
}

const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

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
  assert.deepEqual(woken, [{ text: "hello", mode: "now" }]);
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

Deno.test("hooks: wake needs text, coalesces, honours next-heartbeat; unknown hook names are 404", async () => {
  const { app, woken } = hooksApp();
  assert.deepEqual(await (await app.request("/hooks/wake", post({ text: " " }), env)).json(), {
    ok: false,
    error: "text required",
  });
  await app.request("/hooks/wake", post({ text: "a" }), env);
  const second = await app.request("/hooks/wake", post({ text: "b", mode: "next-heartbeat" }), env);
  assert.deepEqual(await second.json(), { ok: true, mode: "next-heartbeat", eventOutcome: "coalesced" });
  assert.equal(woken.length, 2);
  assert.equal((await app.request("/hooks/nope", post({}), env)).status, 404);
  assert.equal((await app.request("/hooks", post({}), env)).status, 404);
  const array = await app.request("/hooks/wake", post([1]), env);
  assert.deepEqual(await array.json(), { ok: false, error: "body must be a JSON object" });
});

Deno.test("hooks: agent starts a run on a hook session key, refusing unknown agents and caller session keys", async () => {
  const { app, started } = hooksApp({ settings: { allowedAgentIds: ["main"] } });
  const ok = await app.request("/hooks/agent", {
    ...post({ message: "deploy done", name: "ci" }),
    headers: { authorization: `Bearer ${SECRET}`, "idempotency-key": "k1" },
  }, env);
  assert.deepEqual(await ok.json(), { ok: true, runId: "run-1" });
  assert.deepEqual(started, [{
    agentId: "main",
    sessionKey: "agent:main:hook:ci",
    message: "deploy done",
    idempotencyKey: "k1",
  }]);
  const ops = await app.request("/hooks/agent", post({ message: "x", agentId: "ops" }), env);
  assert.deepEqual(await ops.json(), { ok: false, error: 'unknown agentId "ops"' }, "not in allowedAgentIds");
  const ghost = await app.request("/hooks/agent", post({ message: "x", agentId: "ghost" }), env);
  assert.equal(ghost.status, 400);
  const keyed = await app.request("/hooks/agent", post({ message: "x", sessionKey: "agent:main:main" }), env);
  assert.equal(keyed.status, 400);
  assert.match((await keyed.json()).error, /hooks\.allowRequestSessionKey=true/);
  assert.equal((await app.request("/hooks/agent", post({ message: "" }), env)).status, 400);
  assert.equal(started.length, 1, "no refused request started a run");
});

Deno.test("hooks: waitForCompletion answers with the run's outcome", async () => {
  const outcome = { runId: "run-2", status: "error", error: "provider unavailable" } as RunOutcome;
  const { app } = hooksApp({
    start: () => ({ kind: "accepted", runId: "run-2", acceptedAt: 1, done: Promise.resolve(outcome) }),
  });
  const res = await app.request("/hooks/agent", post({ message: "x", waitForCompletion: true }), env);
  assert.deepEqual(await res.json(), {
    ok: true,
    runId: "run-2",
    completion: {
      status: "error",
      replyDisposition: "visible",
      delivered: false,
      deliveryAttempted: false,
      error: "provider unavailable",
    },
  });
});

Deno.test("hooks: disabled hooks fall through to the rest of the app; hooks.path is normalized", async () => {
  const { app } = hooksApp({ settings: { enabled: false } });
  assert.equal((await app.request("/hooks/wake", post({ text: "x" }), env)).status, 404);
  assert.equal(normalizeHooksPath(undefined), "/hooks");
  assert.equal(normalizeHooksPath("ci/"), "/ci");
  assert.equal(normalizeHooksPath("/"), "/hooks");
});
