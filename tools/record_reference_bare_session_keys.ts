// Re-records tests/fixtures/bare_session_keys/reference_bare_session_keys.json: what the reference OpenClaw 2026.9.6
// gateway makes of a client's bare session key ("main", "work") in chat.send and agent, with and without a
// non-default agentId (the steps: tests/support/bare_session_keys_scenario.ts). With `global`, the same under
// `session.scope: "global"` (reference_bare_session_keys_global.json). Run with `ours` to print our gateway's recording.
//
//   deno run -A tools/record_reference_bare_session_keys.ts [ref|ours] [global]
import { runBareSessionKeysScenario } from "../tests/support/bare_session_keys_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const variant = Deno.args[1] === "global" ? "global" : "per-sender";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-barekeys-" });
  try {
    const recording = await runBareSessionKeysScenario(target, root, variant);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway with agents main (default) and ops" +
        (variant === "global" ? ' and session.scope "global"' : "") +
        ", chat.send and agent on bare session keys, by tools/record_reference_bare_session_keys.ts",
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const name = variant === "global" ? "reference_bare_session_keys_global" : "reference_bare_session_keys";
    const out = new URL(`../tests/fixtures/bare_session_keys/${name}.json`, import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
