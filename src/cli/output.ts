// deno-lint-ignore-file no-console -- this module is the one place the CLI prints.
/** Prints a line for the operator on stdout. The only module that writes to the console. */
export function printLine(text: string): void {
  console.log(text);
}

/** Prints a line for the operator on stderr. */
export function printError(text: string): void {
  console.error(text);
}

/** Prints a value as pretty JSON on stdout, for `--json`. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** The reference's generic failure block on stderr (`[openclaw] The CLI command failed.`, its reason and hints). */
export function printFailureBlock(reason: string): void {
  for (
    const line of [
      "The CLI command failed.",
      `Reason: ${reason}`,
      "Debug: set OPENCLAW_DEBUG=1 to include the stack trace.",
      "Try: openclaw doctor",
      "Help: openclaw --help",
    ]
  ) console.error(`[openclaw] ${line}`);
}
