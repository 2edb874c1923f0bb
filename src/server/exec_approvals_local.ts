// The exec approvals document of a state dir, read and changed without a running gateway (what
// `openclaw approvals` does without --gateway): the same store and rules as the gateway's methods.
import { type ExecApprovalsFile } from "../agent/exec_approvals_file.ts";
import {
  type ApprovalsPayload,
  approvalsPayload,
  ensureApprovals,
  readApprovals,
  updateApprovals,
  withSocketDefaults,
} from "../agent/exec_approvals_store.ts";
import { openStateDb } from "../state/state_db.ts";

export type { ExecApprovalsFile };

/** The wire shape of a snapshot (`exec.approvals.get`). */
export type ApprovalsSnapshotPayload = ApprovalsPayload;

async function withLocation<T>(
  stateDir: string,
  body: (at: Parameters<typeof readApprovals>[0]) => Promise<T>,
): Promise<T> {
  const db = openStateDb(stateDir);
  try {
    return await body({ stateDir, db: () => Promise.resolve(db) });
  } finally {
    db.close();
  }
}

/** The local snapshot, seeding the row as the reference's local `get` does (`config`: the file the gateway would read). */
export function localApprovals(
  stateDir: string,
  config: Record<string, unknown> = {},
): Promise<ApprovalsSnapshotPayload> {
  return withLocation(stateDir, async (at) => approvalsPayload(await ensureApprovals(at), config));
}

/** Replaces the local document (socket kept); null when `baseHash` no longer matches. */
export function setLocalApprovals(
  stateDir: string,
  file: ExecApprovalsFile,
  baseHash?: string,
): Promise<ApprovalsSnapshotPayload | null> {
  return withLocation(stateDir, async (at) => {
    const next = await updateApprovals(at, (current) => withSocketDefaults(stateDir, file, current), baseHash);
    return next ? approvalsPayload(next) : null;
  });
}
