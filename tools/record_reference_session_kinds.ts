// Re-records tests/fixtures/session_kinds/reference_session_kinds.json: the reference OpenClaw 2026.9.6 gateway's
// session rows (kind, classification, chatType, route) after a Telegram DM, a group message and a forum topic message
// on the fake Bot API and the Control UI's chat.send on main and agent:main:work (the steps:
// tests/support/session_kinds_scenario.ts). Run with `ours` to print our gateway's recording.
//
//   deno run -A tools/record_reference_session_kinds.ts [ref|ours]
import { runSessionKindsScenario } from "../tests/support/session_kinds_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-kinds-" });
  try {
    const recording = await runSessionKindsScenario(target, root);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway: a Telegram DM, group -200777 and forum -100555 topic 42 on the fake Bot " +
        "API, chat.send on main and agent:main:work, by tools/record_reference_session_kinds.ts",
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/session_kinds/reference_session_kinds.json", import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
