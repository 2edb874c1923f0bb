// Whether an agent workspace's first-run setup is complete, as the reference records it in the shared state
// database (`workspace_setup_state.setup_completed_at`, keyed by the SHA-256 of the workspace path, with
// `workspace_path_aliases` mapping other spellings of it). The Control UI hides BOOTSTRAP.md once it is.
import type { DatabaseSync } from "node:sqlite";
import { sha256Hex } from "../config/config_hash.ts";

/** The workspace's keys: its path as given and, when it exists, as the file system resolves it. */
async function workspaceKeys(dir: string): Promise<string[]> {
  const spellings = new Set([dir]);
  try {
    spellings.add(await Deno.realPath(dir));
  } catch {
    // Not there (yet): only the path as given can have a row.
  }
  return await Promise.all([...spellings].map((path) => sha256Hex(path)));
}

/** True when the reference marked the workspace's setup complete; false when nothing is recorded. */
export async function workspaceSetupCompleted(db: DatabaseSync, dir: string): Promise<boolean> {
  const keys = await workspaceKeys(dir);
  const marks = keys.map(() => "?").join(", ");
  const row = db.prepare(
    `SELECT setup_completed_at AS done FROM workspace_setup_state WHERE workspace_key IN (${marks}) ` +
      `UNION ALL SELECT s.setup_completed_at FROM workspace_path_aliases a ` +
      `JOIN workspace_setup_state s ON s.workspace_key = a.workspace_key WHERE a.alias_key IN (${marks})`,
  ).all(...keys, ...keys) as { done: string | null }[];
  return row.some((r) => typeof r.done === "string" && r.done.trim() !== "");
}
