// The config write methods (config.set, config.patch, config.apply) and the one pipeline they share:
// serialized, hash-guarded, validated in full, atomic, followed by the reload preview.
import JSON5 from "json5";
import { changedPaths } from "../../config/diff.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, json5SyntaxIssue, loadConfig, parseConfigText, sha256Hex } from "../../config/load.ts";
import { applyRestartNeed, planConfigReload, type ReloadPlan, type ReloadView } from "../../config/reload_plan.ts";
import { type ReloadMode, resolveReloadView } from "../../config/resolve.ts";
import { redactConfig } from "../../config/redact.ts";
import { ConfigChangedError, writeConfigFile, writeTextAtomic } from "../../config/write.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { configRestartNote, type ConfigWriteMethod, restartDelayMs } from "../config_restart_note.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { ConfigDeps } from "./config.ts";
import { configWriteQueue } from "./config_write_queue.ts";
import { mergePatch, restoreRawText, restoreRedacted } from "./config_tree_edits.ts";

/** The config file a read or write starts from: its snapshot, or the ConfigError that refused it with the file's text. */
export async function readForEdit(deps: ConfigDeps): Promise<ConfigSnapshot | { error: ConfigError; source: string }> {
  try {
    return await (deps.read ?? loadConfig)(deps.path, deps.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const source = await Deno.readTextFile(deps.path).catch(() => "");
    return { error, source };
  }
}

function parseRaw(raw: string, what: string): unknown {
  try {
    return JSON5.parse(raw);
  } catch (error) {
    // Located as load.ts locates it, so a client can point at the same line of its own text.
    const issue = json5SyntaxIssue(raw, error);
    throw new RpcError("INVALID_REQUEST", `invalid ${what}: ${issue.message}`, {
      details: { code: "INVALID_CONFIG", issues: [issue] },
    });
  }
}

/**
 * What the reload that follows a write will do, for the writer to show: the runner's own decision
 * ({@link planConfigReload}) over the same resolved values. A config that does not resolve is
 * skipped by the runner, so nothing is applied.
 */
function reloadPreview(
  resolve: (snapshot: ConfigSnapshot) => ReloadView,
  before: ConfigSnapshot | undefined,
  after: ConfigSnapshot,
): { reload: ReloadPlan; mode: ReloadMode | undefined; changed: string[] } {
  const changed = changedPaths(before?.authored ?? {}, after.authored);
  let next: ReloadView;
  try {
    next = resolve(after);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { reload: { action: "ignore", hot: [], restart: [], none: changed }, mode: undefined, changed };
  }
  // No readable config before the write: nothing was in force to compare the auth mode with.
  let current = next;
  try {
    if (before) current = resolve(before);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  return { reload: planConfigReload({ current, next, changed }), mode: next.reload.mode, changed };
}

/**
 * `config.set`, `config.patch`, `config.apply`. Every write is validated in full before it touches
 * the disk, guarded by the hash the client read, atomic, and serialized, so two clients cannot
 * interleave partial edits.
 */
export function configWriteMethods(deps: ConfigDeps): MethodTable {
  const serialized = deps.queue ?? configWriteQueue();

  const write = (input: {
    params: { raw: string; baseHash?: string };
    build: (
      current: ConfigSnapshot | undefined,
    ) => { text: string; tree: unknown; verbatim: boolean; unchanged?: boolean };
    method: string;
  }) =>
    serialized(async () => {
      const current = await readForEdit(deps);
      const snapshot = "error" in current ? undefined : current;
      const currentHash = snapshot?.hash;
      const exists = snapshot ? snapshot.exists : true;
      if (exists) {
        if (input.params.baseHash === undefined) {
          // The reference's words (its clients re-read on them).
          throw new RpcError("INVALID_REQUEST", "config base hash required; re-run config.get and retry");
        }
        if (currentHash !== undefined && input.params.baseHash !== currentHash) {
          throw new RpcError("INVALID_REQUEST", "config changed since last load; re-run config.get and retry", {
            details: { code: "CONFIG_HASH_MISMATCH", currentHash },
          });
        }
      }
      const next = input.build(snapshot);
      // Nothing to change: the file (its comments and layout) stays as it is, as the reference's no-op patch.
      if (next.unchanged && snapshot?.exists) return { written: snapshot, noop: true as const };
      try {
        await parseConfigText(next.text, { path: deps.path, env: deps.env });
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new RpcError("INVALID_REQUEST", error.message, {
          details: { code: "INVALID_CONFIG", issues: error.issues },
        });
      }
      // The text was built from `current`: a hand edit landing before the rename refuses the write
      // (checked again just before the rename) instead of being replaced.
      const expectedHash = await sha256Hex(current.source);
      try {
        // A tree whose text validated as a config is an object, so the second branch always takes it.
        if (!next.verbatim && isJsonObject(next.tree)) await writeConfigFile(deps.path, next.tree, { expectedHash });
        else await writeTextAtomic(deps.path, next.text, { mode: 0o600, backup: true, expectedHash });
      } catch (error) {
        if (!(error instanceof ConfigChangedError)) throw error;
        const now = await Deno.readTextFile(deps.path).catch(() => "");
        throw new RpcError("INVALID_REQUEST", "config changed since last load; re-run config.get and retry", {
          details: { code: "CONFIG_HASH_MISMATCH", currentHash: await sha256Hex(now) },
        });
      }
      const written = await loadConfig(deps.path, deps.env);
      const resolve = deps.resolve ??
        ((s: ConfigSnapshot) =>
          resolveReloadView({ config: s.config, env: deps.env, readSecretFile: (p) => Deno.readTextFileSync(p) }));
      const preview = reloadPreview(resolve, snapshot, written);
      const applied = deps.written(written);
      // As the reference: a change the reload applies in place is in force when the write is answered; a restart is
      // not waited for (it waits for this answer, the request being work in progress).
      if (preview.reload.action !== "restart") await applied;
      return { written, ...preview };
    });

  /**
   * What follows a `config.apply` or `config.patch` write, as the reference's: a restart of its own when reloading
   * is off and the change has something to apply (after the request's delay, through the gateway's restart
   * scheduler), and the restart note; `reload` is this gateway's preview, as `config.set` answers it.
   */
  const restartAfter = async (
    method: ConfigWriteMethod,
    params: Record<string, unknown>,
    result: { written: ConfigSnapshot; reload: ReloadPlan; mode: ReloadMode | undefined },
  ) => {
    const need = applyRestartNeed(result.reload, result.mode);
    const restart = need.scheduleRestart
      ? await deps.scheduleRestart({ reason: method, delayMs: restartDelayMs(params.restartDelayMs) })
      : undefined;
    const payload = configRestartNote({
      method,
      params,
      configPath: result.written.path,
      requiresRestart: need.requiresRestart,
      now: Date.now(),
    });
    // Not kept: this gateway sends no message to the session after a restart.
    return { ...(restart ? { restart } : {}), sentinel: { persisted: false, payload }, reload: result.reload };
  };

  const replaceWhole = (params: { raw: string }, current: ConfigSnapshot | undefined) => {
    const tree = parseRaw(params.raw, "config");
    const { value, restored } = restoreRedacted(tree, current?.authored);
    // Keep the operator's text (comments included): secrets are put back in place, value by value.
    if (!restored) return { text: params.raw, tree, verbatim: true };
    const text = restoreRawText(params.raw, value);
    return text === undefined
      ? { text: `${JSON.stringify(value, null, 2)}\n`, tree: value, verbatim: false }
      : { text, tree: value, verbatim: true };
  };

  return {
    "config.set": validated("operator.admin", "validateConfigSetParams", async ({ params: p }) => {
      // Never a no-op here (replaceWhole does not compare): the reference's config.set always writes.
      const result = await write({ params: p, method: "config.set", build: (c) => replaceWhole(p, c) });
      const { written } = result;
      const reload = "reload" in result ? result.reload : undefined;
      return { ok: true, path: written.path, hash: written.hash, config: redactConfig(written.config), reload };
    }),
    "config.patch": validated("operator.admin", "validateConfigPatchParams", async ({ params: p }) => {
      const patch = parseRaw(p.raw, "config patch");
      if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
        throw new RpcError("INVALID_REQUEST", "invalid config patch: must be an object");
      }
      const result = await write({
        params: p,
        method: "config.patch",
        build: (current) => {
          const merged = mergePatch(current?.authored ?? {}, patch);
          const { value } = restoreRedacted(merged, current?.authored);
          const unchanged = changedPaths(current?.authored ?? {}, value).length === 0;
          return { text: `${JSON.stringify(value, null, 2)}\n`, tree: value, verbatim: false, unchanged };
        },
      });
      const { written } = result;
      const answer = { ok: true, path: written.path, hash: written.hash, config: redactConfig(written.config) };
      // The reference's no-op answer (it leaves out the hash; the one in force is kept here for the caller's next write).
      if ("noop" in result) return { ...answer, noop: true, changedPaths: [] };
      return { ...answer, changedPaths: result.changed, ...await restartAfter("config.patch", p, result) };
    }),
    // The whole file replaced, then applied as any write is (the reload that follows it).
    "config.apply": validated("operator.admin", "validateConfigApplyParams", async ({ params: p }) => {
      const result = await write({ params: p, method: "config.apply", build: (c) => replaceWhole(p, c) });
      const { written } = result;
      const answer = { ok: true, path: written.path, hash: written.hash, config: redactConfig(written.config) };
      return "noop" in result ? answer : { ...answer, ...await restartAfter("config.apply", p, result) };
    }),
  };
}
