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
import type { StateDbAccess } from "../state/state_write_fence.ts";

export type { ExecApprovalsFile };

/** The wire shape of a snapshot (`exec.approvals.get`). */
export type ApprovalsSnapshotPayload = ApprovalsPayload;

async function withLocation<T>(
  stateDir: string,
  access: StateDbAccess,
  body: (at: Parameters<typeof readApprovals>[0]) => Promise<T>,
): Promise<T> {
  const db = openStateDb(stateDir, access);
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
  options: { access?: StateDbAccess } = {},
): Promise<ApprovalsSnapshotPayload> {
  return withLocation(
    stateDir,
    options.access ?? "write",
    async (at) => approvalsPayload(await ensureApprovals(at), config),
  );
}

/** Replaces the local document (socket kept); null when `baseHash` no longer matches. */
export function setLocalApprovals(
  stateDir: string,
  file: ExecApprovalsFile,
  options: { baseHash?: string; access?: StateDbAccess } = {},
): Promise<ApprovalsSnapshotPayload | null> {
  const { baseHash } = options;
  return withLocation(stateDir, options.access ?? "write", async (at) => {
    const next = await updateApprovals(at, (current) => withSocketDefaults(stateDir, file, current), baseHash);
    return next ? approvalsPayload(next) : null;
  });
}
