// Which refusal `gateway run` gives when the ownership fence and another start refusal both apply, as
// recorded from the reference 2026.9.6 (tools/record_state_fence_start.ts) and replayed against ours
// (tests/integration/state_fence_start_order_test.ts): each case on a claimed state database, once
// unsupervised (both refusals apply) and once under OPENCLAW_SUPERVISOR_MODE=external (only the other one).
import { FENCE_TOKEN, normalizeFenceOutput, type Supervision } from "./state_fence_cases.ts";

/** Where the recordings live. */
export const FENCE_START_FIXTURE = new URL("../fixtures/database/fence_start_order.json", import.meta.url).pathname;

/** One start that another rule refuses besides the fence. */
export interface FenceStartCase {
  name: string;
  /** The config file's contents, for the gateway's port. */
  config(port: number): Record<string, unknown>;
  /** Whether a gateway (run as the external supervisor) holds the state dir's lock while this one starts. */
  holder?: boolean;
}

/** What the reference did for one case, with the root as `<root>`, the port as `<port>`, a holder's pid as `<pid>`. */
export interface FenceStartOutcome {
  supervision: Supervision;
  code: number;
  stdout: string;
  stderr: string;
  /** The state database's main file was byte for byte the same afterwards (a holder's writes aside). */
  databaseUnchanged: boolean;
}

/** The fixture file. */
export interface FenceStartRecording {
  reference: string;
  cases: Record<string, FenceStartOutcome>;
}

const LOCAL = (port: number) => ({
  mode: "local",
  port,
  bind: "loopback",
  auth: { mode: "token", token: FENCE_TOKEN },
});

/**
 * The cases, in order. The non-loopback one is refused before anything binds (no auth at all), by the
 * reference and by ours, so nothing listens beyond loopback.
 */
export const FENCE_START_CASES: FenceStartCase[] = [
  {
    name: "mode-remote",
    config: (port) => ({
      gateway: { ...LOCAL(port), mode: "remote", remote: { url: "ws://127.0.0.1:9" } },
      update: { checkOnStart: false },
    }),
  },
  {
    name: "lan-without-auth",
    config: (port) => ({
      gateway: { ...LOCAL(port), bind: "lan", auth: { mode: "none" } },
      update: { checkOnStart: false },
    }),
  },
  { name: "locked", config: (port) => ({ gateway: LOCAL(port), update: { checkOnStart: false } }), holder: true },
  {
    name: "invalid-config",
    config: (port) => ({ gateway: { ...LOCAL(port), port: "not-a-port" }, update: { checkOnStart: false } }),
  },
];

/** The key of one outcome. */
export function startOutcomeKey(name: string, supervision: Supervision): string {
  return `${name}/${supervision}`;
}

/** What the comparison keeps of an output: the root, the port and a holder's pid masked. */
export function normalizeStartOutput(text: string, root: string, port: number, holderPid?: number): string {
  const masked = normalizeFenceOutput(text, root, port);
  return holderPid === undefined ? masked : masked.replaceAll(`pid ${holderPid}`, "pid <pid>");
}
