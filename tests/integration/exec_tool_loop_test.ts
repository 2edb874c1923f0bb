// End to end through the real program: a scripted model calls `exec`, the gateway runs the command
// inside the bubblewrap sandbox, and the result goes back to the model. The command writes the
// workspace, and is shown unable to read the gateway user's home or reach a loopback server.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "exec-loop-token-0123456789abcdef";

Deno.test("a scripted model's exec runs in the bwrap sandbox through the real gateway", async () => {
  let hits = 0;
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    hits++;
    return new Response("reached");
  });
  const upstream = startFakeUpstream();
  const home = await tempHome();
  const workspace = `${home.home}/agent-ws`;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(`${home.home}/secret.txt`, "home-secret-77");
  await Deno.mkdir(home.stateDir, { recursive: true });
  await Deno.writeTextFile(
    home.configPath,
    JSON.stringify({
      gateway: { mode: "local", auth: { token: TOKEN } },
      models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["tooler"] } } },
      agents: {
        defaults: {
          model: { primary: "fake/tooler" },
          workspace,
          sandbox: { mode: "all", backend: "bwrap", workspaceAccess: "rw" },
        },
      },
    }),
  );
  const command = [
    "echo from-sandbox > proof.txt",
    `cat ${home.home}/secret.txt 2>&1`,
    `curl -sS -m 5 http://127.0.0.1:${server.addr.port}/ 2>&1`,
    "echo cwd=$(pwd)",
  ].join("; ");
  upstream.script("tooler", [
    { toolCalls: [{ id: "call_exec", name: "exec", args: { command } }] },
    { text: "Ran it." },
  ]);
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN, caps: ["tool-events"] });
  try {
    const final = await session.request<{ status: string; result: { payloads: { text: string }[] } }>(
      "agent",
      { message: "Run the check", sessionKey: "agent:main:main", idempotencyKey: "exec-loop-1" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    assert.equal(final.result.payloads[0]!.text, "Ran it.");
    assert.equal(await Deno.readTextFile(`${workspace}/proof.txt`), "from-sandbox\n");

    const second = upstream.requestsOf("tooler")[1] as {
      messages: { role: string; content?: string; tool_call_id?: string }[];
    };
    const first = upstream.requestsOf("tooler")[0] as { tools?: { function: { name: string } }[] };
    assert.ok(first.tools?.some((t) => t.function.name === "exec"), "exec is offered");
    assert.ok(first.tools?.some((t) => t.function.name === "process"), "process is offered");
    const result = second.messages.find((m) => m.role === "tool" && m.tool_call_id === "call_exec");
    const text = String(result?.content);
    assert.match(text, /No such file or directory/);
    assert.ok(!text.includes("home-secret-77"), text);
    assert.match(text, /Failed to connect|Couldn't connect|Could not resolve|Network is unreachable/);
    assert.match(text, /cwd=\/workspace/);
    assert.equal(hits, 0, "the loopback server was never reached");

    const phases = session.events.filter((e) =>
      e.event === "agent" && (e.payload as { stream: string }).stream === "tool"
    ).map((e) => (e.payload as { data: { phase: string; name: string } }).data)
      .filter((d) => d.name === "exec").map((d) => d.phase);
    assert.equal(phases[0], "start");
    assert.equal(phases.at(-1), "result");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

/** Whether any process on the host has `marker` in its command line. */
async function processWith(marker: string): Promise<boolean> {
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const cmdline = await Deno.readTextFile(`/proc/${entry.name}/cmdline`).catch(() => "");
    if (cmdline.includes(marker)) return true;
  }
  return false;
}

Deno.test("stopping the gateway kills the commands its model backgrounded", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["tooler"] } } },
    agents: { defaults: { model: { primary: "fake/tooler" }, sandbox: { mode: "all", workspaceAccess: "rw" } } },
  });
  const marker = `${Math.floor(Math.random() * 1e6) + 1000}.${Date.now() % 1000}`;
  upstream.script("tooler", [
    { toolCalls: [{ id: "call_bg", name: "exec", args: { command: `sleep ${marker}`, background: true } }] },
    { text: "Started." },
  ]);
  const { proc, port } = await startGateway({ home: home.home });
  const session = await connectReference({ port, token: TOKEN });
  try {
    const final = await session.request<{ status: string }>(
      "agent",
      { message: "Start it", sessionKey: "agent:main:main", idempotencyKey: "exec-loop-bg" },
      { expectFinal: true },
    );
    assert.equal(final.status, "ok");
    const second = upstream.requestsOf("tooler")[1] as { messages: { role: string; content?: string }[] };
    assert.match(String(second.messages.find((m) => m.role === "tool")?.content), /^Command still running \(session /);
    // The sandbox may still be starting the command when the run's answer comes back (the exec yielded at its
    // background deadline): wait for it to appear rather than look once.
    await until(() => processWith(`sleep\0${marker}`), "the backgrounded command running after the run ended");
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
  }
  try {
    assert.ok(!(await processWith(`sleep\0${marker}`)), "the gateway's stop killed it");
  } finally {
    await home.cleanup();
  }
});
