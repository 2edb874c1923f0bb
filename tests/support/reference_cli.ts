// The reference CLI's commands that talk to a gateway, and how a run of one is reduced to what
// the compatibility test compares: its exit code and the set of JSON key paths it printed (array
// indices collapsed to `[]`). Values differ by machine and by run; the key paths say whether a
// client finds the fields it reads. tools/record_reference_cli.ts records these against the
// reference gateway into tests/fixtures/reference_cli/; tests/integration/reference_cli_test.ts
// runs the same commands against ours.
import { type PeerHome, runPeer } from "./peer.ts";

/** Who builds the methods a command needs (the ownership split), for the report and the table. */
export type Owner = "cli" | "surface" | "chat" | "devices" | "store";

/** One CLI command of the table: its arguments and the gateway methods it was seen to call. */
export interface CliCase {
  /** A stable name: the file key in the fixture. */
  name: string;
  args: string[];
  /** The methods the reference CLI called for it (recorded with shared/tools/ws-record.mjs). */
  methods: string[];
  /**
   * Commands run in phase order; within a phase any order. A later phase may read what an earlier
   * one changed (the agent turn writes the transcript `chat.history` reads).
   */
  phase: number;
}

const call = (method: string, params?: unknown): string[] =>
  params === undefined
    ? ["gateway", "call", method, "--json"]
    : ["gateway", "call", method, "--json", "--params", JSON.stringify(params)];

