// The reference's refusal of `openclaw sessions` listing flags given to a subcommand that selects its
// sessions otherwise (`archive`, `delete`, `tail`, `compact`): one sentence naming the flags and why, on
// stderr, and the JSON failure on stdout when `--json` was given.
import { printError, printJson } from "../output.ts";
import { jsonFailure } from "./config_common.ts";

/** Prints the refusal of `flags` given to `sessions <command>`; answers exit code 1. */
export function refuseParentOptions(
  command: string,
  flags: string[],
  json: boolean | undefined,
  reason: string,
): number {
  const message = `\`sessions ${command}\` does not support the parent \`sessions\` ${
    flags.length > 1 ? "options" : "option"
  } ${flags.join(", ")}; ${reason}.`;
  if (json) printJson(jsonFailure(message));
  printError(message);
  return 1;
}
