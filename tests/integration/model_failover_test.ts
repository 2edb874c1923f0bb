// Model failover through the real program: a primary that answers 429 hands the turn to its
// fallback (chat turn and /v1/chat/completions), the log says so, `status` lists the cooldown,
// and a 400 (a bad request any model would refuse) ends the run without failing over. The rate-limited agents run
// with `retry.provider.maxRetries` 0 (the reference's knob), so they fail over at once instead of after their
// same-model retries (run_retries_test.ts).
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { writeProviderRetry } from "../support/run_retries_script.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "failover-token-0123456789abcdef";
const SCOPES = ["operator.read", "operator.write", "operator.admin"];

Deno.test("model failover: 429 falls back to the next model, logged and in status; a 400 does not", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, http: { endpoints: { chatCompletions: { enabled: true } } } },
    models: { providers: { fake: { baseUrl: upstream.url, models: ["m1", "limited-chat", "limited-api", "fail"] } } },
    agents: {
      defaults: { model: { primary: "fake/limited-chat", fallbacks: ["fake/m1"] } },
      entries: {
        main: { default: true },
        api: { model: { primary: "fake/limited-api", fallbacks: ["fake/m1"] } },
        strict: { model: { primary: "fake/fail", fallbacks: ["fake/m1"] } },
      },
    },
  });
  for (const agent of ["main", "api"]) await writeProviderRetry(home.stateDir, agent, { maxRetries: 0 });
  const { proc, port } = await startGateway({ home: home.home });
  const client = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
  try {
    // A chat turn: the primary answers 429, the fallback answers the turn.
    await client.request("chat.send", {
      sessionKey: "agent:main:main",
      message: "hello",
      deliver: false,
      idempotencyKey: "fo-chat",
    });
    const payloads = (name: string) =>
      client.events.filter((e) => e.event === name).map((e) => e.payload as Record<string, unknown>);
    await until(() => payloads("chat").some((p) => p.runId === "fo-chat" && p.state === "final"), "the chat final");
    const final = payloads("chat").find((p) => p.runId === "fo-chat" && p.state === "final")!;
    assert.equal((final.message as { content: { text: string }[] }).content[0]!.text, FAKE_ANSWER);
    const models = payloads("agent")
      .filter((p) =>
        p.runId === "fo-chat" && p.stream === "lifecycle" && (p.data as { phase: string }).phase === "model"
      )
      .map((p) => (p.data as { model: string }).model);
    // Each attempt's end lets its model go (the reference's `model` event with none), after the failed one too.
    assert.deepEqual(
      models,
      ["limited-chat", null, "m1", null],
      "each model called is announced, the answering one last",
    );
    await proc.waitForLine(
      /model fallback decision: runId="fo-chat" decision=candidate_failed requested=fake\/limited-chat candidate=fake\/limited-chat .*reason=rate_limit status=429 next=fake\/m1/,
    );
    await proc.waitForLine(
      /model fallback decision: runId="fo-chat" decision=candidate_succeeded .*candidate=fake\/m1/,
    );
    await proc.waitForLine(/agent run ended: runId="fo-chat" .*status=ok .*model=fake\/m1/);

    // `status` lists the cooled-down model.
    const status = await client.request<{ modelRuntime: { cooldowns?: Record<string, unknown>[] } }>("status");
    const cooldown = status.modelRuntime.cooldowns?.find((c) => c.model === "limited-chat");
    assert.ok(cooldown, `status lists the cooldown: ${JSON.stringify(status.modelRuntime)}`);
    assert.equal(cooldown.reason, "rate_limit");
    assert.equal(cooldown.errorCount, 1);
    assert.ok((cooldown.remainingMs as number) > 0 && (cooldown.remainingMs as number) <= 30_000);

    const overview = await runOpenclaw(["status", "--port", String(port)], { home: home.home });
    assert.equal(overview.code, 0, overview.stderr);
    assert.match(overview.stdout, /Model cooldowns\s+fake\/limited-chat rate_limit \(\d+s left\)/);

    // The OpenAI-compatible endpoint fails over the same way.
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw/api", messages: [{ role: "user", content: "hi" }] }),
    });
    const completion = await response.json();
    assert.equal(response.status, 200, JSON.stringify(completion));
    assert.equal(completion.choices[0].message.content, FAKE_ANSWER);
    await proc.waitForLine(/decision=candidate_failed requested=fake\/limited-api .*status=429 next=fake\/m1/);

    // A 400 is the request's fault: it ends the run, the fallback is never asked.
    const before = upstream.requests.length;
    const refused = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw/strict", messages: [{ role: "user", content: "hi" }] }),
    });
    await refused.body?.cancel();
    assert.notEqual(refused.status, 200);
    await proc.waitForLine(/agent run ended: .*agent=strict .*status=error .*model=fake\/fail .*status=400/);
    assert.deepEqual(upstream.requests.slice(before).map((r) => r.model), ["fail"]);
    assert.doesNotMatch(proc.output, /requested=fake\/fail/);
  } finally {
    client.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
