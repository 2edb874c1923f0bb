// `openclaw agents delete <id> [--force] [--json]`, the reference's offline path (recorded against
// OpenClaw 2026.9.6): refuses an unknown agent, the legacy shared-auth owner and the only agent,
// asks before deleting (fails without a TTY), prunes the config through `config set`'s writer,
// then moves the agent's workspace (unless another agent uses it), state dir and sessions dir to
// the Trash.
import {
  agentDir,
  agentSessionsDir,
  agentWorkspace,
  findEntry,
  normalizeAgentIdStrict,
  rosterEntries,
} from "../../config/agent_roster.ts";
import { pruneAgent } from "../../config/agent_prune.ts";
import { resolveTarget } from "../../client/target.ts";
import { moveToTrash, type TrashOutcome } from "../../state/trash.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import {
  type AgentsContext,
  AgentsFailure,
  commitAgents,
  loadAgentsContext,
  runAgents,
  shown,
} from "./agents_common.ts";

/** True when one of the two paths is the other or lies inside it. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** The other agents whose workspace is this one, inside it, or around it. */
function sharingWorkspace(context: AgentsContext, agentId: string, workspace: string): string[] {
  return rosterEntries(context.tree).map((entry) => normalizeAgentIdStrict(entry.id) ?? "main")
    .filter((id) => id !== agentId && overlaps(agentWorkspace(context.tree, id, context.paths), workspace));
}

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
    // The shared auth store has not moved into the state database here, so the agent whose state dir
    // is `<state>/agents/main/agent` owns it, and the reference refuses to delete that agent.
    if (agentDir(context.tree, agentId, context.paths) === `${context.paths.stateDir}/agents/main/agent`) {
      throw new AgentsFailure(
        `Agent "${agentId}" owns the legacy shared auth store and cannot be deleted. Run openclaw doctor --fix to migrate shared auth, then retry.`,
      );
    }
    if (rosterEntries(context.tree).length === 1) {
      throw new AgentsFailure(`Agent "${agentId}" is the only configured agent and cannot be deleted.`);
    }
    if (!options.force) {
      if (!Deno.stdin.isTerminal() || !Deno.stdout.isTerminal()) {
        throw new AgentsFailure("Non-interactive session. Re-run with --force.");
      }
      if (!confirmed(agentId)) {
        printLine("Cancelled.");
        return 0;
      }
    }
    // As the reference offline: without gateway credentials it cannot ask a live scheduler, so the
    // agent's cron jobs are left alone and the output says so.
    const target = await resolveTarget({ profile: options.profile, dev: options.dev }, context.env);
    const cronCleanupSkipped = target.token === undefined && target.password === undefined;
    const workspace = agentWorkspace(context.tree, agentId, context.paths);
    const stateDir = agentDir(context.tree, agentId, context.paths);
    const sessionsDir = agentSessionsDir(agentId, context.paths);
    const shared = sharingWorkspace(context, agentId, workspace);
    const pruned = pruneAgent(context.tree, agentId, context.paths);
    const survivors = rosterEntries(pruned.tree).map((entry) => normalizeAgentIdStrict(entry.id) ?? "main");
    // As the reference: a workspace around (or inside) a surviving agent's state dir is kept too,
    // so a workspace that is the state dir never takes the config and the other agents with it.
    const retained = shared.length > 0 ||
      survivors.some((other) => overlaps(agentDir(pruned.tree, other, context.paths), workspace));
    await commitAgents(context, pruned.tree, options.json === true);
    const removed: unknown[] = [];
    const failed: unknown[] = [];
    const trash = async (path: string) => {
      const keep = [context.paths.stateDir, context.path, context.paths.home];
      const outcome: TrashOutcome = await moveToTrash(path, context.paths.home, keep);
      if ("removed" in outcome) {
        removed.push(outcome.removed);
        if (outcome.removed.method === "trash" && !options.json) printLine(`Moved to Trash: ${shown(context, path)}`);
      } else {
        failed.push(outcome.failed);
        if (!options.json) printLine(`Failed to move to Trash (manual delete): ${shown(context, path)}`);
      }
    };
    if (retained) {
      if (!options.json) {
        const list = shared.length > 0 ? `: ${shared.join(", ")}` : "";
        printLine(`Skipped workspace removal (shared with other agents${list}): ${workspace}`);
      }
    } else await trash(workspace);
    for (const dir of [stateDir, sessionsDir]) {
      const ownedByOther = survivors.some((other) =>
        overlaps(agentDir(pruned.tree, other, context.paths), dir) ||
        overlaps(agentWorkspace(pruned.tree, other, context.paths), dir)
      );
      if (!ownedByOther) await trash(dir);
    }
    if (options.json) {
      printJson({
        agentId,
        workspace,
        ...(retained
          ? { workspaceRetained: true, workspaceRetainedReason: "shared", workspaceSharedWith: shared }
          : {}),
        agentDir: stateDir,
        sessionsDir,
        removedBindings: pruned.removedBindings,
        removedAllow: pruned.removedAllow,
        ...(pruned.clearedOwnerRefs.length > 0 ? { clearedOwnerRefs: pruned.clearedOwnerRefs } : {}),
        removed,
        failed,
        ...(cronCleanupSkipped ? { cronCleanupSkipped: true } : {}),
      });
    } else {
      printLine(`Deleted agent: ${agentId}`);
      if (pruned.clearedOwnerRefs.length > 0) {
        printLine(`Cleared owner references: ${pruned.clearedOwnerRefs.join(", ")}`);
      }
    }
    if (cronCleanupSkipped) {
      printError(
        `Warning: cron cleanup was skipped for deleted agent "${agentId}" because the Gateway could not be authenticated; scheduled jobs may remain.`,
      );
    }
    return 0;
  });
}
