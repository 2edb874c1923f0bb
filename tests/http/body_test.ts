import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { sessionTools } from "../../src/agent/session_tools.ts";
import type { AgentTool, ToolHost } from "../../src/agent/tool.ts";
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { readBody } from "../../src/http/body.ts";
import { resolveHookRouting } from "../../src/http/hook_config.ts";
import { MAX_HOOK_BODY_BYTES } from "../../src/http/hooks.ts";
import { MAX_TOOLS_BODY_BYTES } from "../../src/http/tools.ts";
import { getLogger } from "../../src/log/logger.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const CHUNK = 64 * 1024;

/** An endless chunked body that counts what the server pulled and whether it was cancelled. */
function endlessBody() {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
    },
    cancel() {
      seen.cancelled = true;
    },
  }, { highWaterMark: 0 });
  return { stream, seen };
}

function post(url: string, body: BodyInit, headers: Record<string, string> = {}): Request {
  return new Request(url, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

Deno.test("readBody refuses a declared length over the cap without reading", async () => {
  const { stream, seen } = endlessBody();
  const request = post("http://x/", stream, { "content-length": String(10 * 1024 * 1024) });
  assert.deepEqual(await readBody(request, { maxBytes: 1024 }), { ok: false, reason: "too_large" });
  assert.equal(seen.pulled, 0);
});

Deno.test("readBody stops a chunked body at the cap and cancels it", async () => {
  const { stream, seen } = endlessBody();
  assert.deepEqual(await readBody(post("http://x/", stream), { maxBytes: 200_000 }), {
    ok: false,
    reason: "too_large",
  });
  assert.ok(seen.pulled <= 200_000 + 2 * CHUNK, `pulled ${seen.pulled} bytes`);
  assert.equal(seen.cancelled, true);
});

Deno.test("readBody gives up on a body that stalls past its deadline", async () => {
  const stalled = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array([0x7b])) });
  assert.deepEqual(await readBody(post("http://x/", stalled), { maxBytes: 1024, timeoutMs: 30 }), {
    ok: false,
    reason: "timeout",
  });
});

Deno.test("readBody returns a small body whole", async () => {
  const read = await readBody(post("http://x/", '{"a":1}'), { maxBytes: 1024 });
  assert.equal(read.ok && new TextDecoder().decode(read.bytes), '{"a":1}');
});

async function routes() {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  const agents = agentsFromConfig({}, stateDir, "/home/test");
  return createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
    tools: {
      authorize: () => ({ ok: true }),
      agentTools: async (agentId) => {
        const agent = agents.agents.find((a) => a.id === agentId);
        const host = { sessions, agents: () => agents } as unknown as ToolHost;
        return agent ? { tools: await sessionTools(host, agent) as AgentTool[], workspace: "/w" } : undefined;
      },
      policy: () => ({}),
      defaultAgentId: () => "main",
    },
    hooks: {
      settings: () => ({ enabled: true, path: "/hooks", token: "hook-secret" }),
      routing: () =>
        resolveHookRouting({ allowRequestSessionKey: false, allowedAgentIds: undefined }, {
          configDir: "/nonexistent",
          agentIds: ["main"],
          defaultAgentId: "main",
          generation: 0,
        }),
      limiter: new AuthRateLimiter({ maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false }),
      channels: () => [],
      wake: () => "queued",
      dispatchAgent: () => {
        throw new Error("not in this test");
      },
      log: { info: () => {}, warn: () => {} },
    },
  });
}

// Before the shared reader these routes called arrayBuffer(): an endless chunked body never ended.
Deno.test("/tools/invoke and /hooks/* stop reading an oversized chunked body at their cap (413)", async () => {
  const app = await routes();
  const env = { remoteAddr: "127.0.0.1" };
  const cases = [
    { path: "/tools/invoke", headers: { authorization: "Bearer any" }, cap: MAX_TOOLS_BODY_BYTES },
    { path: "/hooks/wake", headers: { authorization: "Bearer hook-secret" }, cap: MAX_HOOK_BODY_BYTES },
  ];
  for (const { path, headers, cap } of cases) {
    const { stream, seen } = endlessBody();
    const response = await app.request(post(`http://127.0.0.1${path}`, stream, headers), undefined, env);
    assert.equal(response.status, 413, path);
    assert.equal(response.headers.get("connection"), "close");
    await response.body?.cancel();
    assert.ok(seen.pulled <= cap + 2 * CHUNK, `${path} pulled ${seen.pulled} bytes past its ${cap} cap`);
  }
});
