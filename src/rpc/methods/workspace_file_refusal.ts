// The workspace file module's refusals (a link or FIFO where a file should be, a file too large to read) as
// the answers a client gets: INVALID_REQUEST in the reference's words, not an internal error.
import { UnsafeWorkspaceFileError, WorkspaceFileTooLargeError } from "../../state/workspace_file.ts";
import { RpcError } from "../errors.ts";

/** Runs a task that touches workspace files, its refusals answered as the reference answers them. */
export async function workspaceFileGuarded<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof UnsafeWorkspaceFileError || error instanceof WorkspaceFileTooLargeError) {
      throw new RpcError("INVALID_REQUEST", error.message);
    }
    throw error;
  }
}
