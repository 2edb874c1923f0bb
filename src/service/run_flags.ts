/**
 * The permission flags the gateway runs with: those of `deno task compile` and `deno task start`
 * (a test keeps deno.json and these lists identical), used when a unit runs `deno run`.
 */
export const PERMISSION_FLAGS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-run",
  "--allow-sys",
];

/**
 * V8 flags baked into the binary (and passed to `deno run`): a young generation capped at 1 MiB
 * per semi-space. V8 otherwise grows it to 16 MiB under load and keeps it; capped, idle RSS drops
 * by about 5 MB and RSS with 1,000 clients by about 25 MB, with no measured cost in latency
 * (docs/decisions/0008).
 */
export const V8_FLAGS: readonly string[] = ["--v8-flags=--max-semi-space-size=1"];

/**
 * Runtime behaviour opted into, baked into the binary like the rest: `Deno.serve` aborts a request's
 * signal only when the client goes away. Under the legacy behaviour it also fires after every
 * successful response, and Deno prints a warning the first time a handler that read it succeeds;
 * plain `/v1/chat/completions` and `/v1/responses` answers read it to stop a run whose caller hung up.
 */
export const RUNTIME_FLAGS: readonly string[] = ["--unstable-no-legacy-abort"];
