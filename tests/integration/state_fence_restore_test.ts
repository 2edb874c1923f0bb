// `backup restore` and the shared-state ownership fence, run as the binary runs, replayed against what the
// reference 2026.9.6 did (tools/record_state_fence_restore.ts): with the live state database claimed by an
// external manager, and with an archive whose own state database carries a claim, unsupervised and as the
// external supervisor, the restore goes ahead into its staging directory in the reference's words, the live
// database stays byte for byte as it was, and the restored database keeps the archive's claim row.
import assert from "node:assert/strict";
import { runOpenclaw } from "../support/spawn_gateway.ts";
import {
  FENCE_RESTORE_CASES,
  FENCE_RESTORE_FIXTURE,
  type FenceRestoreRecording,
  restoreOutcomeKey,
} from "../support/state_fence_restore_cases.ts";
import { type RunCli, runRestoreCase } from "../support/state_fence_restore_run.ts";

const RECORDING: FenceRestoreRecording = JSON.parse(Deno.readTextFileSync(FENCE_RESTORE_FIXTURE));

const ours: RunCli = (args, where, env) =>
  runOpenclaw(args, {
    home: where.home,
    env: { OPENCLAW_STATE_DIR: where.stateDir, OPENCLAW_CONFIG_PATH: `${where.stateDir}/openclaw.json`, ...env },
  });

for (const which of FENCE_RESTORE_CASES) {
  for (const supervision of ["unsupervised", "external"] as const) {
    for (const json of [false, true]) {
      const key = restoreOutcomeKey(which.name, supervision, json);
      const expected = RECORDING.cases[key];
      if (!expected) continue;
      Deno.test(`state fence: backup restore ${key} answers as the reference did`, async () => {
        const got = await runRestoreCase(ours, which, supervision, json);
        assert.deepEqual(got, expected);
      });
    }
  }
}
