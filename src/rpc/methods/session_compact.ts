// `sessions.compact`: compacts a session now, as `/compact` does, after any run queued on it. The
// answer and the `sessions.changed` event are the reference's (`reason: "compact"`).
import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { ManualCompaction } from "../../agent/compaction_manual.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { targetOf } from "./agent.ts";
import { canonicalKey } from "./session_view.ts";

/** What `sessions.compact` needs. */
export interface SessionCompactDeps {
  agents(): AgentsConfig;
  compact(target: { sessionKey: string; agentId: string }): Promise<ManualCompaction>;
  /** A session was compacted: `sessions.changed` goes to the subscribers. */
  changed(key: string, agentId: string, reason: string): void;
}

/** `sessions.compact`. */
export function sessionCompactMethods(deps: SessionCompactDeps): MethodTable {
  return {
    "sessions.compact": validated("operator.admin", "validateSessionsCompactParams", async ({ params: p }) => {
      const agents = deps.agents();
      const { agentId, sessionKey } = targetOf(agents, {
        agentId: p.agentId,
        sessionKey: canonicalKey(p.key, p.agentId ?? agents.defaultAgentId),
      });
      if (p.maxLines !== undefined) {
        throw new RpcError(
          "INVALID_REQUEST",
          `Cannot trim session ${sessionKey} to ${p.maxLines} lines: this gateway compacts by summary only; ` +
            "call sessions.compact without maxLines",
        );
      }
      const result = await deps.compact({ sessionKey, agentId });
      if (!result.compacted && (result.reason === "no sessionId" || result.reason === "no transcript")) {
        return { ok: true, key: sessionKey, compacted: false, reason: result.reason };
      }
      const failed = !result.compacted && "failed" in result && result.failed === true;
      if (!failed) deps.changed(sessionKey, agentId, "compact");
      return {
        ok: !failed,
        key: sessionKey,
        compacted: result.compacted,
        ...(result.compacted ? {} : { reason: result.reason }),
        ...(result.compacted
          ? {
            result: {
              summary: result.entry.summary,
              firstKeptEntryId: result.entry.firstKeptEntryId,
              tokensBefore: result.tokensBefore,
              tokensAfter: result.tokensAfter,
            },
          }
          : {}),
      };
    }),
  };
}
