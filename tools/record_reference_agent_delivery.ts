// Re-records tests/fixtures/agent_delivery/reference_agent_delivery.json: what the reference OpenClaw 2026.9.6 gateway
// answers an `agent` request with `deliver: true` and no usable target (no channel configured, Telegram configured,
// unknown channels, bestEffortDeliver, explicit targets; the steps: tests/support/agent_delivery_scenario.ts).
// Run with `ours` to print our gateway's recording.
//
//   deno run -A tools/record_reference_agent_delivery.ts [ref|ours]
import { runAgentDeliveryScenario } from "../tests/support/agent_delivery_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-agentdelivery-" });
  try {
    const recording = await runAgentDeliveryScenario(target, root);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway, one with no channel and one with Telegram on the fake Bot API, `agent` " +
        "with deliver: true on sessions with no route, by tools/record_reference_agent_delivery.ts",
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/agent_delivery/reference_agent_delivery.json", import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
