// The program's entry: `gateway run` starts through its own small parser (src/cli/gateway_fast_path.ts),
// so the start path loads neither commander nor, through it, Deno's Node compatibility layer; every
// other command line is parsed by commander (src/cli/main.ts), imported only then. The common RPC
// commands (`health`, `status`, …) are parsed the same way (src/cli/rpc_fast_path.ts), so they too
// start without commander and the Node layer.

import { exit, reportError } from "./exit.ts";
import { parseGatewayRun } from "./gateway_fast_path.ts";
import { parseRpcCommand, runRpcCommand } from "./rpc_fast_path.ts";

/** Parses the command line, runs the command and exits with its code. */
export async function runEntry(args: string[]): Promise<never> {
  const options = parseGatewayRun(args);
  if (options) return await runFast(async () => (await import("./commands/gateway_run.ts")).gatewayRun(options));
  const rpc = parseRpcCommand(args);
  if (rpc) return await runFast(() => runRpcCommand(rpc));
  const { runCli } = await import("./main.ts");
  return await runCli(args);
}

/** Runs a command the entry parsed itself and exits with its code (an error reported as commander's path does). */
async function runFast(command: () => Promise<number>): Promise<never> {
  try {
    exit(await command());
  } catch (error) {
    exit(reportError(error));
  }
}
