/**
 * The permission flags the gateway runs with: those of `deno task compile` and `deno task start`
 * (a test keeps deno.json and this list identical), used when a unit runs `deno run`.
 */
export const PERMISSION_FLAGS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
];