/** Every reference CLI command (with `--json` where it has one) that talks to a gateway, in run order. */
export const CLI_CASES: CliCase[] = [
  { name: "health", args: ["health", "--json"], methods: ["health"], phase: 0 },
  { name: "gateway-health", args: ["gateway", "health", "--json"], methods: ["health"], phase: 0 },
  { name: "call-health", args: call("health"), methods: ["health"], phase: 0 },
  { name: "status", args: ["status", "--json"], methods: ["health", "system-presence", "status"], phase: 0 },
  {
    name: "status-usage",
    args: ["status", "--usage", "--json"],
    methods: ["health", "system-presence", "status"],
    phase: 0,
  },
  {
    name: "status-all",
    args: ["status", "--all", "--json"],
    methods: ["health", "system-presence", "status"],
    phase: 0,
  },
  { name: "call-status", args: call("status"), methods: ["status"], phase: 0 },
  { name: "gateway-status", args: ["gateway", "status", "--json"], methods: ["connect"], phase: 0 },
  {
    name: "gateway-probe",
    args: ["gateway", "probe", "--json"],
    methods: ["health", "status", "system-presence", "config.get"],
    phase: 0,
  },
  { name: "call-config-get", args: call("config.get"), methods: ["config.get"], phase: 0 },
  { name: "call-system-presence", args: call("system-presence"), methods: ["system-presence"], phase: 0 },
  { name: "system-presence", args: ["system", "presence", "--json"], methods: ["system-presence"], phase: 0 },
  { name: "logs", args: ["logs", "--json", "--limit", "5"], methods: ["logs.tail"], phase: 0 },
  { name: "channels-status", args: ["channels", "status", "--json"], methods: ["health", "channels.status"], phase: 0 },
  { name: "usage-cost", args: ["gateway", "usage-cost", "--json"], methods: ["usage.cost"], phase: 0 },
  { name: "stability", args: ["gateway", "stability", "--json"], methods: ["diagnostics.stability"], phase: 0 },
  { name: "models-list", args: ["models", "list", "--json"], methods: ["models.list"], phase: 0 },
  { name: "devices-list", args: ["devices", "list", "--json"], methods: ["device.pair.list"], phase: 0 },
  { name: "cron-status", args: ["cron", "status", "--json"], methods: ["cron.status"], phase: 0 },
  { name: "cron-list", args: ["cron", "list", "--json"], methods: ["cron.list"], phase: 0 },
  {
    name: "approvals-pending",
    args: ["approvals", "pending", "--json"],
    methods: ["exec.approval.list", "plugin.approval.list", "openclaw.approval.list"],
    phase: 0,
  },
  { name: "nodes-list", args: ["nodes", "list", "--json"], methods: ["node.pair.list", "node.list"], phase: 0 },
  { name: "nodes-status", args: ["nodes", "status", "--json"], methods: ["node.list"], phase: 0 },
  { name: "nodes-pending", args: ["nodes", "pending", "--json"], methods: ["node.pair.list"], phase: 0 },
  { name: "skills-list", args: ["skills", "list", "--json"], methods: ["skills.status"], phase: 0 },
  { name: "call-sessions-list", args: call("sessions.list"), methods: ["sessions.list"], phase: 0 },
  { name: "call-agents-list", args: call("agents.list"), methods: ["agents.list"], phase: 0 },
  { name: "call-models-list", args: call("models.list"), methods: ["models.list"], phase: 0 },
  { name: "call-system-info", args: call("system.info"), methods: ["system.info"], phase: 0 },
  { name: "call-commands-list", args: call("commands.list"), methods: ["commands.list"], phase: 0 },
  { name: "call-update-status", args: call("update.status"), methods: ["update.status"], phase: 0 },
  { name: "call-node-list", args: call("node.list"), methods: ["node.list"], phase: 0 },
  { name: "call-tasks-list", args: call("tasks.list"), methods: ["tasks.list"], phase: 0 },
  { name: "call-sessions-usage", args: call("sessions.usage"), methods: ["sessions.usage"], phase: 0 },
  // Before any wake: the reference answers null until a heartbeat ran (its own first one comes
  // minutes after start, and its `wake` queues rather than runs within this table's time).
  { name: "heartbeat-last", args: ["system", "heartbeat", "last", "--json"], methods: ["last-heartbeat"], phase: 0 },
  { name: "call-last-heartbeat", args: call("last-heartbeat"), methods: ["last-heartbeat"], phase: 0 },
  { name: "system-event", args: ["system", "event", "--text", "hello", "--json"], methods: ["wake"], phase: 1 },
  { name: "agent-turn", args: ["agent", "--agent", "main", "--message", "hi", "--json"], methods: ["agent"], phase: 1 },
  {
    name: "call-chat-history",
    args: call("chat.history", { sessionKey: "agent:main:main" }),
    methods: ["chat.history"],
    phase: 2,
  },
  { name: "call-sessions-list-after", args: call("sessions.list"), methods: ["sessions.list"], phase: 2 },
  // With the agent turn's session in the store: counts and recent sessions per agent.
  { name: "health-after", args: ["health", "--json"], methods: ["health"], phase: 2 },
  { name: "call-status-after", args: call("status"), methods: ["status"], phase: 2 },
  { name: "status-after", args: ["status", "--json"], methods: ["health", "system-presence", "status"], phase: 2 },
];

/** What one command run is reduced to. */
export interface CliOutcome {
  code: number;
  /** What stdout held: one JSON value, JSON lines (`logs --json`), or no JSON at all. */
  shape: "object" | "array" | "null" | "scalar" | "lines" | "none";
  /** Sorted key paths, array indices collapsed to `[]`. */
  paths: string[];
}

/** Object keys that are ids of records (cron job ids...) differ per run: they read as `<id>`. */
const ID_KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function walk(value: unknown, prefix: string, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, `${prefix}[]`, into);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, child] of Object.entries(value)) {
    const name = ID_KEY.test(key) ? "<id>" : key;
    const path = prefix === "" ? name : `${prefix}.${name}`;
    into.add(path);
    walk(child, path, into);
  }
}

/**
 * The sorted key paths of a JSON value: `a`, `a.b`, `a.list[].c` (every element's keys, unioned;
 * keys that are record ids collapsed to `<id>`).
 */
export function keyPaths(value: unknown): string[] {
  const into = new Set<string>();
  walk(value, "", into);
  return [...into].sort();
}

function shapeOf(value: unknown): CliOutcome["shape"] {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value === "object" ? "object" : "scalar";
}

