// The `openclaw database` commands recorded from the reference CLI (tools/record_database_cli.ts) and
// replayed against ours (tests/cli/commands/database_cli_test.ts). Each scenario is a state dir in one
// state, built the same way by the recorder and the test (node:sqlite, no sqlite3 binary), then a
// sequence of commands run in order (a claim changes what the next status reads).
import { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";
import { openStateDb } from "../../src/state/state_db.ts";

/** Where the recordings live. */
export const DATABASE_CLI_FIXTURE = new URL("../fixtures/database/recordings.json", import.meta.url).pathname;

/** How a scenario's state dir starts. */
export type DatabaseState =
  | "empty"
  | "ours"
  | "reference-gateway"
  | "our-gateway"
  | "corrupt"
  | "claimed"
  | "bad-ownership";

/** One command of a scenario; `<root>` in an argument is the scenario's root directory. */
export interface DatabaseCommand {
  name: string;
  args: string[];
  /** Extra environment (OPENCLAW_SUPERVISOR_MODE=external for a claim). */
  env?: Record<string, string>;
}

/** A state dir in one state and the commands run on it, in order. */
export interface DatabaseScenario {
  name: string;
  state: DatabaseState;
  commands: DatabaseCommand[];
}

/** What the reference printed for one command, with the root replaced by `<root>`. */
export interface DatabaseOutcome {
  args: string[];
  env?: Record<string, string>;
  code: number;
  stdout: string;
  stderr: string;
}

/** The fixture file. */
export interface DatabaseRecording {
  reference: string;
  scenarios: Record<string, { state: DatabaseState; commands: Record<string, DatabaseOutcome> }>;
}

const EXTERNAL = { OPENCLAW_SUPERVISOR_MODE: "external" };
const DB = "<root>/state/state/openclaw.sqlite";
const c = (name: string, ...args: string[]): DatabaseCommand => ({ name, args: ["database", ...args] });
const x = (name: string, ...args: string[]): DatabaseCommand => ({ ...c(name, ...args), env: EXTERNAL });
const copy = (variant: string) => `<root>/copies/${variant}.sqlite`;

/** The commands that only read, for a state dir in any state. */
function reads(): DatabaseCommand[] {
  return [
    c("status", "ownership", "status"),
    c("status-json", "ownership", "status", "--json"),
    c("preflight-live", "preflight", DB),
    c("preflight-live-json", "preflight", DB, "--json"),
  ];
}

/** Every scenario, in recording order. */
export const DATABASE_SCENARIOS: DatabaseScenario[] = [
  {
    name: "help",
    state: "empty",
    commands: [
      c("bare"),
      c("help", "--help"),
      c("ownership-bare", "ownership"),
      c("ownership-help", "ownership", "--help"),
      c("status-help", "ownership", "status", "--help"),
      c("claim-help", "ownership", "claim", "--help"),
      c("preflight-help", "preflight", "--help"),
      c("preflight-agent-help", "preflight-agent", "--help"),
      c("unknown", "frob"),
      c("preflight-no-path", "preflight"),
      c("preflight-agent-no-id", "preflight-agent", "<root>/x.sqlite"),
      c("claim-no-manager", "ownership", "claim"),
      c("claim-no-manager-json", "ownership", "claim", "--json"),
    ],
  },
  {
    name: "empty",
    state: "empty",
    commands: [
      ...reads(),
      c("preflight-agent-missing-json", "preflight-agent", "<root>/nope.sqlite", "--agent-id", "main", "--json"),
      c("claim-unsupervised", "ownership", "claim", "--manager", "ops-1"),
      c("claim-unsupervised-json", "ownership", "claim", "--manager", "ops-1", "--json"),
      x("claim-bad-manager", "ownership", "claim", "--manager", "bad id!"),
      x("claim-bad-manager-json", "ownership", "claim", "--manager", "", "--json"),
      x("claim", "ownership", "claim", "--manager", "ops-1", "--json"),
      c("status-after-claim", "ownership", "status"),
    ],
  },
  {
    name: "ours",
    state: "ours",
    commands: [
      ...reads(),
      c("preflight-exact", "preflight", copy("exact")),
      c("preflight-exact-json", "preflight", copy("exact"), "--json"),
      c("preflight-sidecar", "preflight", copy("sidecar")),
      c("preflight-v17-json", "preflight", copy("v17"), "--json"),
      c("preflight-v19-json", "preflight", copy("v19"), "--json"),
      c("preflight-v19", "preflight", copy("v19")),
      c("preflight-content19-json", "preflight", copy("content19"), "--json"),
      c("preflight-drop-table-json", "preflight", copy("drop-table"), "--json"),
      c("preflight-drop-table", "preflight", copy("drop-table")),
      c("preflight-drop-additive-json", "preflight", copy("drop-additive"), "--json"),
      c("preflight-drop-additive", "preflight", copy("drop-additive")),
      c("preflight-drop-index-json", "preflight", copy("drop-index"), "--json"),
      c("preflight-extra-table-json", "preflight", copy("extra-table"), "--json"),
      c("preflight-extra-column-json", "preflight", copy("extra-column"), "--json"),
      c("preflight-extra-unique-json", "preflight", copy("extra-unique"), "--json"),
      c("preflight-meta-mismatch-json", "preflight", copy("meta-mismatch"), "--json"),
      c("preflight-claimed-json", "preflight", copy("claimed"), "--json"),
      c("preflight-bad-ownership-json", "preflight", copy("bad-ownership"), "--json"),
      c("preflight-empty-file-json", "preflight", copy("empty-file"), "--json"),
      c("preflight-garbage", "preflight", copy("garbage")),
      c("preflight-missing", "preflight", "<root>/nope.sqlite"),
      c("preflight-agent-exact-json", "preflight-agent", copy("agent"), "--agent-id", "main", "--json"),
      c("preflight-agent-exact", "preflight-agent", copy("agent"), "--agent-id", "main"),
      c("preflight-agent-other-json", "preflight-agent", copy("agent"), "--agent-id", "ops", "--json"),
      c("preflight-agent-bad-id-json", "preflight-agent", copy("agent"), "--agent-id", "Main", "--json"),
      c("preflight-agent-state-db-json", "preflight-agent", copy("exact"), "--agent-id", "main", "--json"),
      c("preflight-agent-v24-json", "preflight-agent", copy("agent-v24"), "--agent-id", "main", "--json"),
      c("preflight-agent-garbage", "preflight-agent", copy("garbage"), "--agent-id", "main"),
      x("claim", "ownership", "claim", "--manager", "ops-1"),
      x("claim-again-json", "ownership", "claim", "--manager", "ops-1", "--json"),
      c("status-after-claim-json", "ownership", "status", "--json"),
      x("claim-other", "ownership", "claim", "--manager", "ops-2"),
      x("claim-other-json", "ownership", "claim", "--manager", "ops-2", "--json"),
    ],
  },
  {
    name: "reference-gateway",
    state: "reference-gateway",
    commands: [
      ...reads(),
      c("preflight-backup", "preflight", copy("backup")),
      c("preflight-backup-json", "preflight", copy("backup"), "--json"),
    ],
  },
  { name: "our-gateway", state: "our-gateway", commands: reads() },
  {
    name: "corrupt",
    state: "corrupt",
    commands: [...reads(), x("claim", "ownership", "claim", "--manager", "ops-1")],
  },
  {
    name: "claimed",
    state: "claimed",
    commands: [
      ...reads(),
      x("claim-other", "ownership", "claim", "--manager", "ops-1"),
      x("claim-owner-json", "ownership", "claim", "--manager", "other-host-supervisor", "--json"),
    ],
  },
  {
    name: "bad-ownership",
    state: "bad-ownership",
    commands: [
      ...reads(),
      x("claim-repair-json", "ownership", "claim", "--manager", "ops-1", "--json"),
      c("status-after-repair", "ownership", "status"),
    ],
  },
];

/** The ownership row another host's supervisor left (as the reference writes it). */
export const OTHER_OWNER_JSON =
  '{"version":1,"mode":"external","managerId":"other-host-supervisor","claimedAt":1796000000000}';

function withDb(path: string, body: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA journal_mode = DELETE");
    body(db);
  } finally {
    db.close();
  }
}

