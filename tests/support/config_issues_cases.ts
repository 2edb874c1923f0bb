// Invalid configs whose refusal words are recorded from the reference OpenClaw 2026.9.6
// (tools/record_config_issues.ts → tests/fixtures/config_issues/recordings.json) and replayed through
// our CLI by tests/integration/config_issues_test.ts. Each case is a config file's text, the
// environment it is read with, and the commands run on it.

/** One recorded invalid config. */
export interface ConfigIssuesCase {
  /** A stable name: the key in the recordings. */
  name: string;
  /** The config file's text, as written (JSON5). */
  text: string;
  /** Extra environment for both programs (`${VAR}` values). */
  env?: Record<string, string>;
  /** The commands run on it (each recorded separately). */
  commands: string[][];
}

/** The recordings file. */
export const CONFIG_ISSUES_FIXTURE = new URL("../fixtures/config_issues/recordings.json", import.meta.url);

/** A command's recorded result: exit code and both outputs. */
export interface ConfigIssuesRun {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** The recordings: the reference's version and, per case, its runs in command order. */
export interface ConfigIssuesRecording {
  reference: string;
  cases: Record<string, { text: string; env: Record<string, string>; runs: ConfigIssuesRun[] }>;
}

const VALIDATE = [["config", "validate"], ["config", "validate", "--json"]];

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The cases, each a kind of invalid value the brief names. */
export const CONFIG_ISSUES_CASES: ConfigIssuesCase[] = [
  {
    name: "enums",
    text:
      '{ gateway: { bind: "any", mode: "LOCAL", reload: { mode: "x" } }, logging: { level: "warning" }, session: { dmScope: "x" } }\n',
    commands: [
      ...VALIDATE,
      ["config", "get", "gateway.port"],
      ["config", "get", "gateway.port", "--json"],
      ["gateway", "run"],
      ["gateway", "install"],
    ],
  },
  {
    name: "unions",
    text: pretty({
      wizard: { lastRunMode: "x", accessMode: 3 },
      logging: { consoleStyle: "fancy" },
      session: { groupScope: "nope" },
      gateway: {
        auth: { mode: "magic" },
        tailscale: { mode: "on" },
        controlUi: { embedSandbox: "loose" },
        remote: { transport: "udp", sshHostKeyPolicy: "lax" },
        http: { securityHeaders: { strictTransportSecurity: 5 } },
      },
      hooks: { mappings: [{ action: "jump", wakeMode: "later", sessionMode: "x" }] },
      tools: { profile: "everything" },
    }),
    commands: VALIDATE,
  },
  {
    name: "numbers",
    text: pretty({
      logging: { maxFileBytes: 0 },
      gateway: {
        port: 70000,
        auth: { rateLimit: { maxAttempts: 0, lockoutMs: -1 } },
        http: { endpoints: { responses: { maxUrlParts: -1 } } },
      },
      attachments: { ttlHours: 500 },
    }),
    commands: VALIDATE,
  },
  {
    name: "types",
    text: pretty({
      gateway: { port: "abc", allowRealIpFallback: "yes", trustedProxies: "10.0.0.1", auth: { allowTailscale: 1 } },
      hooks: { enabled: "true", path: 5 },
      logging: { file: false },
      session: "main",
    }),
    commands: VALIDATE,
  },
  {
    name: "session-reset",
    text: pretty({
      session: {
        reset: { mode: "weekly", atHour: 24, idleMinutes: 0 },
        resetByType: { dm: { mode: "idle" }, group: { atHour: 1.5 } },
        resetByChannel: { discord: { idle: 5 } },
      },
    }),
    commands: VALIDATE,
  },
  {
    name: "unknown-keys",
    text: pretty({ gateway: { mode: "local", colour: "blue", auth: { mode: "token", tokn: "x" } }, nope: 1 }),
    commands: VALIDATE,
  },
  {
    name: "env-substituted",
    text: pretty({ gateway: { mode: "${OC_TEST_MODE}", bind: "any" }, logging: { level: "${OC_TEST_LEVEL}" } }),
    env: { OC_TEST_MODE: "LOCAL", OC_TEST_LEVEL: "warning" },
    commands: VALIDATE,
  },
  {
    name: "sensitive-paths",
    text: pretty({
      gateway: { auth: { token: 123, password: true }, remote: { token: 7 } },
      hooks: { token: 5 },
    }),
    commands: VALIDATE,
  },
  {
    name: "channels",
    text: pretty({ channels: { telegram: { dmPolicy: "x", enabled: "yes" } }, gateway: { mode: "LOCAL" } }),
    commands: VALIDATE,
  },
  {
    name: "long-string",
    text: pretty({ gateway: { mode: "a".repeat(200), bind: `é${"b".repeat(170)}` } }),
    commands: VALIDATE,
  },
  {
    name: "newer-version",
    text: pretty({ meta: { lastTouchedVersion: "2099.1.1" }, gateway: { mode: "LOCAL" } }),
    commands: [...VALIDATE, ["config", "get", "gateway.port"]],
  },
  {
    name: "older-version",
    text: pretty({ meta: { lastTouchedVersion: "2026.1.1" }, gateway: { mode: "LOCAL" } }),
    commands: VALIDATE,
  },
];
