// The agents being deleted right now: from the moment `agents.delete` commits the roster until its files are in
// the Trash, a create of the same id, an update or a file save for it is refused in the reference's words
// instead of racing the cleanup (a new workspace trashed with the old one, a file written into a directory
// about to go). One per gateway, shared by the roster and file methods.
import { RpcError } from "../errors.ts";

/** The set of agent ids whose deletion is in progress. */
export interface AgentDeletionFence {
  /** Runs the deletion of `agentId` with the fence up; a second deletion of it meanwhile is refused. */
  during<T>(agentId: string, task: () => Promise<T>): Promise<T>;
  /** Refuses while `agentId` is being deleted. */
  check(agentId: string): void;
}

/** A fresh fence. */
export function agentDeletionFence(): AgentDeletionFence {
  const deleting = new Set<string>();
  const check = (agentId: string) => {
    if (deleting.has(agentId)) {
      throw new RpcError("UNAVAILABLE", `agent "${agentId}" deletion cleanup is still pending`, { retryable: true });
    }
  };
  return {
    check,
    async during(agentId, task) {
      check(agentId);
      deleting.add(agentId);
      try {
        return await task();
      } finally {
        deleting.delete(agentId);
      }
    },
  };
}
