// Records how the reference OpenClaw 2026.9.6 gateway (or ours, `ours`) retries a model call that failed
// transiently: every event frame a client connected as the Control UI connects sees (its `run_status` "retrying"
// events and the chat `status` each becomes, the attempt's lifecycle), the final answer or error, and how many
// requests each model received, for the cases of tests/support/run_retries_script.ts (503, 429 with retry-after, a
// dropped connection, each then the answer; a 400; retries run out under `retry.provider.maxRetries` 1 and 0;
// retries then the fallback model; a rate limit asking too long a wait with a fallback; an `agent` method run; a
// retry-after given only in a 429's error words, short (with chat.history's inFlightRun asked mid-wait) and long).
// A full default exhaustion (~1 min) is in tests/fixtures/run_status (http500, hangup). Writes
// tests/fixtures/run_retries/<target>.json.
//
//   deno run -A tools/record_reference_run_retries.ts [ref|ours]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { connectReference } from "../tests/support/reference_client.ts";
import { startRecordedGateway } from "../tests/support/reference_gateway.ts";
import {
  type RecordedRetry,
  recordRetry,
  retriesConfig,
  RETRY_CASES,
  scriptRetryModels,
  writeRetrySettings,
} from "../tests/support/run_retries_script.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";

const target = Deno.args[0] ?? "ref";
const TOKEN = "record-run-retries-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`));
}

const upstream = startFakeUpstream();
scriptRetryModels(upstream);
const runs: Record<string, RecordedRetry> = {};
try {
  const port = freePort();
  const gateway = await startRecordedGateway(target, {
    root: "/tmp/runretries/refgw",
    port,
    config: retriesConfig({ port, token: TOKEN, upstream }),
  });
  try {
    await writeRetrySettings(gateway.stateDir);
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
      for (const c of RETRY_CASES) {
        runs[c.agent] = await recordRetry(session, upstream, c);
        say(`${c.agent} recorded`);
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
  const facts = {
    recorded: `${target === "ref" ? "the reference OpenClaw 2026.9.6" : "our"} gateway with scripted fake models ` +
      "failing transiently (tests/support/run_retries_script.ts), through @openclaw/gateway-client (cli, caps " +
      "tool-events, sessions.subscribe), by tools/record_reference_run_retries.ts",
    runs,
  };
  const out = new URL(`../tests/fixtures/run_retries/${target}.json`, import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  await Deno.writeTextFile(out, JSON.stringify(facts, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
} finally {
  await upstream.stop();
}
