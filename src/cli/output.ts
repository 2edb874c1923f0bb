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
