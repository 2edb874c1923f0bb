// A run on a built-in catalog model the config does not configure (anthropic/claude-opus-5, its
// provider pointed at a fake upstream) runs at the anthropic plugin's default level (`high`), as the
// reference's does and as sessions.list says (tests/fixtures/model_defaults/), not `off`.
import assert from "node:assert/strict";
import { startContextUpstream } from "../support/fake_context_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "builtin-thinking-token-0123456789";
const MAIN = "agent:main:main";

Deno.test("a run on anthropic/claude-opus-5 with no level chosen thinks at high, as /think says; a chosen level still wins", async () => {
  const upstream = startContextUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    tools: { profile: "minimal" },
    // The provider's endpoint and key only: the model's row is the built-in catalog's.
    models: { providers: { anthropic: { baseUrl: upstream.url, apiKey: "sk-ant-test" } } },
    agents: { defaults: { model: { primary: "anthropic/claude-opus-5" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.read", "operator.write"] });
  try {
    const ask = (message: string, extra: Record<string, unknown> = {}) =>
      session.request<{ status: string; result: { meta?: Record<string, unknown> } }>(
        "agent",
        { message, sessionKey: MAIN, idempotencyKey: crypto.randomUUID(), ...extra },
        { expectFinal: true },
      );
    const first = await ask("Hello?");
    assert.equal(first.status, "ok");
    assert.deepEqual(first.result.meta?.requestShaping, { thinking: "high" });
    const sentFirst = upstream.requests.at(-1)!;
    assert.equal(sentFirst.model, "claude-opus-5");
    assert.deepEqual((sentFirst.thinking as { type: string }).type, "enabled");
    const list = await session.request<{ defaults: { thinkingDefault: string; contextTokens: number } }>(
      "sessions.list",
      {},
    );
    assert.deepEqual([list.defaults.thinkingDefault, list.defaults.contextTokens], ["high", 1_000_000]);

    // `/think` names the plugin's levels and the level in force.
    const runId = crypto.randomUUID();
    await session.request("chat.send", { sessionKey: MAIN, message: "/think", idempotencyKey: runId });
    const reply = () =>
      session.events.find((e) => {
        const p = e.payload as { runId?: string; state?: string };
        return e.event === "chat" && p.runId === runId && p.state === "final";
      });
    await until(() => reply() !== undefined, "the reply to /think");
    const text = (reply()!.payload as { message: { content: { text: string }[] } }).message.content
      .map((c) => c.text).join("");
    assert.equal(
      text,
      "Current thinking level: high.\nOptions: default, off, minimal, low, medium, adaptive, high, xhigh, max.",
    );

    const off = await ask("No thinking now.", { thinking: "off" });
    assert.deepEqual(off.result.meta?.requestShaping, { thinking: "off" });
    assert.equal(upstream.requests.at(-1)!.thinking, undefined);
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
