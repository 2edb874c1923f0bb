// Records every event frame (name, payload, frame seq) the reference OpenClaw 2026.9.6 gateway (or ours, `ours`)
// sends a client connected as the Control UI connects (caps tool-events, sessions.subscribe) during (a) a plain
// answered chat.send, (b) a run with an `exec` call printing three lines over ~1 s, (c) a model answering HTTP 500
// and one whose connection drops mid-stream (tests/support/run_status_script.ts): its run status frames
// (`chat` state "status", `agent` stream "run_status"), the exec call's live updates, the failure text.
// Then what the reference's own Control UI (headless Chromium) shows of a run it sent to a model that never answers
// (tests/support/run_status_ui.ts): its start-up status lines. Writes tests/fixtures/run_status/<target>.json.
//
//   deno run -A tools/record_reference_run_status.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { clientTestConfig, startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";
import { uiStartupView } from "../tests/support/run_status_ui.ts";
import { recordRun, RUN_STATUS_AGENTS, runStatusConfig } from "../tests/support/run_status_script.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-run-status-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
const workspace = await Deno.makeTempDir({ prefix: "record-run-status-ws-" });
const runs: Record<string, unknown> = {};
let ui: unknown;
try {
  const port = freePort();
  const config = runStatusConfig({ port, token: TOKEN, upstream, workspace });
  const gateway = await startRecordedGateway(target, { root: "/tmp/runstatus/refgw", port, config });
  try {
    say("gateway up");
    const session = await connectReference({
      port,
      token: TOKEN,
      mode: "cli",
      clientName: "cli",
      scopes: ["operator.read", "operator.write", "operator.admin"],
      caps: ["tool-events"],
    });
    try {
      await session.request("sessions.subscribe", {});
      for (const agent of RUN_STATUS_AGENTS) {
        runs[agent] = await recordRun(session, agent);
        say(`${agent} recorded`);
      }
    } finally {
      session.stop();
    }
  } catch (error) {
    Deno.stderr.writeSync(new TextEncoder().encode(`${gateway.output().slice(-4000)}\n`));
    throw error;
  } finally {
    await gateway.stop();
  }
  // The Control UI's view: its own run on a model that never answers.
  const server = await startReferenceUiServer();
  const uiPort = freePort();
  const uiConfig = clientTestConfig({
    port: uiPort,
    token: TOKEN,
    upstreamUrl: upstream.url,
    uiOrigin: server.origin,
    model: "stall",
  });
  const uiGateway = await startRecordedGateway(target, {
    root: "/tmp/runstatus/refui",
    port: uiPort,
    config: uiConfig,
  });
  const { browser, stop } = await launchBrowser();
  try {
    ui = await uiStartupView(browser, { server, gatewayPort: uiPort, token: TOKEN });
    say("Control UI recorded");
  } finally {
    await stop();
    await uiGateway.stop();
    await server.stop();
  }
  const facts = {
    recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake models ` +
      "'m1', 'exec' (scripted exec call), 'http500' and 'hangup', through @openclaw/gateway-client (cli, caps " +
      "tool-events, sessions.subscribe), and the reference's Control UI (headless Chromium) on 'stall', by " +
      "tools/record_reference_run_status.ts",
    runs,
    ui,
  };
  const out = new URL(`../tests/fixtures/run_status/${target}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
} finally {
  await upstream.stop();
  await Deno.remove(workspace, { recursive: true }).catch(() => {});
}
