// Records how the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) reports a failed run to its clients: the
// run's terminal `chat` event (`errorMessage`, `errorKind`, `errorDetail`) and `agent.wait`'s answer
// (`status`, `error`, `terminalReply`) for a model answering HTTP 400 ("fail"), one answering 429 ("limited")
// and a run aborted with `chat.abort` mid-answer ("drip"). Writes tests/fixtures/run_failures/<target>.json.
// (The loop-stop failure is in tests/fixtures/loop_detection, the run timeout in tests/fixtures/run_deadline.)
//
//   deno run -A tools/record_reference_run_failures.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { failure, FAILURES, failuresConfig } from "../tests/support/run_failures_script.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-run-failures-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
const port = freePort();
const config = failuresConfig({ port, token: TOKEN, upstreamUrl: upstream.url });
try {
  await withRecordedSession(target, { root: "/tmp/runfailures/refgw", port, config, token: TOKEN }, async (session) => {
    say("gateway up");
    await session.request("sessions.subscribe", {});
    const runs = [];
    for (const [model, abort] of FAILURES) {
      runs.push(await failure(session, model, abort));
      say(`${model} recorded`);
    }
    const facts = {
      recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with the fake models ` +
        "'fail' (HTTP 400), 'limited' (HTTP 429) and 'drip' (aborted mid-answer), through @openclaw/gateway-client " +
        "(cli), by tools/record_reference_run_failures.ts",
      runs,
    };
    const out = new URL(`../tests/fixtures/run_failures/${target}.json`, import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  });
} finally {
  await upstream.stop();
}
