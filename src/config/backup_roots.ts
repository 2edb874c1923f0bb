// The roots a full backup archive takes from the config, as the reference discovers them: each
// configured agent's directory (`agents.list[].agentDir`, else `<state>/agents/<id>/agent`) and
// each agent's workspace.
import { expandHome } from "./paths.ts";
import { resolveAgents } from "./resolve_agents.ts";
import type { RawConfig } from "./schema.ts";

/** Configured agent roots and workspace directories, `~` expanded. */
export interface BackupRoots {
  agentRoots: { agentId: string; sourcePath: string }[];
  workspaceDirs: string[];
}

/** Resolves the backup roots of `config` for the state dir `stateDir`. */
export function backupRoots(config: RawConfig, stateDir: string, home: string): BackupRoots {
  const section = config.agents as { list?: unknown } | undefined;
  const list = Array.isArray(section?.list) ? section.list as { id?: unknown; agentDir?: unknown }[] : [];
  const agents = resolveAgents(config, stateDir, home).agents;
  const agentRoots = agents.map((agent) => {
    const custom = list.find((entry) => entry?.id === agent.id)?.agentDir;
    return {
      agentId: agent.id,
      sourcePath: typeof custom === "string" && custom.trim()
        ? expandHome(custom.trim(), home)
        : `${stateDir}/agents/${agent.id}/agent`,
    };
  });
  return { agentRoots, workspaceDirs: [...new Set(agents.map((agent) => agent.workspace))] };
}