function setOwnershipRow(path: string, valueJson: string): void {
  withDb(path, (db) =>
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('gateway.supervision', ?, 1)",
    ).run(valueJson));
}

/** Standalone copies of a state database (and one agent database) in the states `preflight` tells apart. */
export function makeCopies(root: string, stateDir: string): void {
  const dir = `${root}/copies`;
  Deno.mkdirSync(dir, { recursive: true });
  const source = `${stateDir}/state/openclaw.sqlite`;
  const made = (variant: string, body?: (db: DatabaseSync) => void) => {
    const path = `${dir}/${variant}.sqlite`;
    Deno.copyFileSync(source, path);
    withDb(path, body ?? (() => {}));
    return path;
  };
  made("exact");
  Deno.writeFileSync(`${made("sidecar")}-wal`, new Uint8Array());
  made("v17", (db) => db.exec("PRAGMA user_version = 17"));
  made("v19", (db) => db.exec("PRAGMA user_version = 19"));
  made("content19", (db) =>
    db.exec(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('state.schema.contentVersion', '19', 1)",
    ));
  made("drop-table", (db) => db.exec("DROP TABLE skill_usage"));
  made("drop-additive", (db) => db.exec("DROP TABLE worker_turn_tool_authorities"));
  made("drop-index", (db) => db.exec("DROP INDEX idx_diagnostic_events_scope_sequence"));
  made("extra-table", (db) => db.exec("CREATE TABLE zz_extra (a TEXT)"));
  made("extra-column", (db) => db.exec("ALTER TABLE skill_usage ADD COLUMN zz_note TEXT"));
  made("extra-unique", (db) => db.exec("CREATE UNIQUE INDEX zz_unique ON skill_usage(skill_key)"));
  made("meta-mismatch", (db) => db.exec("UPDATE schema_meta SET schema_version = 17 WHERE meta_key = 'primary'"));
  setOwnershipRow(made("claimed"), OTHER_OWNER_JSON);
  setOwnershipRow(made("bad-ownership"), "{bad");
  Deno.writeFileSync(`${dir}/empty-file.sqlite`, new Uint8Array());
  Deno.writeTextFileSync(`${dir}/garbage.sqlite`, "this is not a database\n".repeat(400));
  const agent = openAgentDb(stateDir, "main");
  agent.close();
  Deno.copyFileSync(`${stateDir}/agents/main/agent/openclaw-agent.sqlite`, `${dir}/agent.sqlite`);
  withDb(`${dir}/agent.sqlite`, () => {});
  Deno.copyFileSync(`${dir}/agent.sqlite`, `${dir}/agent-v24.sqlite`);
  withDb(`${dir}/agent-v24.sqlite`, (db) => db.exec("PRAGMA user_version = 24"));
}

