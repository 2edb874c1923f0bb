import assert from "node:assert/strict";
import { httpToolAllowed } from "../../src/agent/tools.ts";
import { sessionTools } from "../../src/agent/session_tools.ts";
import type { AgentTool, ToolHost } from "../../src/agent/tool.ts";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { createHttpApp } from "../../src/http/app.ts";
import { MAX_TOOLS_BODY_BYTES } from "../../src/http/tools.ts";
import { getLogger } from "../../src/log/logger.ts";
import { resolveSessionTools } from "../../src/config/resolve_session_tools.ts";

async function app(policy: { allow?: string[]; deny?: string[] } = {}) {
  const stateDir = await Deno.makeTempDir();
  const sessions = new SessionStore(stateDir);
  await sessions.ensure("agent:main:main", "main");
  const agents = agentsFromConfig({}, stateDir, "/home/test");
  return createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
    tools: {
      authorize: (request) =>
        request.headers.get("authorization") === "Bearer good" ? { ok: true } : { ok: false, status: 401 },
      agentTools: async (agentId) => {
        const agent = agents.agents.find((a) => a.id === agentId);
        const config = () => ({ models: [], sessionTools: resolveSessionTools({}) });
        const host = { sessions, agents: () => agents, config, stateDir } as unknown as ToolHost;
        return agent ? { tools: await sessionTools(host, agent) as AgentTool[], workspace: stateDir } : undefined;
      },
      policy: () => policy,
      defaultAgentId: () => "main",
    },
  });
}

const env = { remoteAddr: "127.0.0.1" };
const post = (body: unknown, auth = "Bearer good") => ({
  method: "POST",
  headers: { authorization: auth, "content-type": "application/json" },
  body: typeof body === "string" ? body : JSON.stringify(body),
});

Deno.test("/tools/invoke runs a built-in tool and wraps its result", async () => {
  const res = await (await app()).request("/tools/invoke", post({ name: "sessions_list" }), env);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.ok, true);
  assert.equal(body.result.details.count, 1);
  assert.equal(JSON.parse(body.result.content[0].text).sessions[0].key, "agent:main:main");
});

Deno.test("/tools/invoke: 405 before auth, 401 without it, 400 without a name or with bad JSON", async () => {
  const tools = await app();
  const get = await tools.request("/tools/invoke", {}, env);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await tools.request("/tools/invoke", post({ name: "agents_list" }, "Bearer bad"), env)).status, 401);
  assert.deepEqual(await (await tools.request("/tools/invoke", post({}), env)).json(), {
    ok: false,
    error: { type: "invalid_request", message: "tools.invoke requires name" },
  });
  assert.equal(
    (await (await tools.request("/tools/invoke", post("{nope"), env)).json()).error.type,
    "invalid_request_error",
  );
});

Deno.test("/tools/invoke: unknown and denied tools are the same 404", async () => {
  const denied = await (await app({ deny: ["agents_list"] })).request(
    "/tools/invoke",
    post({ name: "agents_list" }),
    env,
  );
  assert.equal(denied.status, 404);
  assert.deepEqual(await denied.json(), {
    ok: false,
    error: { type: "not_found", message: "Tool not available: agents_list" },
  });
  const exec = await (await app()).request("/tools/invoke", post({ tool: "exec", args: { cmd: "id" } }), env);
  assert.equal(exec.status, 404);
});

Deno.test("httpToolAllowed() applies the default deny list, config deny, then config allow", () => {
  const tools = new Set(["exec", "agents_list"]);
  assert.equal(httpToolAllowed("exec", {}, tools), false);
  assert.equal(httpToolAllowed("exec", { allow: ["exec"] }, tools), true);
  assert.equal(httpToolAllowed("exec", { allow: ["exec"], deny: ["exec"] }, tools), false);
  assert.equal(httpToolAllowed("agents_list", {}, tools), true);
  assert.equal(httpToolAllowed("nope", { allow: ["nope"] }, tools), false);
});

Deno.test("httpToolAllowed(): gateway.tools.deny takes groups, globs and any case; allow takes aliases and any case", () => {
  const tools = new Set(["sessions_list", "sessions_history", "agents_list", "read", "web_fetch", "exec"]);
  const allowed = (deny: string[]) => [...tools].filter((name) => httpToolAllowed(name, { deny }, tools));
  assert.deepEqual(allowed(["Sessions_List"]), ["sessions_history", "agents_list", "read", "web_fetch"]);
  assert.deepEqual(allowed(["group:sessions"]), ["agents_list", "read", "web_fetch"]);
  assert.deepEqual(allowed(["sessions_*"]), ["agents_list", "read", "web_fetch"]);
  assert.deepEqual(allowed(["*"]), []);
  assert.deepEqual(allowed(["group:web"]), ["sessions_list", "sessions_history", "agents_list", "read"]);
  assert.equal(httpToolAllowed("exec", { allow: ["Exec"] }, tools), true);
  assert.equal(httpToolAllowed("exec", { allow: ["bash"] }, tools), true);
  assert.equal(httpToolAllowed("exec", { allow: ["bash"], deny: ["group:runtime"] }, tools), false);
});

Deno.test("/tools/invoke sessions_history: an agent id that climbs out of the state dir reads nothing", async () => {
  // A foreign directory laid out like an agent's sessions: the traversal would read it.
  const foreign = await Deno.makeTempDir();
  await Deno.mkdir(`${foreign}/sessions`);
  await Deno.writeTextFile(
    `${foreign}/sessions/sessions.json`,
    JSON.stringify({ sessions: { [`agent:x:z`]: { sessionId: "leak", key: "agent:x:z" } } }),
  );
  await Deno.writeTextFile(
    `${foreign}/sessions/leak.jsonl`,
    `${JSON.stringify({ type: "message", role: "user", content: [{ type: "text", text: "secret" }] })}\n`,
  );
  const tools = await app();
  for (const sessionKey of [`agent:../../../../../../../../..${foreign}:z`, "agent:NOPE:z", "agent:ghost:main"]) {
    const res = await tools.request("/tools/invoke", post({ name: "sessions_history", args: { sessionKey } }), env);
    const body = await res.json();
    assert.equal(res.status, 400, sessionKey);
    assert.equal(body.error.type, "invalid_request");
    assert.doesNotMatch(JSON.stringify(body), /secret/);
  }
  const ok = await tools.request(
    "/tools/invoke",
    post({ name: "sessions_history", args: { sessionKey: "agent:main:main" } }),
    env,
  );
  assert.equal(ok.status, 200);
  await Deno.remove(foreign, { recursive: true });
});

Deno.test("/tools/invoke: auth is checked before the body; a body over the cap is 413 and closes", async () => {
  const tools = await app();
  const big = JSON.stringify({ name: "agents_list", pad: "x".repeat(MAX_TOOLS_BODY_BYTES) });
  const anonymous = await tools.request("/tools/invoke", post(big, "Bearer bad"), env);
  assert.equal(anonymous.status, 401, "an unauthenticated caller never gets its body read");
  const tooBig = await tools.request("/tools/invoke", post(big), env);
  assert.equal(tooBig.status, 413);
  assert.equal(tooBig.headers.get("connection"), "close");
  assert.equal((await tooBig.json()).error.type, "invalid_request_error");
  const small = await tools.request("/tools/invoke", post({ name: "agents_list" }), env);
  assert.equal(small.status, 200);
});
