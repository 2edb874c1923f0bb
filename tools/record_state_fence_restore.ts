// Re-records tests/fixtures/database/fence_restore.json: what the reference OpenClaw 2026.9.6
// (tools/peer_install.sh puts it in /tmp/peer) does with `backup restore` while the live state database is
// claimed by an external manager, and with an archive whose own state database carries a claim; each without
// and with OPENCLAW_SUPERVISOR_MODE=external, in text and JSON (tests/support/state_fence_restore_cases.ts).
//
//   deno run -A tools/record_state_fence_restore.ts
import { runPeer } from "../tests/support/peer.ts";
import {
  FENCE_RESTORE_CASES,
  FENCE_RESTORE_FIXTURE,
  type FenceRestoreRecording,
  restoreOutcomeKey,
} from "../tests/support/state_fence_restore_cases.ts";
import { type RunCli, runRestoreCase } from "../tests/support/state_fence_restore_run.ts";

const reference: RunCli = (args, where, env) =>
  runPeer(args, { ...where, configPath: `${where.stateDir}/openclaw.json` }, env);

async function main(): Promise<void> {
  const recording: FenceRestoreRecording = { reference: "openclaw 2026.9.6", cases: {} };
  for (const which of FENCE_RESTORE_CASES) {
    for (const supervision of ["unsupervised", "external"] as const) {
      for (const json of [false, true]) {
        const key = restoreOutcomeKey(which.name, supervision, json);
        recording.cases[key] = await runRestoreCase(reference, which, supervision, json);
        Deno.stderr.writeSync(new TextEncoder().encode(`${key}: exit ${recording.cases[key]!.code}\n`));
      }
    }
  }
  await Deno.writeTextFile(FENCE_RESTORE_FIXTURE, `${JSON.stringify(recording, null, 2)}\n`);
}

if (import.meta.main) await main();
