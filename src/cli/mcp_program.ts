// The `openclaw mcp` command tree, as the reference names its bridge and registry subcommands; each action
// imports its command file (cli/commands/mcp.ts, cli/commands/mcp_serve.ts) lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `openclaw mcp serve|list|show|status|set|unset|add|probe` to `program`. */
export function addMcpCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const commands = () => import("./commands/mcp.ts");
  const mcp = program.command("mcp").description("Manage OpenClaw mcp.servers config and channel bridge");
  mcp.command("serve").description("Expose OpenClaw channels over MCP stdio")
    // In the order the reference's help lists them (it sorts options by name).
    .option("--claude-channel-mode <mode>", "Claude channel notification mode: auto, on, or off", "auto")
    .option("--password <password>", "Gateway password (if required)")
    .option("--password-file <path>", "Read gateway password from file")
    .option("--token <token>", "Gateway token (if required)")
    .option("--token-file <path>", "Read gateway token from file")
    .option("--url <url>", "Gateway WebSocket URL (defaults to gateway.remote.url when configured)")
    .option("-v, --verbose", "Verbose logging to stderr", false)
    .action((options) =>
      run(async () => (await import("./commands/mcp_serve.ts")).mcpServe({ ...globals(), ...options }))
    );
  mcp.command("list").description("List OpenClaw-managed MCP servers from mcp.servers")
    .option("--json", "Print JSON")
    .action((options) => run(async () => (await commands()).mcpList({ ...globals(), ...options })));
  mcp.command("show").description("Show one OpenClaw-managed MCP server or the full mcp.servers config")
    .argument("[name]", "MCP server name")
    .option("--json", "Print JSON")
    .action((name, options) => run(async () => (await commands()).mcpShow(name, { ...globals(), ...options })));
  mcp.command("status").description("Show configured MCP server transport status without connecting")
    .option("--verbose", "Include launch and timeout details")
    .option("--json", "Print JSON")
    .action((options) => run(async () => (await commands()).mcpStatus({ ...globals(), ...options })));
  mcp.command("set").description("Set one OpenClaw-managed MCP server from a JSON object")
    .argument("<name>", "MCP server name")
    .argument("<value>", 'JSON object (for example {"command":"uvx","args":["context7-mcp"]})')
    .action((name, value) => run(async () => (await commands()).mcpSet(name, value, globals())));
  mcp.command("unset").description("Remove one OpenClaw-managed MCP server")
    .argument("<name>", "MCP server name")
    .action((name) => run(async () => (await commands()).mcpUnset(name, globals())));
  mcp.command("add").description("Add one MCP server from flags and probe it before saving")
    .argument("<name>", "MCP server name")
    .option("--command <command>", "Stdio command to spawn")
    .option("--arg <value>", "Repeatable stdio argument", collect, [])
    .option("--env <key=value>", "Repeatable stdio environment entry", collect, [])
    .option("--cwd <path>", "Working directory for stdio server")
    .option("--url <url>", "HTTP MCP server URL")
    .option("--transport <type>", "HTTP transport: streamable-http or sse")
    .option("--header <key=value>", "Repeatable HTTP header", collect, [])
    .option("--timeout <seconds>", "Per-request timeout in seconds")
    .option("--connect-timeout <seconds>", "Connection timeout in seconds")
    .option("--include <csv>", "Comma-separated MCP tool names or '*' globs to expose")
    .option("--exclude <csv>", "Comma-separated MCP tool names or '*' globs to hide")
    .option("--parallel", "Mark this server safe for concurrent tool calls")
    .option("--disabled", "Save the server disabled")
    .option("--no-probe", "Save without connecting first")
    .action((name, options) => run(async () => (await commands()).mcpAdd(name, { ...globals(), ...options })));
  mcp.command("probe").description("Connect to configured MCP servers and list available capabilities")
    .argument("[name]", "MCP server name")
    .option("--json", "Print JSON")
    .action((name, options) => run(async () => (await commands()).mcpProbe(name, { ...globals(), ...options })));
}
