// `backup restore` and the shared-state ownership fence, as recorded from the reference 2026.9.6
// (tools/record_state_fence_restore.ts) and replayed against ours (tests/integration/state_fence_restore_test.ts):
// an archive restored while the live state database is claimed by an external manager, and an archive whose
// own state database carries a claim, each without and with OPENCLAW_SUPERVISOR_MODE=external, in text and
// JSON. The reference restores into a staging directory only, never over the live state, so it does not
// consult the fence: every case restores, the live database stays byte for byte as it was, and the restored
// database keeps the archive's claim row as it was.
import { DatabaseSync } from "node:sqlite";
import type { Supervision } from "./state_fence_cases.ts";

/** Where the recordings live. */
export const FENCE_RESTORE_FIXTURE = new URL("../fixtures/database/fence_restore.json", import.meta.url).pathname;

/** Which state dir is claimed: the live one the command runs with, or the one the archive was made of. */
export interface FenceRestoreCase {
  name: string;
  live: "claimed" | "ours";
  archived: "claimed" | "ours";
}

/** The cases, in order. */
export const FENCE_RESTORE_CASES: FenceRestoreCase[] = [
  { name: "live-claimed", live: "claimed", archived: "ours" },
  { name: "archive-claimed", live: "ours", archived: "claimed" },
];

/** What the reference did for one restore. */
export interface FenceRestoreOutcome {
  args: string[];
  supervision: Supervision;
  code: number;
  stdout: string;
  stderr: string;
  /** The live state database's main file was byte for byte the same afterwards. */
  liveDatabaseUnchanged: boolean;
  /** The claim row of the restored state database (`value_json`), null when it has none. */
  restoredClaim: string | null;
}

/** The fixture file. */
export interface FenceRestoreRecording {
  reference: string;
  cases: Record<string, FenceRestoreOutcome>;
}

/** The key of one outcome. */
export function restoreOutcomeKey(name: string, supervision: Supervision, json: boolean): string {
  return `${name}/${supervision}${json ? "/json" : ""}`;
}

/** The restore's arguments: `<archive>` and `<target>` are filled in by the caller. */
export function restoreArgs(json: boolean): string[] {
  return ["backup", "restore", "<archive>", "--target", "<target>", ...(json ? ["--json"] : [])];
}

/**
 * What the comparison keeps of an output: the root, the archive's name, time and maker's version masked,
 * and entry counts (they depend on what each program archives of the same state dir) as N.
 */
export function normalizeRestoreOutput(
  text: string,
  root: string,
  archive: { archiveRoot: string; createdAt: string },
): string {
  return text.replaceAll(root, "<root>").replaceAll(archive.archiveRoot, "<archiveRoot>")
    .replaceAll(archive.createdAt, "<createdAt>")
    .replace(/"runtimeVersion": "[^"]*"/, '"runtimeVersion": "<version>"')
    .replace(/(entries restored): \d+/g, "$1: N").replace(/"(entryCount|assetCount)": \d+/g, '"$1": N')
    .trimEnd();
}

/** The claim row's `value_json` in the state database at `path`, null without one. */
export function claimRowOf(path: string): string | null {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = 'gateway.supervision'")
      .get() as { value_json: string } | undefined;
    return row?.value_json ?? null;
  } finally {
    db.close();
  }
}

/** Where the restored copy of `stateDir`'s state database lies under `target` (the archive's layout). */
export function restoredStateDb(target: string, archiveRoot: string, stateDir: string): string {
  return `${target}/${archiveRoot}/payload/posix${stateDir}/state/openclaw.sqlite`;
}
