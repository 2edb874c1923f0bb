// Records tests/fixtures/run_deadline/reference_events.json: the `chat` and `agent` events and the final
// `agent.wait` answer the reference OpenClaw 2026.9.6 gives a run whose model never answers ("stall") when
// its deadline ends it: chat.send with `timeoutMs`, and chat.send without one under
// `agents.defaults.timeoutSeconds`.
//
//   deno run -A tools/record_reference_run_deadline.ts [--port 19571]
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";

const TOKEN = "reference-run-deadline-token-0123456789";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** One scenario: the reference started with `defaults` under agents.defaults, one chat.send with `params`. */
async function record(
  port: number,
  defaults: Record<string, unknown>,
  params: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const root = await Deno.makeTempDir({ prefix: "oc-ref-deadline-" });
  const upstream = startFakeUpstream();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "stall" });
  Object.assign((config.agents as Record<string, Record<string, unknown>>).defaults!, defaults);
  const ref = await startReferenceGateway({ root: `${root}/gw`, port, config });
  try {
    const client = await connectReference({
      port,
      token: TOKEN,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write", "operator.admin"],
    });
    const started = performance.now();
    const sent = await client.request<{ runId: string }>("chat.send", {
      sessionKey: "agent:main:main",
      message: "think forever",
      idempotencyKey: "deadline-run",
      ...params,
    });
    const waited = await client.request("agent.wait", { runId: sent.runId, timeoutMs: 60_000 }, { timeoutMs: 70_000 });
    const endedMs = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    client.stop();
    const events = client.events
      .filter((e) => e.event === "chat" || e.event === "agent")
      .map(({ event, payload }) => ({ event, payload }));
    return { defaults, params, sent, waited, endedAfterMs: endedMs, events };
  } finally {
    await ref.stop();
    await upstream.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19571;
  say("chat.send timeoutMs 2000");
  const withTimeoutMs = await record(port, {}, { timeoutMs: 2000 });
  say("agents.defaults.timeoutSeconds 2");
  const withConfigured = await record(port, { timeoutSeconds: 2 }, {});
  const out = new URL("../tests/fixtures/run_deadline/reference_events.json", import.meta.url);
  await Deno.writeTextFile(out, JSON.stringify({ withTimeoutMs, withConfigured }, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
}

await main();
