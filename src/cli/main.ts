import { type Command, CommanderError } from "commander";
import { VERSION } from "../version.ts";
import { exit, reportError } from "./exit.ts";
import { addAgentsCommands } from "./agents_program.ts";
import { addBackupCommands } from "./backup_program.ts";
import { addCompletionCommands } from "./completion_program.ts";
import { addConfigCommands } from "./config_program.ts";
import { addCronCommands } from "./cron_program.ts";
import { addDatabaseCommands } from "./database_program.ts";
import { addHooksCommands } from "./hooks_program.ts";
import { addMcpCommands } from "./mcp_program.ts";
import { OpenclawCommand } from "./openclaw_command.ts";
import { addModelsCommands } from "./models_program.ts";
import { addNodesCommands } from "./nodes_program.ts";
import { addOnboardCommands } from "./onboard_program.ts";
import { addResetCommands } from "./reset_program.ts";
import { addRpcOptions } from "./rpc_options.ts";
import { addSecretsCommands } from "./secrets_program.ts";
import { addSecurityCommands } from "./security_program.ts";
import { addServiceCommands } from "./service_program.ts";
import { addSessionsCommands } from "./sessions_program.ts";
import { addTasksCommands } from "./tasks_program.ts";
import { addUninstallCommands } from "./uninstall_program.ts";

/** Global options every command sees (`openclaw --dev`, `--profile NAME`, `--log-level`). */
export interface GlobalOptions {
  dev?: boolean;
  profile?: string;
  logLevel?: string;
}

/** Options of `openclaw gateway` / `openclaw gateway run`. */
export interface GatewayRunOptions {
  port?: string;
  bind?: string;
  auth?: string;
  token?: string;
  password?: string;
  passwordFile?: string;
  force?: boolean;
  verbose?: boolean;
  allowUnconfigured?: boolean;
}

function addRunOptions(command: Command): Command {
  return command
    .option("--port <port>", "port for WebSocket and HTTP (default: gateway.port, else 18789)")
    .option("--bind <mode>", "loopback, lan, tailnet, auto or custom (default: gateway.bind, else loopback)")
    .option("--auth <mode>", "auth mode override: none, token, password")
    .option("--token <token>", "shared token clients must present (overrides config)")
    .option("--password <password>", "shared password clients must present (prefer --password-file)")
    .option("--password-file <path>", "read the shared password from a file")
    .option("--force", "stop whatever listens on the port first, then start")
    .option("--verbose", "mirror debug logs to stdout/stderr")
    .option("--allow-unconfigured", "start without a config file or gateway.mode=local");
}

/** What `gateway` / `gateway run` start: the gateway (a test passes a recorder to compare parses). */
export type GatewayStarter = (options: GlobalOptions & GatewayRunOptions) => Promise<number>;

