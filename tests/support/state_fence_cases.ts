// The shared-state ownership fence, as recorded from the reference CLI and gateway
// (tools/record_state_fence.ts) and replayed against ours (tests/integration/state_fence_test.ts): a state
// dir whose state database an external manager claimed (or whose claim row is malformed), then
// `gateway run` and a handful of CLI commands, each without and with OPENCLAW_SUPERVISOR_MODE=external.
// The state dirs are built by tests/support/database_cli_cases.ts (node:sqlite, no reference needed).

/** Where the recordings live. */
export const STATE_FENCE_FIXTURE = new URL("../fixtures/database/fence.json", import.meta.url).pathname;

/** The token both gateways are configured with. */
export const FENCE_TOKEN = "fence-record-token-0123456789";

/** How a state dir starts: claimed by another manager, or holding an ownership row that does not parse. */
export type FenceState = "claimed" | "bad-ownership";

/** Whether a command runs as the external supervisor would run it. */
export type Supervision = "unsupervised" | "external";

/** One command; `<root>` in an argument is the scenario's root directory. */
export interface FenceCommand {
  name: string;
  args: string[];
  /** What the command does to the state database: `write` commands are fenced, `read` ones are not. */
  kind: "gateway" | "write" | "read";
}

/** What the reference did for one command, with the root as `<root>`. */
export interface FenceOutcome {
  args: string[];
  supervision: Supervision;
  /** `gateway run` only: it printed its ready line (it was stopped then, by SIGTERM). */
  started?: boolean;
  code: number;
  stdout: string;
  stderr: string;
  /** The state database's main file was byte for byte the same afterwards. */
  databaseUnchanged: boolean;
}

/** The fixture file. */
export interface FenceRecording {
  reference: string;
  scenarios: Record<FenceState, Record<string, FenceOutcome>>;
}

/** The commands run on every state, in order, each once unsupervised and once external. */
export const FENCE_COMMANDS: FenceCommand[] = [
  { name: "gateway-run", args: ["gateway", "run", "--bind", "loopback"], kind: "gateway" },
  { name: "tasks-cancel", args: ["tasks", "cancel", "no-such-task"], kind: "write" },
  { name: "qr-json", args: ["qr", "--json", "--url", "ws://127.0.0.1:18999"], kind: "write" },
  {
    name: "agents-add-json",
    args: ["agents", "add", "ops", "--workspace", "<root>/ws-ops", "--non-interactive", "--json"],
    kind: "write",
  },
  {
    name: "agents-add",
    args: ["agents", "add", "ops", "--workspace", "<root>/ws-ops", "--non-interactive"],
    kind: "write",
  },
  { name: "ownership-status", args: ["database", "ownership", "status"], kind: "read" },
  { name: "secrets-store-list", args: ["secrets", "store", "list", "--json"], kind: "read" },
  { name: "config-get", args: ["config", "get", "gateway.mode"], kind: "read" },
  { name: "tasks-list", args: ["tasks", "list", "--json"], kind: "read" },
  { name: "agents-list", args: ["agents", "list", "--json"], kind: "read" },
];

/** The states recorded, in order. */
export const FENCE_STATES: FenceState[] = ["claimed", "bad-ownership"];

/** The config both programs run with: a local gateway on loopback with a token. */
export function fenceConfig(port: number): Record<string, unknown> {
  return {
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: FENCE_TOKEN } },
    update: { checkOnStart: false },
  };
}

/** The environment a command adds for its supervision. */
export function supervisionEnv(supervision: Supervision): Record<string, string> {
  return supervision === "external" ? { OPENCLAW_SUPERVISOR_MODE: "external" } : {};
}

/** The key of one outcome in a scenario. */
export function outcomeKey(command: FenceCommand, supervision: Supervision): string {
  return `${command.name}/${supervision}`;
}

/** What the comparison keeps of an output: the root as `<root>`, the port as `<port>`. */
export function normalizeFenceOutput(text: string, root: string, port: number): string {
  return text.replaceAll(root, "<root>").replaceAll(String(port), "<port>");
}

/** The SHA-256 of a file, hex: the state database before and after a command. */
export async function fileDigest(path: string): Promise<string> {
  const bytes = await Deno.readFile(path);
  return Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)))
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
