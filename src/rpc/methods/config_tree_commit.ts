// The gateway's one config write queue, and the edit the methods that change config as a side effect
// (agents.create/update/delete) make through it: the file as written, changed by a pure edit, validated in
// full, written atomically with `.bak`, then reloaded like a hand edit. No base hash from the client: the
// edit is applied to the file as it is when its turn comes, as the reference's config mutations are.
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, loadConfig, parseConfigText, sha256Hex } from "../../config/load.ts";
import { ConfigChangedError, writeConfigFile } from "../../config/write.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { RpcError } from "../errors.ts";
import type { ConfigWriteQueue } from "./config_write_queue.ts";

/** What an edit of the config needs: where it lives, the env it resolves with, and who hears of a write. */
export interface ConfigCommitDeps {
  path: string;
  env: EnvSnapshot;
  queue: ConfigWriteQueue;
  /** Called with the new snapshot after the write (broadcasts `config.changed`, reloads); awaited. */
  written(snapshot: ConfigSnapshot): void | Promise<void>;
}

/** One edit: the next tree (undefined: nothing to write) and what the caller answers with. */
export interface TreeEdit<T> {
  tree?: Record<string, unknown> | undefined;
  result: T;
}

/** Hand edits landing between our read and our rename: re-read and re-apply this many times before giving up. */
const ATTEMPTS = 3;

/**
 * Applies `edit` to the config as written and commits it, then waits for the gateway to run with it. The
 * edit may refuse by throwing; it runs again when a hand edit lands between the read and the rename, so
 * what it does besides building the tree (seeding a workspace) must be safe to repeat.
 */
export function commitConfigEdit<T>(
  deps: ConfigCommitDeps,
  edit: (tree: Record<string, unknown>, snapshot: ConfigSnapshot) => TreeEdit<T> | Promise<TreeEdit<T>>,
): Promise<{ result: T; written?: ConfigSnapshot }> {
  return deps.queue(async () => {
    for (let attempt = 1;; attempt++) {
      let current: ConfigSnapshot;
      try {
        current = await loadConfig(deps.path, deps.env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new RpcError(
          "INVALID_REQUEST",
          `${error.message}; fix the config file (openclaw doctor --fix), then retry`,
        );
      }
      const next = await edit(structuredClone(current.authored), current);
      if (!next.tree) return { result: next.result };
      try {
        await parseConfigText(JSON.stringify(next.tree), { path: deps.path, env: deps.env });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new RpcError("INVALID_REQUEST", error.message, {
          details: { code: "INVALID_CONFIG", issues: error.issues },
        });
      }
      try {
        await writeConfigFile(deps.path, next.tree, { expectedHash: await sha256Hex(current.source) });
      } catch (error) {
        if (!(error instanceof ConfigChangedError)) throw error;
        if (attempt < ATTEMPTS) continue;
        throw new RpcError("UNAVAILABLE", "the config file kept changing while this edit was written; retry");
      }
      const written = await loadConfig(deps.path, deps.env);
      // The edit answers once the gateway runs with it (an agent just created can be listed at once).
      await deps.written(written);
      return { result: next.result, written };
    }
  });
}
