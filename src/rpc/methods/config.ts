import JSON5 from "json5";
import { z } from "zod";
import { changedPaths } from "../../config/diff.ts";
import { ConfigError } from "../../config/errors.ts";
import { type ConfigSnapshot, json5SyntaxIssue, loadConfig, parseConfigText } from "../../config/load.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { planReload, type ReloadPlan } from "../../config/reload_plan.ts";
import { RawConfigSchema } from "../../config/schema.ts";
import { writeConfigFile, writeTextAtomic } from "../../config/write.ts";
import { RpcError } from "../errors.ts";
import { emptyParams, type MethodTable } from "../registry.ts";

/** What `config.get` shows in place of a secret; writing it back keeps the stored secret. */
export const REDACTED = "__OPENCLAW_REDACTED__";

const SECRET_KEY = /^(token|password|apiKey|api_key|secret|botToken|accessToken|refreshToken|clientSecret)$/i;

/** Dependencies of the config methods. */
export interface ConfigDeps {
  path: string;
  env: EnvSnapshot;
  version: string;
  /** Called after every successful write with the new snapshot (broadcasts `config.changed`). */
  written(snapshot: ConfigSnapshot): void;
  /** Asks the gateway to restart in place after `delayMs` (for `config.apply`). */
  requestRestart(delayMs: number): void;
}

/** Replaces secret values in a config tree with {@link REDACTED}. */
export function redactConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactConfig);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // A SecretRef object names where the secret lives, not the secret: it stays visible.
    out[key] = SECRET_KEY.test(key) && typeof child === "string" ? REDACTED : redactConfig(child);
  }
  return out;
}

function secretLiterals(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => secretLiterals(v, into));
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (SECRET_KEY.test(key) && typeof child === "string" && child !== "" && !child.startsWith("${")) {
        into.add(child);
      } else secretLiterals(child, into);
    }
  }
  return into;
}

/** Redacts secret literals in the file text, so `raw` never carries a credential. */
export function redactRaw(raw: string, authored: unknown): string {
  let out = raw;
  for (const secret of secretLiterals(authored)) out = out.split(secret).join(REDACTED);
  return out;
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
    raw: redactRaw(snapshot.source, snapshot.authored),
    parsed: redactConfig(snapshot.authored),
    config: redactConfig(snapshot.config),
    hash: snapshot.hash,
    valid: true,
    issues: [],
    warnings: [],
  };
}

/** What the reload that follows a write will do, for the writer to show (the runner decides the same way). */
function reloadPreview(before: ConfigSnapshot | undefined, after: ConfigSnapshot): ReloadPlan {
  const gatewayOf = (snapshot: ConfigSnapshot | undefined) => snapshot?.config.gateway ?? {};
  return planReload({
    mode: gatewayOf(after).reload?.mode ?? "hybrid",
    changed: changedPaths(before?.authored ?? {}, after.authored),
    authModeChanged: gatewayOf(before).auth?.mode !== gatewayOf(after).auth?.mode,
  });
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
      return await loadConfig(deps.path, deps.env);
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
      if (next.verbatim) await writeTextAtomic(deps.path, next.text, { mode: 0o600, backup: true });
      else await writeConfigFile(deps.path, next.tree as Record<string, unknown>);
      const written = await loadConfig(deps.path, deps.env);
      deps.written(written);
      return { written, reload: reloadPreview(snapshot, written) };
    });

  const replaceWhole = (params: { raw: string }, current: ConfigSnapshot | undefined) => {
    const tree = parseRaw(params.raw, "config");
    const { value, restored } = restoreRedacted(tree, current?.authored);
    // Keep the operator's text (comments included) unless secrets had to be put back.
    return restored === 0
      ? { text: params.raw, tree, verbatim: true }
      : { text: `${JSON.stringify(value, null, 2)}\n`, tree: value, verbatim: false };
  };

  return {
    "config.get": {
      scope: "operator.read",
      validator: "validateConfigGetParams",
      handler: async () => {
        const current = await load();
        if (!("error" in current)) return describe(current);
        return {
          path: deps.path,
          exists: true,
          raw: current.source,
          parsed: null,
          config: null,
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
