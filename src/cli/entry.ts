// The program's entry: `gateway run` starts through its own small parser (src/cli/gateway_fast_path.ts),
// so the start path loads neither commander nor, through it, Deno's Node compatibility layer; every
// other command line is parsed by commander (src/cli/main.ts), imported only then.

import { exit, reportError } from "./exit.ts";
import { parseGatewayRun } from "./gateway_fast_path.ts";

/** Parses the command line, runs the command and exits with its code. */
export async function runEntry(args: string[]): Promise<never> {
  const options = parseGatewayRun(args);
  if (!options) {
    const { runCli } = await import("./main.ts");
    return await runCli(args);
  }
  try {
    const { gatewayRun } = await import("./commands/gateway_run.ts");
    exit(await gatewayRun(options));
  } catch (error) {
    exit(reportError(error));
  }
}
