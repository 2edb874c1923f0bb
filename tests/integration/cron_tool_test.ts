// The agent's scheduler tool through the real program: a scripted model calls `automations` to add
// a reminder and list it; the job lands in the gateway's scheduler (cron.list sees it) bound to the
// session that asked, and the model reads the job back in the tool's result.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "cron-tool-token-0123456789abcdef";

type Json = Record<string, unknown>;

function toolResults(request: Json | undefined): Json[] {
  const messages = (request?.messages ?? []) as { role: string; content?: string }[];
  return messages.filter((m) => m.role === "tool").map((m) => JSON.parse(m.content ?? "{}") as Json);
}

Deno.test("automations tool: the model schedules a reminder in its session and lists it", async () => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
    // Tool Search off (tools.toolSearch): the scripted model calls the tools by name, as with the reference's off.
    tools: { toolSearch: false },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    await until(async () => (await session.request<{ enabled: boolean }>("cron.status", {})).enabled, "the scheduler");
    upstream.script("m1", [
      {
        toolCalls: [{
          name: "automations",
          args: {
            action: "add",
            job: {
              name: "Stand-up",
              schedule: { kind: "cron", expr: "30 9 * * 1-5", tz: "Europe/Berlin" },
              payload: { kind: "agentTurn", message: "Remind me of the stand-up" },
            },
          },
        }],
      },
      { toolCalls: [{ name: "automations", args: { action: "list" } }] },
      { text: "Scheduled." },
    ]);
    const final = await session.request<{ status: string }>(
      "agent",
      {
        message: "remind me of the stand-up on weekdays",
        sessionKey: "agent:main:main",
        idempotencyKey: "cron-tool-1",
      },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    const [added, listed] = toolResults(upstream.requestsOf("m1")[2]);
    assert.equal(added!.name, "Stand-up");
    assert.equal(added!.sessionTarget, "current", "a job made in a conversation belongs to it");
    assert.equal(added!.sessionKey, "agent:main:main");
    assert.deepEqual(added!.schedule, { kind: "cron", expr: "30 9 * * 1-5", tz: "Europe/Berlin" });
    assert.equal(typeof added!.nextRunAtMs, "number");
    assert.deepEqual((listed!.jobs as Json[]).map((job) => job.name), ["Stand-up"]);
    const list = await session.request<{ jobs: Json[] }>("cron.list", { includeDisabled: true });
    assert.deepEqual(list.jobs.map((job) => [job.id, job.name]), [[added!.id, "Stand-up"]]);
  } finally {
    session.stop();
    proc.kill("SIGTERM");
    await proc.exited();
    await upstream.stop();
    await home.cleanup();
  }
});
