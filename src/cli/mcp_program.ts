// The `openclaw mcp` command tree, as the reference names and orders its bridge and registry subcommands;
// each action imports its command file (cli/commands/mcp*.ts) lazily.
import type { Command } from "commander";
import type { GlobalOptions } from "./main.ts";

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds `openclaw mcp serve|list|show|status|probe|doctor|add|set|tools|configure|login|logout|reload|unset` to `program`. */
export function addMcpCommands(
  program: Command,
  run: (task: () => Promise<number>) => void,
  globals: () => GlobalOptions,
): void {
  const commands = () => import("./commands/mcp.ts");
  const mcp = program.command("mcp").description("Manage OpenClaw mcp.servers config and channel bridge")
    // The reference's help layout for this family: sorted, subcommands by bare name; children inherit it.
    .configureHelp({ sortSubcommands: true, sortOptions: true, subcommandTerm: (sub) => sub.name() })
    .helpOption("-h, --help", "Display help for command")
    // The reference's `mcp` has no `help` subcommand: `openclaw mcp help` is an unknown command there.
    .helpCommand(false);
  mcp.command("serve").description("Expose OpenClaw channels over MCP stdio")
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
    .option("-v, --verbose", "Show transport, auth, timeout, and filter details", false)
    .option("--json", "Print JSON")
    .action((options) => run(async () => (await commands()).mcpStatus({ ...globals(), ...options })));
  mcp.command("probe").description("Connect to configured MCP servers and list available capabilities")
    .argument("[name]", "MCP server name")
    .option("--json", "Print JSON")
    .action((name, options) =>
      run(async () => (await import("./commands/mcp_probe.ts")).mcpProbe(name, { ...globals(), ...options }))
    );
  mcp.command("doctor").description("Check configured MCP servers for static setup problems")
    .argument("[name]", "MCP server name")
    .option("--probe", "Also connect to each checked server", false)
    .option("--json", "Print JSON")
    .action((name, options) =>
      run(async () => (await import("./commands/mcp_doctor.ts")).mcpDoctor(name, { ...globals(), ...options }))
    );
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
    .option("--approval <mode>", "Codex MCP tool approval mode: auto, prompt, or approve")
    .option("--auth <mode>", "HTTP auth mode: oauth")
    .option("--oauth-scope <scope>", "OAuth scope")
    .option("--oauth-redirect-url <url>", "OAuth redirect URL")
    .option("--oauth-client-metadata-url <url>", "OAuth client metadata URL")
    .option("--ssl-verify <boolean>", "Verify HTTPS certificates: true or false")
    .option("--client-cert <path>", "HTTP mutual TLS client certificate path")
    .option("--client-key <path>", "HTTP mutual TLS client key path")
    .option("--disabled", "Save the server disabled", false)
    .option("--no-probe", "Save without connecting first")
    .action((name, options) => run(async () => (await commands()).mcpAdd(name, { ...globals(), ...options })));
  mcp.command("set").description("Set one OpenClaw-managed MCP server from a JSON object")
    .argument("<name>", "MCP server name")
    .argument("<value>", 'JSON object (for example {"command":"uvx","args":["context7-mcp"]})')
    .action((name, value) => run(async () => (await commands()).mcpSet(name, value, globals())));
  const edits = () => import("./commands/mcp_configure.ts");
  mcp.command("tools").description("Update per-server MCP tool include/exclude filters")
    .argument("<name>", "MCP server name")
    .option("--include <csv>", "Comma-separated MCP tool names or '*' globs to expose")
    .option("--exclude <csv>", "Comma-separated MCP tool names or '*' globs to hide")
    .option("--clear", "Clear this server's MCP tool filter", false)
    .action((name, options) => run(async () => (await edits()).mcpTools(name, { ...globals(), ...options })));
  mcp.command("configure").description("Update MCP server operator controls without replacing the server")
    .argument("<name>", "MCP server name")
    .option("--enable", "Enable this saved server", false)
    .option("--disable", "Disable this saved server", false)
    .option("--include <csv>", "Comma-separated MCP tool names or '*' globs to expose")
    .option("--exclude <csv>", "Comma-separated MCP tool names or '*' globs to hide")
    .option("--clear-tools", "Clear this server's MCP tool filter", false)
    .option("--timeout <seconds>", "Per-request timeout in seconds")
    .option("--connect-timeout <seconds>", "Connection timeout in seconds")
    .option("--clear-timeouts", "Clear request and connection timeout overrides", false)
    .option("--parallel", "Mark this server safe for concurrent tool calls")
    .option("--no-parallel", "Clear the concurrent tool-call marker")
    .option("--approval <mode>", "Codex MCP tool approval mode: auto, prompt, or approve")
    .option("--auth <mode>", "HTTP auth mode: oauth")
    .option("--clear-auth", "Clear auth and OAuth metadata", false)
    .option("--oauth-scope <scope>", "OAuth scope")
    .option("--oauth-redirect-url <url>", "OAuth redirect URL")
    .option("--oauth-client-metadata-url <url>", "OAuth client metadata URL")
    .option("--ssl-verify <boolean>", "Verify HTTPS certificates: true or false")
    .option("--client-cert <path>", "HTTP mutual TLS client certificate path")
    .option("--client-key <path>", "HTTP mutual TLS client key path")
    .option("--clear-tls", "Clear TLS verification and mTLS overrides", false)
    .option("--probe", "Probe the updated server before saving", false)
    .action((name, options) => run(async () => (await edits()).mcpConfigure(name, { ...globals(), ...options })));
  const oauth = () => import("./commands/mcp_oauth.ts");
  mcp.command("login").description("Authorize an OAuth MCP server")
    .argument("<name>", "MCP server name")
    .option("--code <code>", "Authorization code from the OAuth redirect")
    .action((name, options) => run(async () => (await oauth()).mcpLogin(name, { ...globals(), ...options })));
  mcp.command("logout").description("Clear stored OAuth credentials for an MCP server")
    .argument("<name>", "MCP server name")
    .action((name) => run(async () => (await oauth()).mcpLogout(name, globals())));
  mcp.command("reload").description("Dispose cached MCP runtimes so new config is used on the next turn")
    .action(() => run(async () => (await edits()).mcpReload(globals())));
  mcp.command("unset").description("Remove one OpenClaw-managed MCP server")
    .argument("<name>", "MCP server name")
    .action((name) => run(async () => (await commands()).mcpUnset(name, globals())));
}
