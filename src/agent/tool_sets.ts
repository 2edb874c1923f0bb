// An agent's tools kept between runs. Every run built all the catalog's families anew (16 tools, their
// closures, the file tools' module imports awaited each time) to offer the same tools again. A family
// here is built once per agent, config snapshot and scheduler, and rebuilt when any of them changes:
// - the config snapshot (`host.config()`, replaced whole by a reload): the file, patch and web fetch tools
//   read their settings from it when built, and the tool policy filters the catalog by it;
// - the agent (`AgentSpec`, a new object with every snapshot): its workspace, sandbox, memory and model;
// - the scheduler (`host.cron`, lent once the gateway is ready): the `automations` tool exists only then.
// The MCP family is never kept: a server's tools change with the server, not with the config, and its
// manager already keeps each connected server's list. Nor is any family outside the catalog (a test's).
import type { ResolvedConfig } from "../config/resolved.ts";
import type { AgentSpec } from "./agents_config.ts";
import { mcpToolFamily } from "./mcp_tools.ts";
import type { CronControl } from "./cron_control.ts";
import type { AgentTool, ToolFamily, ToolHost } from "./tool.ts";
import { firstOfEachName, policyAllowedTools, TOOL_FAMILIES } from "./tool_catalog.ts";

/** The catalog's families whose tools depend only on the config snapshot, the agent and the scheduler. */
export const KEPT_FAMILIES: ReadonlySet<ToolFamily> = new Set(
  TOOL_FAMILIES.filter((family) => family !== mcpToolFamily),
);

interface Kept {
  host: ToolHost;
  config: ResolvedConfig;
  cron: CronControl | undefined;
  families: readonly ToolFamily[];
  /** Each family's tools, in `families` order; undefined for a family built on every run. */
  built: (AgentTool[] | undefined)[];
  /** The policy-filtered union, while no family built per run offers a tool. */
  offered?: AgentTool[];
}

/** The kept tools by agent (a snapshot's agents go with it), for the life of the run engine. */
export type ToolSets = WeakMap<AgentSpec, Kept>;

/**
 * The tools an agent's run is offered, as `agentTools` (tool_catalog.ts) builds them: every family's in order,
 * a name two families give offered once (the first's), filtered by the tool policy in force. Kept families
 * come from `sets` while the snapshot, the agent and the scheduler are the ones they were built with.
 */
export async function keptAgentTools(
  sets: ToolSets,
  host: ToolHost,
  agent: AgentSpec,
  families: readonly ToolFamily[] = TOOL_FAMILIES,
): Promise<AgentTool[]> {
  const config = host.config();
  const cron = host.cron;
  let kept = sets.get(agent);
  if (!kept || kept.host !== host || kept.config !== config || kept.cron !== cron || kept.families !== families) {
    const built = await Promise.all(
      families.map((family) => KEPT_FAMILIES.has(family) ? family(host, agent) : undefined),
    );
    kept = { host, config, cron, families, built };
    sets.set(agent, kept);
  }
  const { built } = kept;
  const tools = await Promise.all(families.map((family, i) => built[i] ?? family(host, agent)));
  const onlyKept = tools.every((list, i) => built[i] !== undefined || list.length === 0);
  if (onlyKept && kept.offered) return [...kept.offered];
  const offered = policyAllowedTools(firstOfEachName(tools), config, agent.id);
  if (onlyKept) kept.offered = offered;
  return [...offered];
}
