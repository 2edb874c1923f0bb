// Re-records tests/fixtures/send_policy/reference_send_policy.json: what the reference OpenClaw 2026.9.6 gateway does
// under a configured `session.sendPolicy` (chat.send refused or run, Telegram replies sent or kept back, a session's
// own policy over the rules, `agent` with and without deliver; the steps: tests/support/send_policy_scenario.ts).
// Run with `ours` to print our gateway's recording.
//
//   deno run -A tools/record_reference_send_policy.ts [ref|ours]
import { runSendPolicyScenario, SEND_POLICY } from "../tests/support/send_policy_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-sendpolicy-" });
  try {
    const recording = await runSendPolicyScenario(target, root);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway with session.sendPolicy below, a Telegram DM (routed to main) and group " +
        "-200777 on the fake Bot API, by tools/record_reference_send_policy.ts",
      sendPolicy: SEND_POLICY,
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/send_policy/reference_send_policy.json", import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
