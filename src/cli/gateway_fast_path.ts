// `openclaw gateway run` without commander. commander imports six `node:` modules (events,
// child_process, path, fs, process, util), and loading Deno's Node compatibility layer before the
// gateway listens costs about 50 ms of CPU and 4–5 MB (docs/performance.md). The command a service
// unit and every test start is parsed here, exactly as commander parses it (held equal to
// commander's own parse by tests/cli/gateway_fast_path_test.ts); anything this parser is not sure of
// (help, version, another command, a misplaced or unknown option, a value that looks like an
// option) goes to commander, which gives its own answer and errors.

import type { GatewayRunOptions, GlobalOptions } from "./main.ts";

type Parsed = GlobalOptions & GatewayRunOptions;

/** Options before the command name (the program's own; `enablePositionalOptions` keeps them there). */
const GLOBAL_VALUES: Readonly<Record<string, "profile" | "logLevel">> = {
  "--profile": "profile",
  "--log-level": "logLevel",
};
/** The program's own flag (`--dev`). */
const GLOBAL_FLAGS: Readonly<Record<string, "dev">> = { "--dev": "dev" };

/** `gateway` and `gateway run`'s options (src/cli/main.ts `addRunOptions`). */
const RUN_VALUES: Readonly<Record<string, "port" | "bind" | "auth" | "token" | "password" | "passwordFile">> = {
  "--port": "port",
  "--bind": "bind",
  "--auth": "auth",
  "--token": "token",
  "--password": "password",
  "--password-file": "passwordFile",
};
const RUN_FLAGS: Readonly<Record<string, "force" | "verbose" | "allowUnconfigured">> = {
  "--force": "force",
  "--verbose": "verbose",
  "--allow-unconfigured": "allowUnconfigured",
};

/**
 * Reads the option at `args[index]` into `into`; returns how many arguments it used, or 0 when it
 * is not one of `values`/`flags` or its value is missing or starts with `-` (commander decides those).
 */
export function readOption(
  args: readonly string[],
  index: number,
  values: Readonly<Record<string, string>>,
  flags: Readonly<Record<string, string>>,
  into: Record<string, string | boolean>,
): number {
  const arg = args[index]!;
  const flag = Object.hasOwn(flags, arg) ? flags[arg] : undefined;
  if (flag) {
    into[flag] = true;
    return 1;
  }
  const equals = arg.indexOf("=");
  const name = equals > 0 ? arg.slice(0, equals) : arg;
  const key = Object.hasOwn(values, name) ? values[name] : undefined;
  if (!key) return 0;
  if (equals > 0) {
    into[key] = arg.slice(equals + 1);
    return 1;
  }
  const value = args[index + 1];
  if (value === undefined || value.startsWith("-")) return 0;
  into[key] = value;
  return 2;
}

/**
 * The global options before the command word (as commander reads them) and where the command starts;
 * undefined when one of them is not one the fast paths know, so the line goes to commander.
 */
export function readGlobals(
  argv: readonly string[],
): { args: readonly string[]; globals: Record<string, string | boolean>; index: number } | undefined {
  // `deno task cli -- <args>` passes its `--` on, as src/cli/main.ts `runCli` strips it.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  const globals: Record<string, string | boolean> = {};
  let index = 0;
  while (index < args.length && args[index]!.startsWith("-")) {
    const used = readOption(args, index, GLOBAL_VALUES, GLOBAL_FLAGS, globals);
    if (!used) return undefined;
    index += used;
  }
  return { args, globals, index };
}

/**
 * The options commander would hand `gateway run`'s action (globals merged under the command's own,
 * as src/cli/main.ts merges them) for `[globals] gateway [run] [options]`; undefined for any other
 * command line, which goes to commander.
 */
export function parseGatewayRun(argv: readonly string[]): Parsed | undefined {
  const lead = readGlobals(argv);
  if (!lead) return undefined;
  const { args, globals } = lead;
  let index = lead.index;
  if (args[index] !== "gateway") return undefined;
  index++;
  if (args[index] === "run") index++;
  const options: Record<string, string | boolean> = {};
  while (index < args.length) {
    const used = readOption(args, index, RUN_VALUES, RUN_FLAGS, options);
    if (!used) return undefined;
    index += used;
  }
  return { ...globals, ...options };
}
