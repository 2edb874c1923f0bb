// The RPC commands an operator or a script runs most (`health`, `status`, `gateway health|call|probe|
// status`) without commander. Building commander's tree loads Deno's Node compatibility layer (six
// `node:` modules), about a sixth of `openclaw health --json`'s CPU (docs/performance.md). These
// command lines are parsed here exactly as commander parses them (held equal to commander's own
// parse by tests/cli/rpc_fast_path_test.ts, a table and a fuzz); anything this parser is not sure
// of (help, another command, a misplaced or unknown option, a value that looks like an option, a
// missing or extra operand) goes to commander, which gives its own answer and errors.

import { readGlobals, readOption } from "./gateway_fast_path.ts";

/** `addRpcOptions`' options (src/cli/main.ts), shared by every command here. */
const RPC_VALUES: Readonly<Record<string, string>> = {
  "--url": "url",
  "--port": "port",
  "--token": "token",
  "--password": "password",
  "--timeout": "timeout",
};
const RPC_FLAGS: Readonly<Record<string, string>> = { "--json": "json" };

/** One command this parser takes: its words, its own options beyond the RPC ones, commander's defaults. */
interface FastCommand {
  readonly words: readonly string[];
  readonly values?: Readonly<Record<string, string>>;
  readonly flags?: Readonly<Record<string, string>>;
  /** Flags that set a key to false (`--no-probe`); commander then defaults the key to true. */
  readonly negations?: Readonly<Record<string, string>>;
  readonly defaults: Readonly<Record<string, string | boolean>>;
  /** How many `<required>` operands the command takes (commander refuses fewer or more). */
  readonly operands: 0 | 1;
}

/** The commands taken here, as src/cli/main.ts declares them (names, options, default timeouts). */
export const FAST_COMMANDS = {
  "health": { words: ["health"], defaults: { timeout: "10000" }, operands: 0 },
  "status": { words: ["status"], flags: { "--deep": "deep" }, defaults: { timeout: "10000" }, operands: 0 },
  "gateway health": { words: ["gateway", "health"], defaults: { timeout: "10000" }, operands: 0 },
  "gateway call": {
    words: ["gateway", "call"],
    values: { "--params": "params" },
    defaults: { timeout: "10000", params: "{}" },
    operands: 1,
  },
  "gateway probe": { words: ["gateway", "probe"], defaults: { timeout: "3000" }, operands: 0 },
  "gateway status": {
    words: ["gateway", "status"],
    flags: { "--deep": "deep", "--require-rpc": "requireRpc" },
    negations: { "--no-probe": "probe" },
    defaults: { timeout: "10000", probe: true },
    operands: 0,
  },
} as const satisfies Record<string, FastCommand>;

/** A command this parser takes. */
export type FastCommandName = keyof typeof FAST_COMMANDS;

/** A parsed command line: the command, its operands, the options its action gets (globals under its own). */
export interface FastRpcCommand {
  command: FastCommandName;
  operands: string[];
  options: Record<string, string | boolean>;
}

function commandAt(args: readonly string[], index: number): FastCommandName | undefined {
  for (const [name, spec] of Object.entries(FAST_COMMANDS) as [FastCommandName, FastCommand][]) {
    if (spec.words.every((word, i) => args[index + i] === word)) return name;
  }
  return undefined;
}

/**
 * What commander would hand the action of one of {@link FAST_COMMANDS} for `[globals] <command>
 * [options and operands]`; undefined for any other command line, which goes to commander.
 */
export function parseRpcCommand(argv: readonly string[]): FastRpcCommand | undefined {
  const lead = readGlobals(argv);
  if (!lead) return undefined;
  const { args, globals } = lead;
  let index = lead.index;
  const command = commandAt(args, index);
  if (!command) return undefined;
  const spec: FastCommand = FAST_COMMANDS[command];
  index += spec.words.length;
  const values = { ...RPC_VALUES, ...spec.values };
  const flags = { ...RPC_FLAGS, ...spec.flags };
  const options: Record<string, string | boolean> = { ...spec.defaults };
  const operands: string[] = [];
  while (index < args.length) {
    const arg = args[index]!;
    const negated = spec.negations && Object.hasOwn(spec.negations, arg) ? spec.negations[arg] : undefined;
    if (negated) {
      options[negated] = false;
      index++;
      continue;
    }
    if (!arg.startsWith("-")) {
      operands.push(arg);
      index++;
      continue;
    }
    const used = readOption(args, index, values, flags, options);
    if (!used) return undefined;
    index += used;
  }
  if (operands.length !== spec.operands) return undefined;
  return { command, operands, options: { ...globals, ...options } };
}

/** Runs a parsed command: the same command function src/cli/main.ts's action for it calls. */
export async function runRpcCommand(parsed: FastRpcCommand): Promise<number> {
  const { options, operands } = parsed;
  switch (parsed.command) {
    case "health":
      return await (await import("./commands/health.ts")).health(options);
    case "status":
      return await (await import("./commands/status.ts")).status(options);
    case "gateway health":
      return await (await import("./commands/gateway_call.ts")).gatewayHealth(options);
    case "gateway call":
      return await (await import("./commands/gateway_call.ts")).gatewayCall(operands[0]!, options);
    case "gateway probe":
      return await (await import("./commands/gateway_probe.ts")).gatewayProbe(options);
    case "gateway status":
      return await (await import("./commands/gateway_status.ts")).gatewayStatus(options);
  }
}
