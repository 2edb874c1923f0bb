// The start-up refusals of `gateway run` before anything listens (no config, a config not for a local
// gateway, a non-loopback bind without a secret, password auth without a password), as recorded from the
// reference 2026.9.6 (tools/record_start_refusals.ts) and replayed against ours
// (tests/integration/gateway_start_refusals_test.ts). Every case is refused before a socket is bound, by
// the reference and by ours, so nothing listens beyond loopback.

/** Where the recordings live. */
export const START_REFUSALS_FIXTURE = new URL("../fixtures/gateway_start/refusals.json", import.meta.url).pathname;

/** One refused start: the config file (none when undefined) and the arguments after `gateway run`. */
export interface StartRefusalCase {
  name: string;
  config?(port: number): Record<string, unknown>;
  args?(port: number): string[];
}

/** What the reference did for one case, with the temp root as `<root>` and the port as `<port>`. */
export interface StartRefusalOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The fixture file. */
export interface StartRefusalRecording {
  reference: string;
  /** Whether the recording machine looked like a container to the reference (its bind refusal says so). */
  container: boolean;
  cases: Record<string, StartRefusalOutcome>;
}

const NO_UPDATE = { update: { checkOnStart: false } };
const local = (port: number, gateway: Record<string, unknown> = {}) => ({
  gateway: { mode: "local", port, ...gateway },
  ...NO_UPDATE,
});

/** The cases, in order. */
export const START_REFUSAL_CASES: StartRefusalCase[] = [
  { name: "missing-config", args: (port) => ["--port", String(port)] },
  { name: "mode-missing", config: (port) => ({ gateway: { port }, ...NO_UPDATE }) },
  {
    name: "mode-remote",
    config: (port) => ({ gateway: { mode: "remote", port, remote: { url: "ws://127.0.0.1:9" } }, ...NO_UPDATE }),
  },
  { name: "lan-auth-none", config: (port) => local(port, { bind: "lan", auth: { mode: "none" } }) },
  { name: "lan-no-secret", config: (port) => local(port, { bind: "lan" }) },
  { name: "flag-bind-lan", config: (port) => local(port), args: () => ["--bind", "lan"] },
  {
    name: "custom-no-secret",
    config: (port) => local(port, { bind: "custom", customBindHost: "0.0.0.0", auth: { mode: "token" } }),
  },
  { name: "password-missing", config: (port) => local(port, { auth: { mode: "password" } }) },
];

/** What the comparison keeps of an output: the root and the port masked. */
export function normalizeStartRefusal(text: string, root: string, port: number): string {
  return text.replaceAll(root, "<root>").replaceAll(String(port), "<port>");
}

/**
 * The reference's `gateway run` bind refusal (`Refusing to bind gateway to <bind mode> without auth.`) as this
 * gateway words it: the runbook's signature, which the reference's server throws too, naming the address
 * (docs/compatibility.md). Every recorded bind case binds 0.0.0.0; the port is already `<port>`.
 */
export function asOurBindRefusal(line: string): string {
  return line.replace(
    /^Refusing to bind gateway to \w+ without auth\.$/,
    "refusing to bind gateway to 0.0.0.0:<port> without auth",
  );
}