/** Reduces a command's stdout (one JSON document, or JSON lines) and exit code to a {@link CliOutcome}. */
export function outcomeOf(code: number, stdout: string): CliOutcome {
  const text = stdout.trim();
  try {
    const value = JSON.parse(text);
    return { code, shape: shapeOf(value), paths: keyPaths(value) };
  } catch {
    // `logs --json` prints one object per line.
  }
  const lines = text.split("\n").filter((line) => line.trim() !== "");
  try {
    const values = lines.map((line) => JSON.parse(line));
    if (values.length > 0) return { code, shape: "lines", paths: keyPaths(values) };
  } catch {
    // not JSON
  }
  return { code, shape: "none", paths: [] };
}

/** How close a command came: same keys, same exit code only, or not even that. */
export type Level = "same" | "exit" | "differs";

/**
 * How one of our outcomes compares with the reference's: the level reached and the key paths we
 * lack, less `omits` (path prefixes, or patterns). Paths only we print do not count against us.
 */
export function compareOutcome(
  ours: CliOutcome,
  reference: CliOutcome,
  omits: readonly (string | RegExp)[] = [],
): { level: Level; missing: string[] } {
  if (ours.code !== reference.code) return { level: "differs", missing: [] };
  const have = new Set(ours.paths);
  const omitted = (path: string) =>
    omits.some((omit) => typeof omit === "string" ? path.startsWith(omit) : omit.test(path));
  const missing = reference.paths.filter((path) => !have.has(path) && !omitted(path));
  return { level: ours.shape === reference.shape && missing.length === 0 ? "same" : "exit", missing };
}

/** Runs one case with the reference CLI against the gateway on `port` (the config's token applies). */
export async function runCase(
  c: CliCase,
  where: PeerHome,
  port: number,
): Promise<CliOutcome & { stdout: string; stderr: string }> {
  // An explicit port makes every command, `models list` included, ask the gateway rather than
  // its local files or the reference's own lock file.
  const out = await runPeer(c.args, where, { OPENCLAW_GATEWAY_PORT: String(port) });
  return { ...outcomeOf(out.code, out.stdout), stdout: out.stdout, stderr: out.stderr };
}

/** Runs every case against `port`, phase by phase, at most `parallel` at a time. */
export async function runCases(
  cases: CliCase[],
  where: PeerHome,
  options: { port: number; parallel?: number; onDone?: (c: CliCase, outcome: CliOutcome) => void },
): Promise<Map<string, CliOutcome & { stdout: string; stderr: string }>> {
  const results = new Map<string, CliOutcome & { stdout: string; stderr: string }>();
  const phases = [...new Set(cases.map((c) => c.phase))].sort((a, b) => a - b);
  for (const phase of phases) {
    const queue = cases.filter((c) => c.phase === phase);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const outcome = await runCase(next, where, options.port);
        results.set(next.name, outcome);
        options.onDone?.(next, outcome);
      }
    };
    await Promise.all(Array.from({ length: options.parallel ?? 2 }, worker));
  }
  return results;
}

/** The config both gateways run with: token auth, loopback, the fake model as the default agent's model. */
export function referenceCliConfig(options: { port: number; token: string; upstreamUrl: string }) {
  return {
    gateway: { mode: "local", port: options.port, bind: "loopback", auth: { mode: "token", token: options.token } },
    discovery: { mdns: { mode: "off" } },
    update: { checkOnStart: false },
    models: {
      catalogRefresh: { enabled: false },
      providers: {
        fake: {
          baseUrl: options.upstreamUrl,
          api: "openai-completions",
          apiKey: "sk-fake",
          models: [{ id: "m1", name: "m1" }],
        },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

/** Where the recorded reference outcomes live. */
export const REFERENCE_CLI_FIXTURE = new URL("../fixtures/reference_cli/outcomes.json", import.meta.url);

/** The recorded fixture: per case name, the reference's outcome. */
export interface ReferenceCliFixture {
  reference: string;
  recordedAt: string;
  outcomes: Record<string, CliOutcome & { args: string[] }>;
}
