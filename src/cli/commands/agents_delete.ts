// `openclaw agents delete <id> [--force] [--json]` as the reference runs it (recorded against OpenClaw
// 2026.9.6): refuses an unknown agent, the legacy shared-auth owner and the only agent, asks before
// deleting (fails without a TTY), then lets a running gateway delete it (`agents.delete`,
// agents_delete_gateway.ts). With none listening it deletes offline: prunes the config through `config
// set`'s writer, then moves the agent's workspace (unless another agent uses it), state dir and sessions
// dir to the Trash.
import {
  agentDeletePlan,
  legacySharedAuthRefusal,
  onlyAgentRefusal,
  ownsLegacySharedAuthStore,
} from "../../config/agent_delete_plan.ts";
import { findEntry, normalizeAgentIdStrict, rosterEntries } from "../../config/agent_roster.ts";
import { pruneAgent } from "../../config/agent_prune.ts";
import { resolveTarget } from "../../client/target.ts";
import { trashAgentPaths } from "../../state/agent_trash.ts";
import { deleteThroughGateway } from "./agents_delete_gateway.ts";
import { cliWriteAccess } from "./state_write_access.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { AgentsFailure, commitAgents, loadAgentsContext, runAgents, shown } from "./agents_common.ts";

function confirmed(agentId: string): boolean {
  const answer = prompt(`Delete agent "${agentId}" and prune workspace/state? [y/N]`);
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}

/** `openclaw agents delete <id>`. */
export async function agentsDelete(
  id: string,
  options: GlobalOptions & { force?: boolean; json?: boolean },
): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const input = id.trim();
    if (!input) throw new AgentsFailure("Agent id is required. Run openclaw agents list to choose one.");
    const notFound = (what: string) =>
      new AgentsFailure(`Agent "${what}" not found. Run openclaw agents list to see configured agents.`);
    const agentId = normalizeAgentIdStrict(input);
    if (!agentId) throw notFound(input);
    if (!options.json && agentId !== input) printLine(`Normalized agent id to "${agentId}".`);
    if (!findEntry(context.tree, agentId)) throw notFound(agentId);
    if (ownsLegacySharedAuthStore(context.tree, agentId, context.paths)) {
      throw new AgentsFailure(legacySharedAuthRefusal(agentId));
    }
    if (rosterEntries(context.tree).length === 1) throw new AgentsFailure(onlyAgentRefusal(agentId));
    if (!options.force) {
      if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
        throw new AgentsFailure("Non-interactive session. Re-run with --force.");
      }
      if (!confirmed(agentId)) {
        printLine("Cancelled.");
        return 0;
      }
    }
    // As the reference: a running gateway deletes the agent itself (its cron jobs with it). With none running the
    // CLI deletes offline, cron jobs included; one it has no credentials for leaves the jobs, and the output says so.
    const target = await resolveTarget({ profile: options.profile, dev: options.dev }, context.env);
    const pruned = pruneAgent(context.tree, agentId, context.paths);
    const plan = agentDeletePlan(context.tree, pruned.tree, agentId, context.paths);
    const { workspace, agentDir: stateDir, sessionsDir, sharedWith: shared, workspaceRetained: retained } = plan;
    // The JSON summary: both paths print it, each with its own removals and transport.
    const summary = (removals: Record<string, unknown>) => ({
      agentId,
      workspace,
      ...(retained ? { workspaceRetained: true, workspaceRetainedReason: "shared", workspaceSharedWith: shared } : {}),
      agentDir: stateDir,
      sessionsDir,
      ...removals,
    });
    const deleted = () => {
      printLine(`Deleted agent: ${agentId}`);
      if (pruned.clearedOwnerRefs.length > 0) {
        printLine(`Cleared owner references: ${pruned.clearedOwnerRefs.join(", ")}`);
      }
    };
    const cleared = pruned.clearedOwnerRefs.length > 0 ? { clearedOwnerRefs: pruned.clearedOwnerRefs } : {};
    const asked = await deleteThroughGateway(target, agentId, { authOff: target.authMode === "none" });
    if (asked.kind === "deleted") {
      const { answer } = asked;
      if (options.json) {
        printJson(summary({
          removedBindings: answer.removedBindings,
          removedAllow: pruned.removedAllow,
          ...cleared,
          removed: answer.removed,
          failed: answer.failed,
          ...(answer.purgeFailed ? { purgeFailed: true } : {}),
          transport: "gateway",
        }));
        return 0;
      }
      deleted();
      for (const failure of answer.failed ?? []) {
        printError(
          `Warning: path could not be moved to Trash: ${failure.reason}; remove it manually at ${failure.path}`,
        );
      }
      return 0;
    }
    await commitAgents(context, pruned.tree, options.json === true);
    const removed: unknown[] = [];
    const failed: unknown[] = [];
    if (retained && !options.json) {
      const list = shared.length > 0 ? `: ${shared.join(", ")}` : "";
      printLine(`Skipped workspace removal (shared with other agents${list}): ${workspace}`);
    }
    const steps = await trashAgentPaths(plan.trash, {
      home: context.paths.home,
      keep: [context.paths.stateDir, context.path, context.paths.home],
      survivors: plan.survivorDirs,
    });
    for (const { path, outcome } of steps) {
      if (!outcome) continue;
      if ("removed" in outcome) {
        removed.push(outcome.removed);
        if (outcome.removed.method === "trash" && !options.json) printLine(`Moved to Trash: ${shown(context, path)}`);
      } else {
        failed.push(outcome.failed);
        if (!options.json) printLine(`Failed to move to Trash (manual delete): ${shown(context, path)}`);
      }
    }
    // No gateway running: its store is ours to edit, as the reference's CLI edits it. One we could not
    // authenticate to owns its scheduler: the jobs stay, and the output says so.
    const cronCleanupSkipped = asked.kind === "credentials-required";
    if (!cronCleanupSkipped) {
      const { removeLocalAgentCronJobs } = await import("../../server/local_cron_cleanup.ts");
      removeLocalAgentCronJobs(context.paths.stateDir, agentId, cliWriteAccess());
    }
    if (options.json) {
      printJson(summary({
        removedBindings: pruned.removedBindings,
        removedAllow: pruned.removedAllow,
        ...cleared,
        removed,
        failed,
        ...(cronCleanupSkipped ? { cronCleanupSkipped: true } : {}),
      }));
    } else deleted();
    if (cronCleanupSkipped) {
      printError(
        `Warning: cron cleanup was skipped for deleted agent "${agentId}" because the Gateway could not be authenticated; scheduled jobs may remain.`,
      );
    }
    return 0;
  });
}
