// Re-records tests/fixtures/mcp/reference_mcp_reconnect.json: the reference OpenClaw 2026.9.6's `openclaw mcp serve -v`
// across a restart of the reference gateway (stopped by PID, started again on the same port and state dir), driven by
// the MCP SDK client: the tools' answers while the gateway is down, the bridge reconnecting on its own, a new
// Telegram message through events_wait and messages_send after it (the steps: tests/support/mcp_reconnect_scenario.ts).
// Run with `ours` to print our bridge's recording.
//
//   deno run -A tools/record_reference_mcp_reconnect.ts [ref|ours]
import { runMcpReconnectScenario } from "../tests/support/mcp_reconnect_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-mcp-reconnect-" });
  try {
    const recording = await runMcpReconnectScenario(target, root);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 `mcp serve --url ws://127.0.0.1:<port> --token-file <file> -v` across a restart " +
        "of the reference gateway (a Telegram DM from user 4242 answered through the fake Bot API), by " +
        "tools/record_reference_mcp_reconnect.ts; answers as the MCP SDK client received them.",
      ...recording,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/mcp/reference_mcp_reconnect.json", import.meta.url);
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
