import JSON5 from "json5";
import { z } from "zod";
import { changedPaths } from "../../config/diff.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, json5SyntaxIssue, loadConfig, parseConfigText, sha256Hex } from "../../config/load.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { planConfigReload, type ReloadPlan, type ReloadView } from "../../config/reload_plan.ts";
import { resolveReloadView } from "../../config/resolve.ts";
import { redactConfig, REDACTED, redactRawText, replaceStringValues } from "../../config/redact.ts";
import { RawConfigSchema } from "../../config/schema.ts";
import { ConfigChangedError, writeConfigFile, writeTextAtomic } from "../../config/write.ts";
import { RpcError } from "../errors.ts";
import { emptyParams, type MethodTable } from "../registry.ts";

/** Dependencies of the config methods. */
export interface ConfigDeps {
  path: string;
  env: EnvSnapshot;
  version: string;
  /** Called after every successful write with the new snapshot (broadcasts `config.changed`). */
  written(snapshot: ConfigSnapshot): void;
  /** Asks the gateway to restart in place after `delayMs` (for `config.apply`). */
  requestRestart(delayMs: number): void;
  /** Reads the file a write starts from (default {@link loadConfig}); a seam to land an edit after the read. */
  read?: typeof loadConfig;
  /**
   * Resolves a snapshot as the runner will (its flags and env applied); the reload preview reads
   * these values, never the raw file. Default: this file's values and `env`, no flags.
   */
  resolve?: ((snapshot: ConfigSnapshot) => ReloadView) | undefined;
}

/** Puts stored secrets back where a client wrote {@link REDACTED}; counts how many it restored. */
export function restoreRedacted(
  next: unknown,
  current: unknown,
  path: string[] = [],
): { value: unknown; restored: number } {
  if (next === REDACTED) {
    if (typeof current !== "string") {
      throw new RpcError(
        "INVALID_REQUEST",
        `${path.join(".")} is ${REDACTED} but no stored value exists there; write the real value`,
      );
    }
    return { value: current, restored: 1 };
  }
  if (Array.isArray(next)) {
    let restored = 0;
    const value = next.map((item, i) => {
      const r = restoreRedacted(item, Array.isArray(current) ? current[i] : undefined, [...path, String(i)]);
      restored += r.restored;
      return r.value;
    });
    return { value, restored };
  }
  if (next !== null && typeof next === "object") {
    let restored = 0;
    const value: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(next)) {
      const r = restoreRedacted(
        child,
        current && typeof current === "object" ? (current as Record<string, unknown>)[key] : undefined,
        [...path, key],
      );
      restored += r.restored;
      value[key] = r.value;
    }
    return { value, restored };
  }
  return { value: next, restored: 0 };
}

/** RFC 7396 merge patch: objects merge, `null` deletes, everything else (arrays too) replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const base: Record<string, unknown> = target && typeof target === "object" && !Array.isArray(target)
    ? { ...(target as Record<string, unknown>) }
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key];
    else base[key] = mergePatch(base[key], value);
  }
  return base;
}

function valueAt(tree: unknown, path: (string | number)[]): unknown {
  let node = tree;
  for (const key of path) node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/**
 * `raw` as the client sent it with each {@link REDACTED} value replaced in place by the stored
 * secret, or undefined when that cannot be shown to give exactly `restored` (then the caller
 * writes the tree as JSON).
 */