/** Builds the `openclaw` command tree. Every action imports its command file lazily. */
export function buildProgram(
  run: (task: () => Promise<number>) => void,
  startGateway: GatewayStarter = async (options) => (await import("./commands/gateway_run.ts")).gatewayRun(options),
): OpenclawCommand {
  const program = new OpenclawCommand()
    .name("openclaw")
    .description("OpenClaw-compatible gateway: connects chat channels, agents and models on one port")
    .version(VERSION, "-V, --version", "print the version")
    .option("--dev", "dev profile: state in ~/.openclaw-dev, default port 19001")
    .option("--profile <name>", "named profile: state and config in ~/.openclaw-<name>")
    .option("--log-level <level>", "log level for file and console: silent|fatal|error|warn|info|debug|trace")
    .enablePositionalOptions()
    // Failures are printed in the reference's words by OpenclawCommand.error, not commander's.
    .configureOutput({ outputError: () => {} });

  const runGateway = (options: GatewayRunOptions) =>
    run(() => startGateway({ ...program.opts<GlobalOptions>(), ...options }));

  const gateway = addRunOptions(
    program.command("gateway")
      .description("run the gateway in the foreground (same as `gateway run`)")
      .enablePositionalOptions(),
  ).action((options: GatewayRunOptions) => runGateway(options));
  addRunOptions(gateway.command("run").description("run the gateway in the foreground"))
    .action((options: GatewayRunOptions) => runGateway(options));

  const globals = () => program.opts<GlobalOptions>();
  addServiceCommands(gateway, run, globals);
  // The reference's legacy alias: the same service commands, `--json` also before the subcommand.
  const daemon = program.command("daemon").description("Manage the Gateway service (legacy alias of `gateway`)")
    .option("--json", "print JSON");
  addServiceCommands(daemon, run, globals, () => daemon.opts<{ json?: boolean }>());

  addRpcOptions(gateway.command("call").description("call one gateway RPC method").argument("<method>"), "10000")
    .option("--params <json>", "method params as JSON", "{}")
    .action((method: string, options) =>
      run(async () => (await import("./commands/gateway_call.ts")).gatewayCall(method, { ...globals(), ...options }))
    );
  addRpcOptions(gateway.command("health").description("the gateway's health, in short"), "10000")
    .action((options) =>
      run(async () => (await import("./commands/gateway_call.ts")).gatewayHealth({ ...globals(), ...options }))
    );
  addRpcOptions(gateway.command("suspend").description("Prepare the Gateway for cooperative host suspension"), "10000")
    .option("--request-id <id>", "Stable suspension request id")
    .option("--wait <seconds>", "Wait up to this many seconds for active work to drain")
    .action((options) =>
      run(async () => (await import("./commands/gateway_suspend.ts")).gatewaySuspend({ ...globals(), ...options }))
    );
  addRpcOptions(
    gateway.command("resume").description("Release a cooperative Gateway suspension")
      .argument("<suspensionId>", "Suspension id returned by gateway suspend"),
    "10000",
  ).action((suspensionId: string, options) =>
    run(async () =>
      (await import("./commands/gateway_suspend.ts")).gatewayResume(suspensionId, { ...globals(), ...options })
    )
  );
  addRpcOptions(gateway.command("probe").description("is the gateway reachable, and what may we do"), "3000")
    .action((options) =>
      run(async () => (await import("./commands/gateway_probe.ts")).gatewayProbe({ ...globals(), ...options }))
    );

  addRpcOptions(program.command("status").description("overview of this host's gateway"), "10000")
    .option("--deep", "also read the last heartbeat")
    .action((options) => run(async () => (await import("./commands/status.ts")).status({ ...globals(), ...options })));
  addRpcOptions(program.command("health").description("the gateway's health snapshot"), "10000")
    .action((options) => run(async () => (await import("./commands/health.ts")).health({ ...globals(), ...options })));
  const system = program.command("system").description("System tools (events, heartbeat, presence)");
  const systemCommand = () => import("./commands/system.ts");
  addRpcOptions(
    system.command("event").description("Enqueue a system event and optionally trigger a heartbeat"),
    "30000",
  )
    .requiredOption("--text <text>", "System event text")
    .option("--mode <mode>", "Wake mode (now|next-heartbeat)", "next-heartbeat")
    .option(
      "--session-key <sessionKey>",
      "Target a specific session for the event (defaults to the agent's main session)",
    )
    .action((options) => run(async () => (await systemCommand()).systemEvent({ ...globals(), ...options })));
  const heartbeat = system.command("heartbeat").description("Heartbeat controls");
  addRpcOptions(heartbeat.command("last").description("Show the last heartbeat event"), "30000")
    .action((options) => run(async () => (await systemCommand()).systemHeartbeatLast({ ...globals(), ...options })));
  for (const [name, enabled] of [["enable", true], ["disable", false]] as const) {
    addRpcOptions(heartbeat.command(name).description(`${enabled ? "Enable" : "Disable"} heartbeats`), "30000")
      .action((options) =>
        run(async () => (await systemCommand()).systemHeartbeatSwitch(enabled, { ...globals(), ...options }))
      );
  }
  addRpcOptions(system.command("presence").description("List system presence entries"), "30000")
    .action((options) => run(async () => (await systemCommand()).systemPresence({ ...globals(), ...options })));
  addRpcOptions(program.command("logs").description("read or follow the gateway's log"), "30000")
    .option("--follow", "keep printing new lines")
    .option("--limit <n>", "lines to show first", "200")
    .option("--max-bytes <n>", "bytes to read at most per poll", "250000")
    .option("--interval <ms>", "poll interval with --follow", "1000")
    .option("--plain", "plain text, no colour")
    .option("--utc", "print times in UTC")
    .action((options) => run(async () => (await import("./commands/logs.ts")).logs({ ...globals(), ...options })));
  program.command("setup").description("create config, state dir and workspace with safe modes")
    .option("--json", "print JSON")
    .action((options) => run(async () => (await import("./commands/setup.ts")).setup({ ...globals(), ...options })));
  program.command("doctor").description("check config, auth, file modes, port, service and reachability")
    .option("--fix", "apply the repairs the doctor names")
    .option("--yes", "accept the default repairs (same as --fix)")
    .option("--json", "print JSON")
    .action((options) =>
      run(async () => (await import("./commands/doctor.ts")).doctor({ ...globals(), ...options }, program))
    );
  const channels = program.command("channels").description("chat channels");
  addRpcOptions(channels.command("status").description("status of each channel"), "10000")
    .option("--probe", "probe each channel live")
    .action((options) =>
      run(async () => (await import("./commands/channels_status.ts")).channelsStatus({ ...globals(), ...options }))
    );
  for (const mode of ["login", "logout"] as const) {
    const auth = addRpcOptions(
      channels.command(mode).description(
        mode === "login" ? "Link a channel account (if supported)" : "Log out of a channel session (if supported)",
      ),
      "10000",
    )
      .option("--agent <id>", "Agent owner for channel discovery")
      .option("--channel <channel>", "Channel alias (auto when only one is configured)")
      .option("--account <id>", "Account id (accountId)");
    if (mode === "login") auth.option("--verbose", "Verbose connection logs", false);
    auth.action((options) =>
      run(async () => {
        const command = await import("./commands/channels_login.ts");
        return await (mode === "login" ? command.channelsLogin : command.channelsLogout)({ ...globals(), ...options });
      })
    );
  }
  const channelsEdit = () => import("./commands/channels_edit.ts");
  channels.command("list").description("List chat channels (configured by default; pass --all for installable catalog)")
    .option("--all", "Include bundled and installable catalog channels")
    .option("--json", "Output JSON")
    .action((options) =>
      run(async () => (await import("./commands/channels_list.ts")).channelsList({ ...globals(), ...options }))
    );
  channels.command("add").description("Add or update a channel account")
    .argument("[channel]", "Channel id")
    .option("--channel <name>", "Channel (telegram|whatsapp|discord|irc|slack)")
    .option("--account <id>", "Account id (default when omitted)")
    .option("--agent <id>", "Agent owner for channel setup")
    .option("--name <name>", "Display name for this account")
    .option("--use-env", "Use the channel's environment credentials (default account)")
    .option("--token <token>", "Telegram or Discord bot token")
    .option("--token-file <path>", "Telegram bot token file")
    .option("--bot-token <token>", "Slack bot token")
    .option("--app-token <token>", "Slack app token")
    .option("--user-token <token>", "Slack user token")
    .option("--signing-secret <secret>", "Slack signing secret")
    .option("--mode <mode>", "Slack connection mode")
    .option("--identity <kind>", "Slack identity")
    .option("--host <host>", "IRC server host")
    .option("--port <port>", "IRC server port")
    .option("--tls", "Use TLS for IRC")
    .option("--nick <nick>", "IRC nickname")
    .option("--username <name>", "IRC username")
    .option("--realname <name>", "IRC real name")
    .option("--password <password>", "IRC server password")
    .option("--channels <names>", "IRC channels")
    .option("--auth-dir <path>", "WhatsApp auth directory override")
    .action((channel, options) =>
      run(async () => (await channelsEdit()).channelsAdd(channel, { ...globals(), ...options }))
    );
  channels.command("remove").description("Disable or delete a channel account")
    .option("--channel <name>", "Channel (telegram|whatsapp|discord|irc|slack)")
    .option("--account <id>", "Account id (default when omitted)")
    .option("--agent <id>", "Agent owner for channel discovery")
    .option("--delete", "Delete config entries (no prompt)", false)
    .action((options) => run(async () => (await channelsEdit()).channelsRemove({ ...globals(), ...options })));
  channels.command("logs").description("Show recent channel logs from the gateway log file")
    .option("--channel <name>", "Channel (all|telegram|whatsapp|discord|irc|slack)", "all")
    .option("--lines <n>", "Number of lines (default: 200)", "200")
    .option("--json", "Output JSON", false)
    .action((options) =>
      run(async () => (await import("./commands/channels_logs.ts")).channelsLogs({ ...globals(), ...options }))
    );
  const pairing = program.command("pairing").description("Secure DM pairing (approve inbound requests)");
  pairing.command("list").description("List pending pairing requests")
    .argument("[channel]", "channel (irc, telegram)")
    .option("--channel <channel>", "channel (irc, telegram)")
    .option("--account <accountId>", "account id (for multi-account channels)")
    .option("--json", "print JSON")
    .action((channel, options) =>
      run(async () => (await import("./commands/pairing.ts")).pairingList(channel, { ...globals(), ...options }))
    );
  addRpcOptions(
    pairing.command("approve").description("Approve a pairing code and allow that sender")
      .argument("<codeOrChannel>", "pairing code (or channel when using 2 args)")
      .argument("[code]", "pairing code (when channel is passed as the 1st arg)"),
    "10000",
  )
    .option("--channel <channel>", "channel (irc, telegram)")
    .option("--account <accountId>", "account id (for multi-account channels)")
    .option("--notify", "notify the requester on the same channel")
    .action((codeOrChannel, code, options) =>
      run(async () =>
        (await import("./commands/pairing.ts")).pairingApprove(codeOrChannel, code, { ...globals(), ...options })
      )
    );
  const approvals = program.command("approvals").alias("exec-approvals")
    .description("Manage approval policy and pending requests");
  const approvalsCommand = () => import("./commands/approvals.ts");
  addRpcOptions(
    approvals.command("pending").description("List pending exec, plugin, and system-agent approvals"),
    "30000",
  )
    .action((options) => run(async () => (await approvalsCommand()).approvalsPending({ ...globals(), ...options })));
  addRpcOptions(
    approvals.command("resolve").description("Resolve a pending approval").argument("<id>").argument("<decision>"),
    "30000",
  )
    .option("--reason <text>", "Add a local note to the CLI confirmation")
    .action((id, decision, options) =>
      run(async () => (await approvalsCommand()).approvalsResolve(id, decision, { ...globals(), ...options }))
    );
  addRpcOptions(approvals.command("get").description("Fetch exec approvals snapshot"), "30000")
    .option("--node <node>", "Target node id/name/IP")
    .option("--gateway", "Force gateway approvals", false)
    .action((options) => run(async () => (await approvalsCommand()).approvalsGet({ ...globals(), ...options })));
  addRpcOptions(approvals.command("set").description("Replace exec approvals with a JSON file"), "30000")
    .option("--node <node>", "Target node id/name/IP")
    .option("--gateway", "Force gateway approvals", false)
    .option("--file <path>", "Path to JSON file to upload")
    .option("--stdin", "Read JSON from stdin", false)
    .action((options) => run(async () => (await approvalsCommand()).approvalsSet({ ...globals(), ...options })));
  const allowlist = approvals.command("allowlist").description("Edit the per-agent allowlist");
  for (
    const [name, description] of [["add", "Add a glob pattern to an allowlist"], [
      "remove",
      "Remove a glob pattern from an allowlist",
    ]] as const
  ) {
    addRpcOptions(allowlist.command(name).description(description).argument("<pattern>"), "30000")
      .option("--node <node>", "Target node id/name/IP")
      .option("--gateway", "Force gateway approvals", false)
      .option("--agent <id>", 'Agent id (defaults to "*")')
      .action((pattern, options) =>
        run(async () => (await approvalsCommand()).approvalsAllowlist(name, pattern, { ...globals(), ...options }))
      );
  }
  const devices = program.command("devices").description("device pairing (browsers and apps not on loopback)");
  addRpcOptions(devices.command("list").description("pending pairing requests and paired devices"), "10000")
    .action((options) =>
      run(async () => (await import("./commands/devices.ts")).devicesList({ ...globals(), ...options }))
    );
  addRpcOptions(
    devices.command("approve").description("approve a pending request by its id").argument("[requestId]"),
    "10000",
  )
    .option("--latest", "show the newest pending request (approve it by id)")
    .action((requestId, options) =>
      run(async () => (await import("./commands/devices.ts")).devicesApprove(requestId, { ...globals(), ...options }))
    );
  addRpcOptions(devices.command("reject").description("reject a pending request").argument("<requestId>"), "10000")
    .action((requestId, options) =>
      run(async () => (await import("./commands/devices.ts")).devicesReject(requestId, { ...globals(), ...options }))
    );
  addRpcOptions(devices.command("remove").description("remove a paired device entry").argument("<deviceId>"), "10000")
    .action((deviceId, options) =>
      run(async () => (await import("./commands/devices.ts")).devicesRemove(deviceId, { ...globals(), ...options }))
    );
  addRpcOptions(devices.command("rename").description("assign an operator label to a paired device"), "10000")
    .option("--device <id>", "device id")
    .option("--name <label>", "operator-assigned label (max 64 characters)")
    .action((options) =>
      run(async () => (await import("./commands/devices.ts")).devicesRename({ ...globals(), ...options }))
    );
  addRpcOptions(devices.command("rotate").description("rotate a device token for a role"), "10000")
    .option("--device <id>", "device id")
    .option("--role <role>", "role name")
    .option("--scope <scope...>", "scopes to attach to the token (repeatable)")
    .option("--no-scopes", "rotate with an empty scope set")
    .action((options) =>
      run(async () => (await import("./commands/devices.ts")).devicesRotate({ ...globals(), ...options }))
    );
  addRpcOptions(devices.command("revoke").description("revoke a device token for a role"), "10000")
    .option("--device <id>", "device id")
    .option("--role <role>", "role name")
    .action((options) =>
      run(async () => (await import("./commands/devices.ts")).devicesRevoke({ ...globals(), ...options }))
    );
  addRpcOptions(
    program.command("dashboard").description("open the Control UI (prints its link with the token)"),
    "5000",
  )
    .option("--no-open", "print the URL but do not launch a browser")
    .action((options) =>
      run(async () => (await import("./commands/dashboard.ts")).dashboard({ ...globals(), ...options }))
    );
  program.command("qr").description("Generate a mobile pairing QR code and setup code")
    .addHelpText("after", "\nDocs: https://docs.openclaw.ai/cli/qr\n")
    .option(
      "--remote",
      "Use gateway.remote.url and gateway.remote token/password (ignores device-pair publicUrl)",
      false,
    )
    .option("--url <url>", "Override gateway URL used in the setup payload")
    .option("--public-url <url>", "Override gateway public URL used in the setup payload")
    .option("--token <token>", "Override gateway token for setup payload")
    .option("--password <password>", "Override gateway password for setup payload")
    .option("--limited", "Pair with limited operator access (omit operator.admin)", false)
    .option("--voice-node", "Pair a voice node with node, read, and Talk access only", false)
    .option("--setup-code-only", "Print only the setup code", false)
    .option("--no-ascii", "Skip ASCII QR rendering")
    .option("--json", "Output JSON", false)
    .action((options) => run(async () => (await import("./commands/qr.ts")).qr({ ...globals(), ...options })));
  program.command("agent").description("Run an agent turn via the Gateway (use --local for embedded)")
    .option("--agent <id>", "Agent id (overrides routing bindings)")
    .option("--channel <channel>", "Delivery channel: irc|telegram (omit to use the main session channel)")
    .option("--deliver", "Send the agent's reply back to the selected channel")
    .option("--json", "Output result as JSON")
    .option("--local", "Run the embedded agent locally using configured provider credentials")
    .option("-m, --message <text>", "Message body for the agent")
    .option("--message-file <path>", "Read the agent message body from a UTF-8 file (max 4 MiB)")
    .option("--model <id>", "Model override for this run (provider/model or model id)")
    .option("--reply-account <id>", "Delivery account id override")
    .option("--reply-channel <channel>", "Delivery channel override (separate from routing)")
    .option("--reply-to <target>", "Delivery target override (separate from session routing)")
    .option("--session-id <id>", "Use an explicit session id")
    .option("--session-key <key>", "Explicit session key (agent:<id>:<key>, or scoped to --agent)")
    .option("-t, --to <number>", "Recipient used to derive the session key")
    .option(
      "--thinking <level>",
      "Thinking level: off | minimal | low | medium | high | xhigh | adaptive | max | ultra",
    )
    .option("--timeout <seconds>", "Override agent command timeout (seconds, default 600)")
    .option("--verbose <on|off>", "Persist agent verbose level for the session")
    .action((options) => run(async () => (await import("./commands/agent.ts")).agent({ ...globals(), ...options })));
  const message = program.command("message").description("send messages through the gateway's channels");
  addRpcOptions(message.command("send").description("send a message to a channel target"), "30000")
    .requiredOption("--target <dest>", "where to send: a nick or #channel (IRC), a chat id (Telegram)")
    .option("-m, --message <text>", "Message body (required unless --media is set)")
    .option(
      "--media <path-or-url>",
      "Attach media (image/audio/video/document). Accepts local paths or URLs. Repeat to attach multiple files.",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--channel <name>", "channel (irc, telegram); optional when only one is configured")
    .option("--account <accountId>", "account id (for multi-account channels)")
    .action((options) =>
      run(async () => (await import("./commands/message_send.ts")).messageSend({ ...globals(), ...options }))
    );
  const skills = program.command("skills").description("the agent's skills (SKILL.md folders) and their requirements");
  const skillsRun = (action: "list" | "info" | "check", name: string | undefined, options: object) =>
    run(async () => (await import("./commands/skills.ts")).skillsCommand(action, name, { ...globals(), ...options }));
  skills.command("list").description("List all available skills")
    .option("--agent <id>", "Target agent workspace (defaults to the default agent)")
    .option("--eligible", "Show only eligible (ready to use) skills")
    .option("--json", "Output as JSON")
    .option("-v, --verbose", "Show more details including missing requirements")
    .action((options) => skillsRun("list", undefined, options));
  skills.command("info").description("Show detailed information about a skill").argument("<name>", "Skill name")
    .option("--agent <id>", "Target agent workspace (defaults to the default agent)")
    .option("--json", "Output as JSON")
    .action((name, options) => skillsRun("info", name, options));
  skills.command("check").description("Check which skills are ready, visible, or missing requirements")
    .option("--agent <id>", "Target agent workspace (defaults to the default agent)")
    .option("--json", "Output as JSON")
    .action((options) => skillsRun("check", undefined, options));
  const memory = program.command("memory").description("Search, inspect, and reindex memory files");
  const memoryRun = (action: "status" | "index" | "search", query: string | undefined, options: object) =>
    run(async () => (await import("./commands/memory.ts")).memoryCommand(action, query, { ...globals(), ...options }));
  memory.command("status").description("Show memory search index status")
    .option("--agent <id>", "Agent id (default: default agent)")
    .option("--json", "Print JSON")
    .action((options) => memoryRun("status", undefined, options));
  memory.command("index").description("Reindex memory files")
    .option("--agent <id>", "Agent id (default: default agent)")
    .option("--force", "Force full reindex")
    .action((options) => memoryRun("index", undefined, options));
  memory.command("search").description("Search memory files").argument("[query]", "Search query")
    .option("--agent <id>", "Agent id (default: default agent)")
    .option("--json", "Print JSON")
    .option("--max-results <n>", "Max results")
    .option("--min-score <n>", "Minimum score")
    .option("--query <text>", "Search query (alternative to positional argument)")
    .action((query, options) => memoryRun("search", query, options));
  addMcpCommands(program, run, globals);
  addSecurityCommands(program, run, globals);
  addSecretsCommands(program, run, globals);
  addHooksCommands(program, run, globals);
  addCronCommands(program, run, globals);
  addConfigCommands(program, run, globals);
  addBackupCommands(program, run, globals);
  addDatabaseCommands(program, run, globals);
  addSessionsCommands(program, run, globals);
  addTasksCommands(program, run, globals);
  addAgentsCommands(program, run, globals);
  addModelsCommands(program, run, globals);
  addNodesCommands(program, run, globals);
  addResetCommands(program, run, globals);
  addUninstallCommands(program, run, globals);
  addOnboardCommands(program, run, globals);
  addCompletionCommands(program, run, globals);
  return program;
}

/** Parses the command line, runs the command and exits with its code. */
export async function runCli(args: string[]): Promise<never> {
  let pending: Promise<number> | undefined;
  const program = buildProgram((task) => {
    pending = task();
  });
  program.exitOverride();
  try {
    // `deno task cli -- <args>` passes its `--` on; it separates the task's own flags, not ours.
    const line = args[0] === "--" ? args.slice(1) : args;
    program.commandLine = line;
    await program.parseAsync(line, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) exit(error.exitCode);
    exit(reportError(error));
  }
  if (!pending) exit(0);
  try {
    exit(await pending);
  } catch (error) {
    exit(reportError(error));
  }
}
