// `openclaw agents bindings|bind|unbind`: routing bindings listed, added and removed as the
// reference does (recorded against OpenClaw 2026.9.6), written through `config set`'s writer.
import {
  applyBindings,
  conflictLines,
  describeBinding,
  parseBindingSpecs,
  removeBindings,
  type RouteBinding,
  routeBindings,
  withBindings,
} from "../../config/agent_bindings.ts";
import {
  agentIds,
  normalizeAgentId,
  normalizeAgentIdStrict,
  operationDefaultAgentId,
} from "../../config/agent_roster.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type AgentsContext, AgentsFailure, commitAgents, loadAgentsContext, runAgents } from "./agents_common.ts";

/** Flags of `bind`, `unbind` and `bindings`. */
export interface AgentsBindFlags {
  agent?: string;
  bind?: string[];
  all?: boolean;
  json?: boolean;
}

function notFound(id: string): AgentsFailure {
  return new AgentsFailure(`Agent "${id}" not found. Run openclaw agents list to see configured agents.`);
}

/** The agent `--agent` names (or the default one), known to the roster; else the reference's refusal. */
function targetAgent(context: AgentsContext, input: string | undefined): string {
  let agentId: string | undefined;
  if (input !== undefined) {
    agentId = normalizeAgentIdStrict(input);
    if (!agentId) throw notFound(input);
  } else {
    agentId = operationDefaultAgentId(context.tree);
    if (!agentId) {
      throw new AgentsFailure(
        "Multiple agents are configured, but this operation has no explicit owner. Select an agent explicitly; CLI callers can pass --agent <id>, channels can add a binding, and ambient services can set their agentId target.",
      );
    }
  }
  if (!agentIds(context.tree).includes(agentId)) throw notFound(agentId);
  return agentId;
}

function specsOf(context: AgentsContext, agentId: string, values: string[] | undefined, empty: string): RouteBinding[] {
  const specs = (values ?? []).map((value) => value.trim()).filter(Boolean);
  if (specs.length === 0) throw new AgentsFailure(empty);
  const parsed = parseBindingSpecs(context.tree, agentId, specs);
  if (parsed.errors.length > 0) throw new AgentsFailure(parsed.errors.join("\n"));
  return parsed.bindings;
}

function printList(title: string, bindings: readonly RouteBinding[]): void {
  printLine(title);
  for (const binding of bindings) printLine(`- ${describeBinding(binding)}`);
}

/** `openclaw agents bindings [--agent <id>] [--json]`. */
export async function agentsBindings(options: GlobalOptions & AgentsBindFlags): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const filter = options.agent === undefined ? undefined : targetAgent(context, options.agent);
    const listed = routeBindings(context.tree).filter((binding) =>
      !filter || normalizeAgentId(binding.agentId) === filter
    );
    if (options.json) {
      printJson(listed.map((binding) => ({
        agentId: normalizeAgentId(binding.agentId),
        match: binding.match,
        description: describeBinding(binding),
      })));
      return 0;
    }
    if (listed.length === 0) {
      printLine(filter ? `No routing bindings for agent "${filter}".` : "No routing bindings.");
      return 0;
    }
    printLine(
      ["Routing bindings:", ...listed.map((b) => `- ${normalizeAgentId(b.agentId)} <- ${describeBinding(b)}`)].join(
        "\n",
      ),
    );
    return 0;
  });
}

/** `openclaw agents bind [--agent <id>] --bind <channel[:accountId]>… [--json]`. */
export async function agentsBind(options: GlobalOptions & AgentsBindFlags): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const agentId = targetAgent(context, options.agent);
    const bindings = specsOf(context, agentId, options.bind, "Provide at least one --bind <channel[:accountId]>.");
    const result = applyBindings(context.tree, bindings);
    if (result.added.length > 0 || result.updated.length > 0) {
      await commitAgents(context, result.tree, options.json === true);
    }
    const failed = result.conflicts.length > 0 ? 1 : 0;
    if (options.json) {
      printJson({
        agentId,
        added: result.added.map(describeBinding),
        updated: result.updated.map(describeBinding),
        skipped: result.skipped.map(describeBinding),
        conflicts: conflictLines(result.conflicts),
      });
      return failed;
    }
    if (result.added.length > 0) printList("Added bindings:", result.added);
    else if (result.updated.length === 0) printLine("No new bindings added.");
    if (result.updated.length > 0) printList("Updated bindings:", result.updated);
    if (result.skipped.length > 0) printList("Already present:", result.skipped);
    if (failed) {
      printError("Skipped bindings already claimed by another agent:");
      for (const line of conflictLines(result.conflicts)) printError(`- ${line}`);
    }
    return failed;
  });
}

/** `openclaw agents unbind [--agent <id>] (--bind <channel[:accountId]>… | --all) [--json]`. */
export async function agentsUnbind(options: GlobalOptions & AgentsBindFlags): Promise<number> {
  return await runAgents(options.json, async () => {
    const context = await loadAgentsContext(options);
    const agentId = targetAgent(context, options.agent);
    if (options.all && (options.bind?.length ?? 0) > 0) {
      throw new AgentsFailure("Use either --all or --bind, not both.");
    }
    if (options.all) {
      const routes = routeBindings(context.tree);
      const removed = routes.filter((binding) => normalizeAgentId(binding.agentId) === agentId);
      if (removed.length > 0) {
        const kept = Array.isArray(context.tree.bindings)
          ? context.tree.bindings.filter((binding) => !removed.includes(binding as RouteBinding))
          : [];
        await commitAgents(context, withBindings(context.tree, kept), options.json === true);
      }
      if (options.json) printJson({ agentId, removed: removed.map(describeBinding), missing: [], conflicts: [] });
      else if (removed.length === 0) printLine(`No bindings to remove for agent "${agentId}".`);
      else printLine(`Removed ${removed.length} binding(s) for "${agentId}".`);
      return 0;
    }
    const bindings = specsOf(
      context,
      agentId,
      options.bind,
      "Provide at least one --bind <channel[:accountId]> or use --all.",
    );
    const result = removeBindings(context.tree, bindings);
    if (result.removed.length > 0) await commitAgents(context, result.tree, options.json === true);
    const failed = result.conflicts.length > 0 ? 1 : 0;
    if (options.json) {
      printJson({
        agentId,
        removed: result.removed.map(describeBinding),
        missing: result.missing.map(describeBinding),
        conflicts: conflictLines(result.conflicts),
      });
      return failed;
    }
    if (result.removed.length > 0) printList("Removed bindings:", result.removed);
    else printLine("No bindings removed.");
    if (result.missing.length > 0) printList("Not found:", result.missing);
    if (failed) {
      printError("Bindings are owned by another agent:");
      for (const line of conflictLines(result.conflicts)) printError(`- ${line}`);
    }
    return failed;
  });
}