function restoreRawText(raw: string, restored: unknown): string | undefined {
  const replaced = replaceStringValues(raw, (path, literal) => {
    if (literal.slice(1, -1) !== REDACTED) return undefined;
    const value = valueAt(restored, path);
    return typeof value === "string" ? value : undefined;
  });
  if (!replaced) return undefined;
  try {
    return JSON.stringify(JSON5.parse(replaced.text)) === JSON.stringify(restored) ? replaced.text : undefined;
  } catch {
    return undefined;
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

function describe(snapshot: ConfigSnapshot) {
  return {
    path: snapshot.path,
    exists: snapshot.exists,
    raw: redactRawText(snapshot.source, snapshot.authored),
    parsed: redactConfig(snapshot.authored),
    config: redactConfig(snapshot.config),
    hash: snapshot.hash,
    valid: true,
    issues: [],
    warnings: [],
  };
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
): ReloadPlan {
  const changed = changedPaths(before?.authored ?? {}, after.authored);
  let next: ReloadView;
  try {
    next = resolve(after);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { action: "ignore", hot: [], restart: [], none: changed };
  }
  // No readable config before the write: nothing was in force to compare the auth mode with.
  let current = next;
  try {
    if (before) current = resolve(before);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
  return planConfigReload({ current, next, changed });
}

/**
 * `config.get`, `config.schema`, `config.set`, `config.patch`, `config.apply`. Every write is
 * validated in full before it touches the disk, guarded by the hash the client read, atomic,
 * and serialized, so two clients cannot interleave partial edits.
 */
export function configMethods(deps: ConfigDeps): MethodTable {
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };

  const load = async (): Promise<ConfigSnapshot | { error: ConfigError; source: string }> => {
    try {
      return await (deps.read ?? loadConfig)(deps.path, deps.env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const source = await Deno.readTextFile(deps.path).catch(() => "");
      return { error, source };
    }
  };

  const write = (input: {
    params: { raw: string; baseHash?: string };
    build: (current: ConfigSnapshot | undefined) => { text: string; tree: unknown; verbatim: boolean };
    method: string;
  }) =>
    serialized(async () => {
      const current = await load();
      const snapshot = "error" in current ? undefined : current;
      const currentHash = snapshot?.hash;
      const exists = snapshot ? snapshot.exists : true;
      if (exists) {
        if (input.params.baseHash === undefined) {
          throw new RpcError(
            "INVALID_REQUEST",
            `${input.method} requires baseHash: read the config with config.get and pass its hash`,
          );
        }
        if (currentHash !== undefined && input.params.baseHash !== currentHash) {
          throw new RpcError("INVALID_REQUEST", "config changed since last load; re-run config.get and retry", {
            details: { code: "CONFIG_HASH_MISMATCH", currentHash },
          });
        }
      }
      const next = input.build(snapshot);
      try {
        parseConfigText(next.text, { path: deps.path, env: deps.env });
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
        if (next.verbatim) await writeTextAtomic(deps.path, next.text, { mode: 0o600, backup: true, expectedHash });
        else await writeConfigFile(deps.path, next.tree as Record<string, unknown>, { expectedHash });
      } catch (error) {
        if (!(error instanceof ConfigChangedError)) throw error;
        const now = await Deno.readTextFile(deps.path).catch(() => "");
        throw new RpcError("INVALID_REQUEST", "config changed since last load; re-run config.get and retry", {
          details: { code: "CONFIG_HASH_MISMATCH", currentHash: await sha256Hex(now) },
        });
      }
      const written = await loadConfig(deps.path, deps.env);
      deps.written(written);
      const resolve = deps.resolve ??
        ((s: ConfigSnapshot) =>
          resolveReloadView({ config: s.config, env: deps.env, readSecretFile: (p) => Deno.readTextFileSync(p) }));
      return { written, reload: reloadPreview(resolve, snapshot, written) };
    });

  const replaceWhole = (params: { raw: string }, current: ConfigSnapshot | undefined) => {
    const tree = parseRaw(params.raw, "config");
    const { value, restored } = restoreRedacted(tree, current?.authored);
    // Keep the operator's text (comments included): secrets are put back in place, value by value.
    if (restored === 0) return { text: params.raw, tree, verbatim: true };
    const text = restoreRawText(params.raw, value);
    return text === undefined
      ? { text: `${JSON.stringify(value, null, 2)}\n`, tree: value, verbatim: false }
      : { text, tree: value, verbatim: true };
  };

  return {
    "config.get": {
      scope: "operator.read",
      validator: "validateConfigGetParams",
      handler: async () => {
        const current = await load();
        if (!("error" in current)) return describe(current);
        // An invalid file cannot be redacted with certainty (its secrets may sit where no schema
        // or parser finds them), so its content is withheld, as the reference does; the issues
        // say what to fix.
        return {
          path: deps.path,
          exists: true,
          raw: null,
          parsed: null,
          config: {},
          hash: null,
          valid: false,
          issues: current.error.issues,
          warnings: [],
        };
      },
    },
    "config.schema": {
      scope: "operator.read",
      check: emptyParams,
      handler: () => ({
        schema: z.toJSONSchema(RawConfigSchema, { unrepresentable: "any" }),
        uiHints: {},
        version: deps.version,
        generatedAt: new Date().toISOString(),
      }),
    },
    "config.set": {
      scope: "operator.admin",
      validator: "validateConfigSetParams",
      handler: async ({ params }) => {
        const p = params as { raw: string; baseHash?: string };
        const { written, reload } = await write({
          params: p,
          method: "config.set",
          build: (c) => replaceWhole(p, c),
        });
        return { ok: true, path: written.path, hash: written.hash, config: redactConfig(written.config), reload };
      },
    },
    "config.patch": {
      scope: "operator.admin",
      validator: "validateConfigPatchParams",
      handler: async ({ params }) => {
        const p = params as { raw: string; baseHash?: string };
        const patch = parseRaw(p.raw, "config patch");
        if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
          throw new RpcError("INVALID_REQUEST", "invalid config patch: must be an object");
        }
        const { written, reload } = await write({
          params: p,
          method: "config.patch",
          build: (current) => {
            const merged = mergePatch(current?.authored ?? {}, patch);
            const { value } = restoreRedacted(merged, current?.authored);
            return { text: `${JSON.stringify(value, null, 2)}\n`, tree: value, verbatim: false };
          },
        });
        return { ok: true, path: written.path, hash: written.hash, config: redactConfig(written.config), reload };
      },
    },
    "config.apply": {
      scope: "operator.admin",
      validator: "validateConfigApplyParams",
      handler: async ({ params }) => {
        const p = params as { raw: string; baseHash?: string; restartDelayMs?: number };
        const { written } = await write({ params: p, method: "config.apply", build: (c) => replaceWhole(p, c) });
        const delayMs = Math.max(0, p.restartDelayMs ?? 0);
        deps.requestRestart(delayMs);
        return {
          ok: true,
          path: written.path,
          hash: written.hash,
          config: redactConfig(written.config),
          restart: { scheduled: true, delayMs },
        };
      },
    },
  };
}
