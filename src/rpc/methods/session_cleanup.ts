// `sessions.cleanup`: the gateway's own session-store maintenance, what `openclaw sessions cleanup`
// delegates to while a gateway owns the state dir. It runs the reference's cleanup on the selected agents'
// stores through the gateway's SessionStore (so it queues behind the writes in flight), and answers as the
// reference does: one store's summary, or `{allAgents, mode, dryRun, stores}`; a store that fails after
// others were cleaned is an INVALID_REQUEST carrying that document (with `partialError`) as its details.
import type { AgentsConfig } from "../../agent/agents_config.ts";
import type { SessionMaintenance } from "../../config/session_maintenance.ts";
import type { SessionStore } from "../../sessions/store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `sessions.cleanup`. */
export interface SessionCleanupDeps {
  sessions: SessionStore;
  agents(): AgentsConfig;
  /** `session.maintenance` in force, and whether `session.dmScope` is `main`. */
  maintenance(): { settings: SessionMaintenance; dmScopeMain: boolean };
  /** Whether a run is in flight on a session: cleanup leaves it alone. */
  busy(sessionKey: string): boolean;
  /** A session was archived or removed: `sessions.changed` goes to the subscribers. */
  changed(key: string, agentId: string, reason: string): void;
  /** Where a store the cleanup changed is noted (the gateway log). */
  log(line: string): void;
}

/** The `sessions.cleanup` method. */
export function sessionCleanupMethods(deps: SessionCleanupDeps): MethodTable {
  return {
    "sessions.cleanup": validated("operator.admin", "validateSessionsCleanupParams", async ({ params: p }) => {
      const agents = deps.agents();
      let ids = [agents.defaultAgentId];
      if (p.allAgents) ids = agents.agents.map((a) => a.id);
      else if (p.agent !== undefined) {
        const wanted = p.agent.trim().toLowerCase();
        if (!agents.agents.some((a) => a.id === wanted)) {
          throw new RpcError(
            "INVALID_REQUEST",
            `Unknown agent id ${JSON.stringify(p.agent.trim())}. Run openclaw agents list to see configured agents.`,
          );
        }
        ids = [wanted];
      }
      const { settings: maintenance, dmScopeMain } = deps.maintenance();
      const options = {
        maintenance,
        mode: p.enforce ? "enforce" as const : maintenance.mode,
        activeKey: p.activeKey,
        busy: (key: string) => deps.busy(key),
        fixMissing: p.fixMissing === true,
        fixDmScope: p.fixDmScope === true,
        dmScopeMain,
      };
      // Loaded on the first cleanup: it brings the archiving code (node:zlib), which serving never needs.
      const run = await import("../../sessions/cleanup_run.ts");
      const targets = ids.map((agentId) => ({ agentId, path: deps.sessions.summary(agentId).path }));
      let result: Awaited<ReturnType<typeof run.cleanTargets>>;
      try {
        result = await run.cleanTargets(targets, async (target) => {
          const { summary, plan } = await run.applyCleanup(deps.sessions, target, options);
          for (const [key, action] of plan?.actions ?? []) {
            if (action !== "keep") deps.changed(key, target.agentId, "cleanup");
          }
          // The reference's words, at info here: a store cleanup changed is worth a line in the log.
          if (summary.wouldMutate) {
            deps.log(`sessions.cleanup applied ${summary.storePath}: ${summary.beforeCount} -> ${summary.afterCount}`);
          }
          return summary;
        });
      } catch (error) {
        if (error instanceof run.SessionsCleanupError) throw new RpcError("INVALID_REQUEST", error.message);
        throw error;
      }
      const document = run.cleanupJson(options.mode, false, result.summaries, result.failure);
      if (result.failure) throw new RpcError("INVALID_REQUEST", result.failure.message, { details: document });
      return document;
    }),
  };
}
