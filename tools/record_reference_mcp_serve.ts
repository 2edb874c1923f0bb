// Re-records tests/fixtures/mcp/reference_mcp_serve.json: the reference OpenClaw 2026.9.6's `openclaw mcp serve`
// (its stdio MCP bridge) against the reference gateway with a Telegram DM answered through the fake Bot API,
// driven by the MCP SDK client: initialize, tools/list, each tool's answer, a live message, messages_send and
// refusals (the steps: tests/support/mcp_serve_scenario.ts), then the command's own refusals (bad flags, secret files). Run with `ours` to print our bridge's recording.
//
//   deno run -A tools/record_reference_mcp_serve.ts [ref|ours]
import { runMcpServeScenario, runServeRefusals } from "../tests/support/mcp_serve_scenario.ts";

async function main(): Promise<void> {
  const target = Deno.args[0] ?? "ref";
  const root = await Deno.makeTempDir({ prefix: "oc-ref-mcp-" });
  try {
    const recording = await runMcpServeScenario(target, root);
    const refusals = await runServeRefusals(target);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 `mcp serve --url ws://127.0.0.1:<port> --token-file <file>` against the " +
        "reference gateway (a Telegram DM from user 4242 answered through the fake Bot API), by " +
        "tools/record_reference_mcp_serve.ts; answers as the MCP SDK client received them.",
      ...recording,
      refusals,
    };
    const text = JSON.stringify(fixture, null, 2) + "\n";
    if (target !== "ref") {
      await Deno.stdout.write(new TextEncoder().encode(text));
      return;
    }
    const out = new URL("../tests/fixtures/mcp/reference_mcp_serve.json", import.meta.url);
    await Deno.mkdir(new URL(".", out), { recursive: true });
    await Deno.writeTextFile(out, text);
    Deno.stderr.writeSync(new TextEncoder().encode(`wrote ${out.pathname}\n`));
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
