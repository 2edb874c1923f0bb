// Replaying the reference's `openclaw secrets audit|apply` recordings (tests/fixtures/secrets/audit_apply/)
// against our CLI as the binary runs: each scenario laid out as materialize.py lays it out for the
// reference (a private HOME, `dotenv` → `.env`, `__HOME__` in JSON files made that home, file provider files
// `secrets*.json` mode 0600 but `secrets_open.json` 0644, the key files, `plans/dir.json` for apply), the cases run in the recorded order from that home, output compared with the
// home shown as `__HOME__`.
import { REPO_ROOT } from "./spawn_gateway.ts";
import { type ReplayHome, runStoreCase } from "./secrets_store_replay.ts";

/** The recordings folder. */
export const AUDIT_APPLY_FIXTURES = `${REPO_ROOT}/tests/fixtures/secrets/audit_apply`;

/** One recorded command of one scenario. */
export interface AuditApplyCase {
  scenario: string;
  label: string;
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

/** The recorded cases in the order they ran. */
export function auditApplyCases(): AuditApplyCase[] {
  return (JSON.parse(Deno.readTextFileSync(`${AUDIT_APPLY_FIXTURES}/cases.json`)) as { cases: AuditApplyCase[] }).cases;
}

function copyTree(from: string, to: string, home: string): void {
  Deno.mkdirSync(to, { recursive: true });
  for (const entry of Deno.readDirSync(from)) {
    const source = `${from}/${entry.name}`;
    if (entry.isDirectory) {
      copyTree(source, `${to}/${entry.name}`, home);
    } else if (entry.name === "dotenv") {
      Deno.copyFileSync(source, `${to}/.env`);
    } else if (entry.name.endsWith(".json")) {
      Deno.writeTextFileSync(`${to}/${entry.name}`, Deno.readTextFileSync(source).replaceAll("__HOME__", home));
      // File provider files are private (the reference refuses others' access); `secrets_open.json` is not.
      if (entry.name.startsWith("secrets")) {
        Deno.chmodSync(`${to}/${entry.name}`, entry.name === "secrets_open.json" ? 0o644 : 0o600);
      }
    } else {
      Deno.copyFileSync(source, `${to}/${entry.name}`);
    }
  }
}

/** Lays out `scenario` under `root` once (as materialize.py does) and returns where it runs. */
export function scenarioHome(root: string, scenario: string): ReplayHome {
  const home = `${root}/${scenario}/home`;
  const where = { home, stateDir: `${home}/state`, cwd: home, cleanup: () => {} };
  try {
    Deno.statSync(home);
    return where;
  } catch {
    // first case of this scenario
  }
  const source = `${AUDIT_APPLY_FIXTURES}/scenarios/${scenario}`;
  try {
    copyTree(source, home, home);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.mkdirSync(`${home}/state`, { recursive: true });
  for (const entry of Deno.readDirSync(AUDIT_APPLY_FIXTURES)) {
    if (entry.isFile && entry.name.endsWith(".txt")) {
      Deno.copyFileSync(`${AUDIT_APPLY_FIXTURES}/${entry.name}`, `${home}/${entry.name}`);
    }
  }
  if (scenario === "apply") Deno.mkdirSync(`${home}/plans/dir.json`, { recursive: true });
  return where;
}

/** Runs one recorded case from its scenario's home; output with that home shown as `__HOME__`. */
export async function runAuditApplyCase(
  c: AuditApplyCase,
  where: ReplayHome,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await runStoreCase({ ...c, stdin: "-" }, where);
  return {
    code: result.code,
    stdout: result.stdout.replaceAll(where.home, "__HOME__"),
    stderr: withoutSqliteNoise(result.stderr.replaceAll(where.home, "__HOME__")),
  };
}

/** Stderr without the reference's timing-dependent `[sqlite/transaction] slow SQLite transaction` lines. */
export function withoutSqliteNoise(text: string): string {
  return text.split("\n").filter((line) => !line.startsWith("[sqlite/transaction]")).join("\n");
}
