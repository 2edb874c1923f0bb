// Re-records tests/fixtures/telegram/reference_topics.json: the reference OpenClaw 2026.9.6 gateway with a forum
// supergroup on the fake Bot API (the steps: tests/support/telegram_topics_scenario.ts): a message in topic 42, one in
// the General topic (no message_thread_id), one in topic 43, what it sent back (message_thread_id, chat actions), the
// session rows (keys, routes) and `send` with a threadId. Run with `ours` to print our gateway's recording.
//
//   deno run -A tools/record_reference_telegram_topics.ts [ref|ours]
import { runTopicsScenario } from "../tests/support/telegram_topics_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-tgtopics-" });
  try {
    const recording = await runTopicsScenario(target, root);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway, Telegram forum supergroup -100555 on the fake Bot API (messages in topic " +
        "42, the General topic and topic 43), by tools/record_reference_telegram_topics.ts",
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/telegram/reference_topics.json", import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
