// Where an agent's database lives, without opening it: importing this loads no SQLite (start-up reads it).

/** Agent ids that may name a directory (OpenClaw's normalized ids). */
const AGENT_DIR_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** An agent id that is not a valid id would have become part of a path. */
export class AgentDbIdError extends Error {
  constructor(agentId: string) {
    super(
      `Cannot open the database of agent ${
        JSON.stringify(agentId.slice(0, 80))
      }: not a valid agent id (use lowercase letters, digits, "_" and "-", at most 64)`,
    );
    this.name = "AgentDbIdError";
  }
}

/** The agent database's path relative to the state dir, as the global registry stores it. */
export function agentDbRelativePath(agentId: string): string {
  if (!AGENT_DIR_ID.test(agentId)) throw new AgentDbIdError(agentId);
  return `agents/${agentId}/agent/openclaw-agent.sqlite`;
}

/** Where an agent's database lives in a state dir. */
export function agentDbPath(stateDir: string, agentId: string): string {
  return `${stateDir}/${agentDbRelativePath(agentId)}`;
}

/** Whether the agent's database exists (without creating it). */
export function agentDbExists(stateDir: string, agentId: string): boolean {
  try {
    return Deno.statSync(agentDbPath(stateDir, agentId)).isFile;
  } catch {
    return false;
  }
}
