// `openclaw sessions export-trajectory`: writes a redacted trajectory bundle of one stored session into
// `<workspace>/.openclaw/trajectory-exports/<name>/`, offline (no gateway), as the reference's command:
// the session found by `--session-key` in its agent's database, the bundle built by
// sessions/trajectory_export.ts, the summary printed as text or `--json`. Refusals are the reference's
// sentences on stderr (and its JSON failure on stdout with `--json`), exit 1. Recorded in
// tests/fixtures/trajectory/reference_export.json.
import { type EnvSnapshot, pathExists, resolvePaths } from "../../config/paths.ts";
import { exportTrajectory, formatExportSummary, TrajectoryExportError } from "../../server/local_trajectory_export.ts";
import { readStoredSessions } from "../../state/session_entries_read.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { jsonFailure } from "./config_common.ts";
import { rowContext } from "./sessions_list.ts";
import { selectTargets, SessionsCliError } from "./sessions_targets.ts";
import { decodeTrajectoryRequest } from "./trajectory_request.ts";

/** Flags of `openclaw sessions export-trajectory` (the parent's `--store`, `--agent`, `--json` merged in). */
export interface ExportTrajectoryOptions extends GlobalOptions {
  sessionKey?: string;
  output?: string;
  workspace?: string;
  store?: string;
  agent?: string;
  json?: boolean;
  /** A whole request as base64url JSON (what the reference's `/export-trajectory` runs); its fields win. */
  requestJsonBase64?: string;
}

/** The agent a session key names (`agent:<id>:…`), else the default agent, as the reference resolves it. */
export function agentOfSessionKey(key: string, defaultAgentId: string): string {
  const parts = key.trim().toLowerCase().split(":");
  return parts[0] === "agent" && parts.length >= 3 && parts[1] && parts.slice(2).join(":") ? parts[1] : defaultAgentId;
}

function withRequest(options: ExportTrajectoryOptions): ExportTrajectoryOptions {
  const encoded = options.requestJsonBase64;
  if (encoded === undefined || encoded.length === 0) return options;
  try {
    return { ...options, ...decodeTrajectoryRequest(encoded) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SessionsCliError(`Failed to decode trajectory export request: ${reason}`);
  }
}

async function run(given: ExportTrajectoryOptions): Promise<number> {
  const options = withRequest(given);
  const sessionKey = options.sessionKey?.trim();
  if (!sessionKey) throw new SessionsCliError("--session-key is required. Run openclaw sessions to choose a session.");
  if (options.agent !== undefined && !options.agent.trim()) throw new SessionsCliError("--agent must not be blank");
  if (options.store !== undefined && !options.store.trim()) throw new SessionsCliError("--store must not be blank");
  const env: EnvSnapshot = Deno.env.toObject();
  const paths = resolvePaths({ env, profile: options.profile, dev: options.dev, exists: pathExists });
  const { agents } = await rowContext(paths, env);
  const [target] = await selectTargets(
    { store: options.store, agent: options.agent ?? agentOfSessionKey(sessionKey, agents.defaultAgentId) },
    paths.stateDir,
    [...agents.agents.map((a) => a.id), agentOfSessionKey(sessionKey, agents.defaultAgentId)],
    agents.defaultAgentId,
  );
  const stored = target ? await readStoredSessions(target.path) : undefined;
  const entry = stored?.entries.find((e) => e.sessionKey === sessionKey)?.entry;
  const sessionId = typeof entry?.sessionId === "string" ? entry.sessionId : "";
  if (!target || !sessionId) {
    throw new SessionsCliError(`Session not found: ${sessionKey}. Run openclaw sessions to see available sessions.`);
  }
  let summary;
  try {
    summary = await exportTrajectory({
      storePath: target.path,
      sessionId,
      sessionKey,
      workspaceDir: options.workspace ?? Deno.cwd(),
      output: options.output,
      stateDir: paths.stateDir,
      home: env.HOME,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SessionsCliError(`Failed to export trajectory: ${reason}`);
  }
  if (options.json) printJson(summary);
  else printLine(formatExportSummary(summary));
  return 0;
}

/** `openclaw sessions export-trajectory`: exit 0 with the summary, 1 with the reference's refusal. */
export async function sessionsExportTrajectory(options: ExportTrajectoryOptions): Promise<number> {
  try {
    return await run(options);
  } catch (error) {
    if (!(error instanceof SessionsCliError) && !(error instanceof TrajectoryExportError)) throw error;
    if (options.json) printJson(jsonFailure(error.message));
    printError(error.message);
    return 1;
  }
}
