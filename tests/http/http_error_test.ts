import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { RunRequest, StartResult } from "../../src/agent/runs.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { type OpenAiDeps, openAiRoutes } from "../../src/http/openai.ts";
import { getLogger } from "../../src/log/logger.ts";

const env = { remoteAddr: "127.0.0.1" };

function openai(startRun: (request: RunRequest) => StartResult): OpenAiDeps {
  return {
    enabled: () => ({ chatCompletions: true, responses: true }),
    authorize: (request) =>
      request.headers.get("authorization") === "Bearer t" ? { ok: true } : { ok: false, status: 401 },
    agents: () => agentsFromConfig({}, "/nonexistent", "/home/test"),
    startRun,
    abortRun: () => {},
    embed: () => Promise.reject(new Error("not used")),
  };
}

function chat(body: unknown, headers: Record<string, string> = { authorization: "Bearer t" }): RequestInit {
  return { method: "POST", headers, body: JSON.stringify(body) };
}

Deno.test("a route's thrown refusal is answered once by the app, as worded, with the security headers", async () => {
  const app = createHttpApp({
    log: getLogger("test/http"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
    openai: openai(() => {
      throw new Error("no run expected");
    }),
  });
  const res = await app.request("/v1/chat/completions", chat({ model: "openclaw/nope", messages: [] }), env);
  assert.equal(res.status, 400);
  assert.equal(res.headers.get("content-type"), "application/json");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.deepEqual(await res.json(), {
    error: { message: "Missing user message in `messages`.", type: "invalid_request_error" },
  });
  const denied = await app.request("/v1/chat/completions", chat({}, {}), env);
  assert.equal(denied.status, 401);
  assert.equal(denied.headers.get("referrer-policy"), "no-referrer");
  assert.deepEqual(await denied.json(), { error: { message: "Unauthorized", type: "unauthorized" } });
});

Deno.test("a route app mounted alone answers its refusals the same way (Hono reads the HTTPException)", async () => {
  const routes = openAiRoutes(openai(() => {
    throw new Error("no run expected");
  }));
  const res = await routes.request("/v1/models", { method: "POST" }, env);
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET");
  assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(await res.text(), "Method Not Allowed");
});

Deno.test("anything else a route throws is the reference's bare 500; its detail goes to the log only", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["openclaw", "test"], sinks: ["memory"], lowestLevel: "error" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
    reset: true,
  });
  try {
    const app = createHttpApp({
      log: getLogger("test/http"),
      probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
      openai: openai(() => {
        throw new Error("EACCES: permission denied, open '/var/lib/secret {x}'");
      }),
    });
    const res = await app.request("/v1/chat/completions", chat({ messages: [{ role: "user", content: "hi" }] }), env);
    assert.equal(res.status, 500);
    assert.equal(res.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await res.text(), "Internal Server Error");
    assert.equal(records.length, 1);
    // A placeholder, not interpolation: the log formatter (and its redaction) sees the detail as a value.
    assert.deepEqual(records[0]!.rawMessage, "http handler failed: {detail}");
    assert.match(String(records[0]!.properties.detail), /EACCES: permission denied, open '\/var\/lib\/secret \{x\}'/);
  } finally {
    await reset();
  }
});
