import { Command, CommanderError } from "commander";
import { VERSION } from "../version.ts";
import { exit, reportError } from "./exit.ts";

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
    await program.parseAsync(args, { from: "user" });
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
