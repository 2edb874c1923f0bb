// Re-records tests/fixtures/tasks_cli/recordings.json: runs the reference OpenClaw 2026.9.6 CLI's
// `openclaw tasks` commands (tools/peer_install.sh puts it in /tmp/peer) on a private state dir whose
// task ledger is seeded (tests/support/tasks_ledger_seed.ts) right before each command, and writes each
// command's exit code, stdout, stderr, the seed time and, for a command that writes, the ledger after it.
// No gateway runs: `tasks cancel` of an agent task then shows the reference's offline answer. Takes
// about ten seconds a command.
//
//   deno run -A tools/record_tasks_cli.ts [case-name ...]
import { DatabaseSync } from "node:sqlite";
import { type PeerHome, runPeer } from "../tests/support/peer.ts";
import { seedTaskLedger } from "../tests/support/tasks_ledger_seed.ts";
import { TASKS_CLI_CASES, TASKS_CLI_FIXTURE, type TasksCliRecording } from "../tests/support/tasks_cli_cases.ts";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function homeAt(root: string): PeerHome {
  return { home: root, stateDir: `${root}/state`, configPath: `${root}/state/openclaw.json` };
}

/** A state dir whose database the reference created (its schema, its version), with no rows. */
async function template(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "oc-tasks-template-" });
  const where = homeAt(root);
  await Deno.mkdir(where.stateDir, { recursive: true });
  // A port nothing listens on: the gateway-owned paths fail fast, as with no gateway running.
  await Deno.writeTextFile(where.configPath, JSON.stringify({ gateway: { port: 18_998 } }));
  const made = await runPeer(["tasks", "list", "--json"], where);
  if (made.code !== 0) throw new Error(`the reference could not create its state database:\n${made.stderr}`);
  return root;
}

function ledgerRows(dbPath: string): { tasks: Record<string, unknown>[]; flows: Record<string, unknown>[] } {
  const db = new DatabaseSync(dbPath, { readOnly: true });
  try {
    return {
      tasks: db.prepare("SELECT * FROM task_runs ORDER BY task_id").all().map((row) => ({ ...row })),
      flows: db.prepare("SELECT * FROM flow_runs ORDER BY flow_id").all().map((row) => ({ ...row })),
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const only = new Set(Deno.args);
  const base = await template();
  const previous: TasksCliRecording = await Deno.readTextFile(TASKS_CLI_FIXTURE).then(JSON.parse).catch(() => ({
    cases: {},
  }));
  const recording: TasksCliRecording = { reference: "openclaw 2026.9.6", cases: { ...previous.cases } };
  try {
    for (const testCase of TASKS_CLI_CASES) {
      if (only.size > 0 && !only.has(testCase.name)) continue;
      const root = await Deno.makeTempDir({ prefix: "oc-tasks-case-" });
      await new Deno.Command("cp", { args: ["-a", `${base}/.`, root] }).output();
      const where = homeAt(root);
      if (testCase.token) {
        await Deno.writeTextFile(
          where.configPath,
          JSON.stringify({ gateway: { port: 18_998, auth: { mode: "token", token: "tasks-cli-token" } } }),
        );
      }
      const dbPath = `${where.stateDir}/state/openclaw.sqlite`;
      const seededAt = Date.now();
      const db = new DatabaseSync(dbPath);
      seedTaskLedger(db, seededAt);
      db.close();
      const out = await runPeer(testCase.args, where);
      recording.cases[testCase.name] = {
        args: testCase.args,
        seededAt,
        code: out.code,
        stdout: out.stdout,
        stderr: out.stderr,
        ...(testCase.writes ? { after: ledgerRows(dbPath) } : {}),
      };
      // Written after every command, so an interrupted run keeps what it recorded.
      await Deno.writeTextFile(TASKS_CLI_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
      say(`${testCase.name}: exit ${out.code}`);
      await Deno.remove(root, { recursive: true });
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
  await Deno.writeTextFile(TASKS_CLI_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
}

if (import.meta.main) await main();
