// Which agent stores a `sessions` command works on (`--store`, `--agent`, `--all-agents`), as the
// reference's session-store-targets resolve them, and the refusal it words when a selector is wrong.
import { pathExists } from "../../config/paths.ts";
import { agentDbPath } from "../../state/agent_db_path.ts";
import { sessionStoreProblem } from "../../state/session_entries_read.ts";

/** A refusal the reference words this way; `block` marks one its generic failure handler prints. */
export class SessionsCliError extends Error {
  constructor(message: string, readonly block = false) {
    super(message);
    this.name = "SessionsCliError";
  }
}

/** One agent store a sessions command reads: its agent and its SQLite file. */
export interface Target {
  agentId: string;
  path: string;
}

/**
 * The SQLite file a `--store` selector names: a `.sqlite` path itself; an agent's legacy
 * `agents/<id>/sessions/sessions.json` that agent's `agents/<id>/agent/openclaw-agent.sqlite`, as the
 * reference resolves it; else `openclaw-agent.sqlite` beside it.
 */
function storeTarget(selector: string): { path: string; display: string } {
  const absolute = selector.startsWith("/") ? selector : `${Deno.cwd()}/${selector.replace(/^\.\//, "")}`;
  if (absolute.endsWith(".sqlite")) return { path: absolute, display: absolute };
  const parts = absolute.split("/");
  const legacy = parts.length >= 5 && parts.at(-1) === "sessions.json" && parts.at(-2) === "sessions" &&
    parts.at(-4) === "agents";
  const path = legacy
    ? `${parts.slice(0, -2).join("/")}/agent/openclaw-agent.sqlite`
    : `${absolute.slice(0, absolute.lastIndexOf("/"))}/openclaw-agent.sqlite`;
  return { path, display: `${path} (resolved from --store ${JSON.stringify(selector)})` };
}

/**
 * The stores `--store`, `--agent` and `--all-agents` select, as the reference resolves them; refusals are
 * {@link SessionsCliError}s in its words.
 */
export async function selectTargets(
  options: { store?: string | undefined; agent?: string | undefined; allAgents?: boolean | undefined },
  stateDir: string,
  agents: string[],
  defaultId: string,
): Promise<Target[]> {
  if (options.store !== undefined && options.allAgents) {
    throw new SessionsCliError("--store cannot be combined with --all-agents");
  }
  let agentId = defaultId;
  if (options.agent !== undefined) {
    const wanted = options.agent.trim().toLowerCase();
    if (!agents.includes(wanted)) {
      throw new SessionsCliError(
        `Unknown agent id ${JSON.stringify(options.agent.trim())}. Run openclaw agents list to see configured agents.`,
      );
    }
    agentId = wanted;
  }
  if (options.allAgents) return agents.map((id) => ({ agentId: id, path: agentDbPath(stateDir, id) }));
  if (options.store === undefined) return [{ agentId, path: agentDbPath(stateDir, agentId) }];
  const { path, display } = storeTarget(options.store);
  if (!pathExists(path)) {
    throw new SessionsCliError(
      `Session store target does not exist: ${display}. Pass a selector whose resolved SQLite target exists.`,
    );
  }
  if (!(await Deno.stat(path)).isFile) {
    throw new SessionsCliError(
      `Session store target is not a regular file: ${display}. Pass a selector whose resolved SQLite target is a regular file.`,
    );
  }
  const problem = await sessionStoreProblem(path);
  if (problem !== undefined) {
    throw new SessionsCliError(
      `Session store target is not a session store: ${display}. ${problem}. Pass a legacy store selector or SQLite target reported by openclaw sessions or openclaw status.`,
    );
  }
  return [{ agentId, path }];
}
