import { Command, CommanderError } from "commander";
import { VERSION } from "../version.ts";
import { exit, reportError } from "./exit.ts";
import { addMcpCommands } from "./mcp_program.ts";

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

function addRpcOptions(command: Command, defaultTimeout: string): Command {
  return command
    .option("--url <url>", "gateway WebSocket URL (config credentials are not sent to it)")
    .option("--port <port>", "gateway port on this host")
    .option("--token <token>", "gateway token")
    .option("--password <password>", "gateway password")
    .option("--timeout <ms>", "timeout in milliseconds", defaultTimeout)
    .option("--json", "print JSON");
}

/** Builds the `openclaw` command tree. Every action imports its command file lazily. */
export function buildProgram(run: (task: () => Promise<number>) => void): Command {
  const program = new Command()
    .name("openclaw")
    .description("OpenClaw-compatible gateway: connects chat channels, agents and models on one port")
    .version(VERSION, "-V, --version", "print the version")
    .option("--dev", "dev profile: state in ~/.openclaw-dev, default port 19001")
    .option("--profile <name>", "named profile: state and config in ~/.openclaw-<name>")
    .option("--log-level <level>", "log level for file and console: silent|fatal|error|warn|info|debug|trace")
    .enablePositionalOptions()
    .showHelpAfterError();

  const runGateway = (options: GatewayRunOptions) =>
    run(async () => {
      const { gatewayRun } = await import("./commands/gateway_run.ts");
      return await gatewayRun({ ...program.opts<GlobalOptions>(), ...options });
    });

  const gateway = addRunOptions(
    program.command("gateway")
      .description("run the gateway in the foreground (same as `gateway run`)")
      .enablePositionalOptions(),
  ).action((options: GatewayRunOptions) => runGateway(options));
  addRunOptions(gateway.command("run").description("run the gateway in the foreground"))
    .action((options: GatewayRunOptions) => runGateway(options));

  const globals = () => program.opts<GlobalOptions>();
  const service = () => import("./commands/gateway_service.ts");
  gateway.command("install").description("install and start the gateway as a service")
    .option("--port <port>", "port to pin in the unit")
    .option("--system", "a system-level systemd unit (always-on multi-user hosts)")
    .option("--force", "rewrite the unit even if it is unchanged")
    .option("--allow-unconfigured", "install even without a config file")
    .option("--json", "print JSON")
    .action((options) => run(async () => (await service()).gatewayInstall({ ...globals(), ...options })));
  gateway.command("uninstall").description("stop and remove the gateway service")
    .option("--system", "the system-level unit").option("--json", "print JSON")
    .action((options) => run(async () => (await service()).gatewayUninstall({ ...globals(), ...options })));
  for (const action of ["start", "stop", "restart"] as const) {
    gateway.command(action).description(`${action} the gateway service`)
      .option("--system", "the system-level unit").option("--json", "print JSON")
      .action((options) => run(async () => (await service()).gatewayControl(action, { ...globals(), ...options })));
  }
  addRpcOptions(gateway.command("status").description("service, config, listener and probe of the gateway"), "10000")
    .option("--deep", "also inspect system-level units")
    .option("--no-probe", "skip the RPC probe")
    .option("--require-rpc", "exit 1 unless a read RPC succeeds")
    .action((options) =>
      run(async () => (await import("./commands/gateway_status.ts")).gatewayStatus({ ...globals(), ...options }))
    );
  addRpcOptions(gateway.command("call").description("call one gateway RPC method").argument("<method>"), "10000")
    .option("--params <json>", "method params as JSON", "{}")
    .action((method: string, options) =>
      run(async () => (await import("./commands/gateway_call.ts")).gatewayCall(method, { ...globals(), ...options }))
    );
  addRpcOptions(gateway.command("health").description("the gateway's health, in short"), "10000")
    .action((options) =>
      run(async () => (await import("./commands/gateway_call.ts")).gatewayHealth({ ...globals(), ...options }))
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
    .action((options) => run(async () => (await import("./commands/doctor.ts")).doctor({ ...globals(), ...options })));
  const channels = program.command("channels").description("chat channels");
  addRpcOptions(channels.command("status").description("status of each channel"), "10000")
    .option("--probe", "probe each channel live")
    .action((options) =>
      run(async () => (await import("./commands/channels_status.ts")).channelsStatus({ ...globals(), ...options }))
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
  const message = program.command("message").description("send messages through the gateway's channels");
  addRpcOptions(message.command("send").description("send a message to a channel target"), "30000")
    .requiredOption("--target <dest>", "where to send: a nick or #channel (IRC), a chat id (Telegram)")
    .requiredOption("--message <text>", "the text to send")
    .option("--channel <name>", "channel (irc, telegram); optional when only one is configured")
    .option("--account <accountId>", "account id (for multi-account channels)")
    .action((options) =>
      run(async () => (await import("./commands/message_send.ts")).messageSend({ ...globals(), ...options }))
    );
  addMcpCommands(program, run, globals);
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
    await program.parseAsync(args[0] === "--" ? args.slice(1) : args, { from: "user" });
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
