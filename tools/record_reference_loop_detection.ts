// Records what the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) does with a model stuck in a tool loop
// under `tools.loopDetection`: the fake model "loopy" reads the same missing file 35 times (tests/support/loop_script.ts)
// in agent `main` (loop detection on, from `tools.loopDetection`), and the fake model "loose" does the same in agent
// `loose`, whose own `tools.loopDetection.enabled: false` overlays it (off). For each run: the text of every tool
// result the model got back, in order (the warning note and when it appears, the blocked results); how many model
// requests it made; the run's `agent` and `chat` events; the session's last messages; and the gateway's log lines
// about the loop. Writes tests/fixtures/loop_detection/<target>.json.
//
//   deno run -A tools/record_reference_loop_detection.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { loopConfig, loopSteps, runLoop } from "../tests/support/loop_script.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { startRecordedGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-loop-detection-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
upstream.script("loopy", loopSteps());
upstream.script("loose", loopSteps());
const port = freePort();
const workspace = await Deno.makeTempDir({ prefix: "loop-ws-" });
const config = loopConfig({ port, token: TOKEN, upstreamUrl: upstream.url, workspace });
const gateway = await startRecordedGateway(target, { root: "/tmp/loopdetect/refgw", port, config });
say("gateway up");
try {
  const session = await connectReference({
    port,
    token: TOKEN,
    mode: "cli",
    clientName: "cli",
    scopes: ["operator.read", "operator.write", "operator.admin"],
  });
  try {
    await session.request("sessions.subscribe", {});
    const on = await runLoop(session, upstream, { model: "loopy", sessionKey: "agent:main:loop", runId: "loop-on" });
    say(`on: ${on.modelRequests} model requests`);
    const off = await runLoop(session, upstream, {
      model: "loose",
      sessionKey: "agent:loose:loop",
      runId: "loop-off",
    });
    say(`off: ${off.modelRequests} model requests`);
    const logLines = gateway.output().split("\n").filter((line) => /loop/i.test(line)).map((line) =>
      line.replace(/^\S*\d{2}:\d{2}:\d{2}\S*\s+/, "")
    );
    const facts = {
      recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake models ` +
        "'loopy' (agent main, tools.loopDetection on) and 'loose' (agent loose, its own loopDetection off), " +
        "through @openclaw/gateway-client (cli), by tools/record_reference_loop_detection.ts",
      on,
      off,
      logLines,
    };
    const out = new URL(`../tests/fixtures/loop_detection/${target}.json`, import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    session.stop();
  }
} catch (error) {
  say(gateway.output().slice(-4000));
  throw error;
} finally {
  await gateway.stop();
  await upstream.stop();
  await Deno.remove(workspace, { recursive: true }).catch(() => {});
}
