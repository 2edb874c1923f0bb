// The command line of a measuring script in this folder: `--name value` options and bare `--flag`s,
// each taken out of the list as it is read, so what is left are the script's operands (bundles).

/** A script's arguments: read options and flags out of them; `rest` is what is left. */
export interface BenchArgs {
  /** The value after `name` (both taken out of `rest`), or `fallback` when it is not given. */
  option(name: string, fallback: string): string;
  /** Whether `name` is given (taken out of `rest`). */
  flag(name: string): boolean;
  /** The arguments not read yet, in order. */
  rest: string[];
}

/** Wraps a copy of `argv` (usually `Deno.args`) for {@link BenchArgs}' reads. */
export function benchArgs(argv: readonly string[]): BenchArgs {
  const rest = [...argv];
  return {
    rest,
    option(name, fallback) {
      const at = rest.indexOf(name);
      if (at < 0) return fallback;
      const [, value] = rest.splice(at, 2);
      return value ?? fallback;
    },
    flag(name) {
      const at = rest.indexOf(name);
      if (at >= 0) rest.splice(at, 1);
      return at >= 0;
    },
  };
}
