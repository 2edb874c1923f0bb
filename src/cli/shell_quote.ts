// A command line argument as the reference prints it in a hint to rerun: bare when it is plain,
// else single-quoted for a POSIX shell.

/** `value` quoted for a shell when it holds anything beyond `A-Za-z0-9_/:=.,@%+-`. */
export function quoteArg(value: string): string {
  return /^[A-Za-z0-9_/:=.,@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
