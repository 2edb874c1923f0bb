// How a CLI command may write the shared state database: OPENCLAW_SUPERVISOR_MODE, read here at the
// program's edge and handed down as a value (src/state/state_write_fence.ts decides with it).
import {
  StateExternalOwnershipError,
  StateOwnershipMetadataError,
  writeAccessFor,
} from "../../state/state_write_fence.ts";

/** This run's writing access: `supervised-write` under OPENCLAW_SUPERVISOR_MODE=external, else `write`. */
export function cliWriteAccess(): "write" | "supervised-write" {
  return writeAccessFor(Deno.env.get("OPENCLAW_SUPERVISOR_MODE"));
}

/** Whether `error` is the fence's refusal (another manager's claim, or a claim row that does not parse). */
export function isFenceRefusal(error: unknown): error is Error {
  return error instanceof StateExternalOwnershipError || error instanceof StateOwnershipMetadataError;
}
