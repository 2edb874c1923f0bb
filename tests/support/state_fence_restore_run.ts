// One `backup restore` case of tests/support/state_fence_restore_cases.ts, run by either program: the same
// steps for the recorder (the reference) and the test (ours), so both see the same layout of directories.
import { prepareState } from "./database_cli_cases.ts";
import { fenceConfig, fileDigest, type Supervision, supervisionEnv } from "./state_fence_cases.ts";
import {
  claimRowOf,
  type FenceRestoreCase,
  type FenceRestoreOutcome,
  normalizeRestoreOutput,
  restoreArgs,
  restoredStateDb,
} from "./state_fence_restore_cases.ts";

/** A program's CLI, run to completion with a state dir (its config beside it) and extra env. */
export type RunCli = (
  args: string[],
  where: { home: string; stateDir: string },
  env: Record<string, string>,
) => Promise<{ code: number; stdout: string; stderr: string }>;

/**
 * In a fresh root: a live state dir and another to archive (claimed as the case says), an archive of the
 * latter made by `run` as the external supervisor, then the restore under `supervision`.
 */
export async function runRestoreCase(
  run: RunCli,
  which: FenceRestoreCase,
  supervision: Supervision,
  json: boolean,
): Promise<FenceRestoreOutcome> {
  const root = await Deno.makeTempDir({ prefix: "oc-fence-restore-" });
  try {
    const live = { home: `${root}/live/home`, stateDir: prepareState(`${root}/live`, which.live) };
    const archived = { home: `${root}/archived/home`, stateDir: prepareState(`${root}/archived`, which.archived) };
    for (const where of [live, archived]) {
      await Deno.writeTextFile(`${where.stateDir}/openclaw.json`, JSON.stringify(fenceConfig(18999)));
    }
    const created = await run(
      ["backup", "create", "--json", "--output", `${root}/archive/`],
      archived,
      supervisionEnv("external"),
    );
    if (created.code !== 0) throw new Error(`backup create failed (exit ${created.code}): ${created.stderr}`);
    const archive = JSON.parse(created.stdout) as { archivePath: string; archiveRoot: string; createdAt: string };
    const database = `${live.stateDir}/state/openclaw.sqlite`;
    const before = await fileDigest(database);
    const target = `${root}/restored`;
    const args = restoreArgs(json);
    const filled = args.map((arg) => arg.replace("<archive>", archive.archivePath).replace("<target>", target));
    const result = await run(filled, live, supervisionEnv(supervision));
    let restoredClaim: string | null = null;
    if (result.code === 0) restoredClaim = claimRowOf(restoredStateDb(target, archive.archiveRoot, archived.stateDir));
    return {
      args,
      supervision,
      code: result.code,
      stdout: normalizeRestoreOutput(result.stdout, root, archive),
      stderr: normalizeRestoreOutput(result.stderr, root, archive),
      liveDatabaseUnchanged: before === await fileDigest(database),
      restoredClaim,
    };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}