/**
 * Builds a state dir under `root` in one of the states that need no gateway (`reference-gateway` and
 * `our-gateway` are the caller's: it runs that gateway once on `<root>/state`).
 */
export function prepareState(root: string, state: DatabaseState): string {
  const stateDir = `${root}/state`;
  Deno.mkdirSync(`${root}/home`, { recursive: true });
  Deno.mkdirSync(stateDir, { recursive: true });
  if (state === "empty" || state === "reference-gateway" || state === "our-gateway") return stateDir;
  if (state === "corrupt") {
    Deno.mkdirSync(`${stateDir}/state`, { recursive: true });
    Deno.writeTextFileSync(`${stateDir}/state/openclaw.sqlite`, "this is not a database\n".repeat(400));
    return stateDir;
  }
  openStateDb(stateDir).close();
  if (state === "ours") makeCopies(root, stateDir);
  const live = `${stateDir}/state/openclaw.sqlite`;
  if (state === "claimed") setOwnershipRow(live, OTHER_OWNER_JSON);
  if (state === "bad-ownership") setOwnershipRow(live, "{bad");
  return stateDir;
}

/** The schema of a database the reference gateway made: enough to make one like it without the reference. */
export interface SchemaDump {
  userVersion: number;
  meta: Record<string, unknown>;
  contentVersion: string | null;
  statements: string[];
}

/** Where the dump of the reference gateway's state database lives. */
export const REFERENCE_STATE_DUMP = new URL("../fixtures/database/reference_gateway_state.json", import.meta.url)
  .pathname;

/** Reads the schema of a state database (user_version, schema_meta row, content version, DDL in creation order). */
export function dumpSchema(path: string): SchemaDump {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const version = db.prepare("PRAGMA user_version").get() as { user_version: number };
    const meta = db.prepare("SELECT * FROM schema_meta WHERE meta_key = 'primary'").get() as Record<string, unknown>;
    const content = db.prepare(
      "SELECT value_json FROM config_machine_state WHERE state_key = 'state.schema.contentVersion'",
    ).get() as { value_json: string } | undefined;
    const statements = (db.prepare(
      "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    ).all() as { sql: string }[]).map((row) => row.sql);
    return {
      userVersion: version.user_version,
      meta: { ...meta, created_at: 0, updated_at: 0 },
      contentVersion: content?.value_json ?? null,
      statements,
    };
  } finally {
    db.close();
  }
}

/** Makes a WAL-mode state database from a dump; the caller keeps the handle open (the live sidecars) and closes it. */
export function rebuildFromDump(path: string, dump: SchemaDump): DatabaseSync {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL");
  for (const sql of dump.statements) db.exec(sql);
  const columns = Object.keys(dump.meta);
  db.prepare(`INSERT INTO schema_meta (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    .run(...Object.values(dump.meta) as (string | number | null)[]);
  if (dump.contentVersion !== null) {
    db.prepare(
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('state.schema.contentVersion', ?, 0)",
    ).run(dump.contentVersion);
  }
  db.exec(`PRAGMA user_version = ${dump.userVersion}`);
  return db;
}

/** A standalone backup of a live database (what an operator hands to `preflight`). */
export function backupCopy(live: string, root: string): void {
  Deno.mkdirSync(`${root}/copies`, { recursive: true });
  const db = new DatabaseSync(live);
  try {
    db.prepare("VACUUM INTO ?").run(`${root}/copies/backup.sqlite`);
  } finally {
    db.close();
  }
}

/** Puts the scenario's root into an argument. */
export function withRoot(args: string[], root: string): string[] {
  return args.map((arg) => arg.replaceAll("<root>", root));
}

/** What the comparison keeps of an output: the root as `<root>`, a fresh claim time as `<ms>`. */
export function normalizeOutput(text: string, root: string): string {
  return text.replaceAll(root, "<root>").replace(
    /"claimedAt": \d{13}(?!\d)/g,
    (match) => match.endsWith("1796000000000") ? match : '"claimedAt": "<ms>"',
  );
}
