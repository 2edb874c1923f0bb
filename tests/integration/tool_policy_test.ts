import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "tool-policy-token-0123456789abcdef";

function policyConfig(url: string) {
  return {
    gateway: {
      mode: "local",
      auth: { token: TOKEN },
      http: { endpoints: { chatCompletions: { enabled: true }, responses: { enabled: true } } },
    },
    models: { providers: { fake: { baseUrl: url, api: "openai-completions", models: ["pol", "pol-h"] } } },
    // Tool Search off: the model's request lists every allowed tool, which is what this test reads.
    tools: { profile: "messaging", toolSearch: false },
    agents: {
      defaults: { model: { primary: "fake/pol" } },
      list: [
        { id: "main", default: true },
        { id: "helper", model: "fake/pol-h", tools: { profile: "full", deny: ["sessions_history"] } },
      ],
    },
  };
}

function post(port: number, path: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

function offered(request: Record<string, unknown> | undefined): string[] {
  return ((request?.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name);
}

Deno.test("tool policy: the profile, an agent's override and its deny decide what runs and /tools/invoke get", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome(policyConfig(upstream.url));
  const { proc, port } = await startGateway({ home: home.home });
  try {
    // /tools/invoke: main is on the messaging profile (no agents_list); helper on full, minus sessions_history.
    const invoke = async (body: Record<string, unknown>) => {
      const res = await post(port, "/tools/invoke", body);
      return { status: res.status, body: await res.json() as { ok: boolean; result?: { details: unknown } } };
    };
    assert.equal((await invoke({ name: "agents_list" })).status, 404);
    assert.equal((await invoke({ name: "sessions_list" })).status, 200);
    const helperAgents = await invoke({ name: "agents_list", agentId: "helper" });
    assert.equal(helperAgents.status, 200);
    assert.equal((helperAgents.body.result!.details as { requester: string }).requester, "helper");
    assert.equal(
      (await invoke({ name: "sessions_history", sessionKey: "agent:helper:main", args: { sessionKey: "x" } })).status,
      404,
    );
    assert.equal((await invoke({ name: "agents_list", agentId: "helper", sessionKey: "agent:main:main" })).status, 400);

    // /v1/chat/completions runs the loop with the gateway's tools (the agent's policy), and streams the text answer.
    upstream.script("pol-h", [
      { text: "Looking.", toolCalls: [{ id: "c1", name: "agents_list", args: {} }] },
      { text: "Two agents here." },
    ]);
    const chat = await post(port, "/v1/chat/completions", {
      model: "openclaw/helper",
      stream: true,
      messages: [{ role: "user", content: "agents?" }],
    });
    assert.equal(chat.status, 200);
    const sse = await chat.text();
    const deltas = sse.split("\n").filter((l) => l.startsWith("data: {")).map((l) =>
      (JSON.parse(l.slice(6)) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? ""
    );
    // Each step's text, a blank line between steps, as the chat shows the run.
    assert.equal(deltas.join(""), "Looking.\n\nTwo agents here.");
    const [first, second] = upstream.requestsOf("pol-h");
    // The full profile minus sessions_history: every other family's tools, sorted by name as the reference sends them
    // (tests/fixtures/tool_set/ref.json).
    assert.deepEqual(offered(first), [
      "agents_list",
      "apply_patch",
      "automations",
      "edit",
      "exec",
      "ls",
      "memory_get",
      "memory_search",
      "message",
      "process",
      "read",
      "sessions_list",
      "sessions_send",
      "web_fetch",
      "write",
    ]);
    assert.ok(JSON.stringify(second).includes("requester"), "the tool result went back to the model");

    // /v1/responses runs it too; main (messaging profile) is offered the session tools only.
    upstream.script("pol", [
      { toolCalls: [{ id: "r1", name: "sessions_list", args: {} }] },
      { text: "Listed." },
    ]);
    const responses = await post(port, "/v1/responses", { model: "openclaw/main", input: "sessions?" });
    assert.equal(responses.status, 200);
    assert.match(JSON.stringify(await responses.json()), /Listed\./);
    assert.deepEqual(offered(upstream.requestsOf("pol")[0]), [
      "message",
      "sessions_history",
      "sessions_list",
      "sessions_send",
    ]);

    // tools.catalog lists every tool the agent has; tools.effective what its policy leaves.
    const session = await connectReference({ port, token: TOKEN });
    try {
      type Group = { id: string; label: string; source: string; tools: Record<string, unknown>[] };
      const catalog = await session.request<{ agentId: string; profiles: { id: string }[]; groups: Group[] }>(
        "tools.catalog",
        { agentId: "main" },
      );
      assert.deepEqual(catalog.profiles.map((p) => p.id), ["minimal", "coding", "messaging", "full"]);
      assert.deepEqual(catalog.groups.map((g) => [g.id, g.tools.map((t) => t.id)]), [
        ["fs", ["ls", "read", "edit", "write", "apply_patch"]],
        ["runtime", ["exec", "process"]],
        ["web", ["web_fetch"]],
        ["memory", ["memory_search", "memory_get"]],
        ["sessions", ["sessions_list", "sessions_history", "sessions_send"]],
        ["messaging", ["message"]],
        ["automation", ["automations"]],
        ["agents", ["agents_list"]],
      ]);
      assert.deepEqual(catalog.groups[1]!.tools[0]!.defaultProfiles, ["coding"]);
      assert.deepEqual(catalog.groups[7]!.tools[0]!.defaultProfiles, []);
      const main = await session.request<{ agentId: string; profile: string; groups: Group[] }>("tools.effective", {
        sessionKey: "agent:main:main",
      });
      assert.equal(main.profile, "messaging");
      assert.deepEqual(main.groups.map((g) => [g.id, g.label, g.tools.map((t) => t.id)]), [
        ["core", "Built-in tools", ["message", "sessions_history", "sessions_send", "sessions_list"]],
      ]);
      const helper = await session.request<{ agentId: string; profile: string; groups: Group[] }>("tools.effective", {
        sessionKey: "agent:helper:main",
      });
      assert.equal(helper.agentId, "helper");
      assert.equal(helper.profile, "full");
      assert.deepEqual(helper.groups[0]!.tools.map((t) => [t.id, t.label, t.source]), [
        ["agents_list", "Agents", "core"],
        ["apply_patch", "Apply Patch", "core"],
        ["automations", "Automations", "core"],
        ["edit", "Edit", "core"],
        ["exec", "Exec", "core"],
        ["ls", "Ls", "core"],
        ["message", "Message", "core"],
        ["process", "Process", "core"],
        ["read", "Read", "core"],
        ["sessions_send", "Session Send", "core"],
        ["sessions_list", "Sessions", "core"],
        ["web_fetch", "Web Fetch", "core"],
        ["write", "Write", "core"],
      ]);
      // The memory tools are the reference's memory-core plugin's (tests/fixtures/tool_set/ref.json).
      assert.deepEqual(helper.groups.slice(1).map((g) => [g.id, g.label, g.tools.map((t) => [t.id, t.pluginId])]), [
        ["plugin", "Connected tools", [["memory_get", "memory-core"], ["memory_search", "memory-core"]]],
      ]);
    } finally {
      session.stop();
    }
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
