// The config methods: config.get and config.schema read here; the writes live in
// config_write_methods.ts, the tree edits they make in config_tree_edits.ts.
import type { ConfigSnapshot, loadConfig } from "../../config/load.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import type { ReloadView } from "../../config/reload_plan.ts";
import { redactConfig, redactRawText } from "../../config/redact.ts";
import { emptyParams, type MethodTable } from "../registry.ts";
import type { ScheduledRestart } from "../restart_scheduler.ts";
import { configWriteMethods, readForEdit } from "./config_write_methods.ts";
import type { ConfigWriteQueue } from "./config_write_queue.ts";

/** Dependencies of the config methods. */
export interface ConfigDeps {
  path: string;
  env: EnvSnapshot;
  version: string;
  /**
   * Called after every successful write with the new snapshot (broadcasts `config.changed`, reloads); settles once
   * the reload has acted on it (or its wait is over).
   */
  written(snapshot: ConfigSnapshot): void | Promise<void>;
  /** The hash of the config the gateway runs with (null without a file), for `config.get.appliedConfigHash`. */
  appliedHash?: (() => string | null) | undefined;
  /**
   * Schedules a restart in place after `delayMs` through the gateway's restart scheduler (a `config.apply` with
   * reloading off): it waits for work in progress and joins a restart already pending, as the reference's does.
   */
  scheduleRestart(input: { reason: string; delayMs: number }): Promise<ScheduledRestart>;
  /** Reads the file a write starts from (default {@link loadConfig}); a seam to land an edit after the read. */
  read?: typeof loadConfig;
  /**
   * Resolves a snapshot as the runner will (its flags and env applied); the reload preview reads
   * these values, never the raw file. Default: this file's values and `env`, no flags.
   */
  resolve?: ((snapshot: ConfigSnapshot) => ReloadView) | undefined;
  /** The gateway's config write queue, shared with every other method that writes the file (default: its own). */
  queue?: ConfigWriteQueue | undefined;
}

/**
 * `config.get` in the reference's key order. This gateway refuses `$include` (so nothing is
 * included from elsewhere) and applies no defaults to the file, so the source and resolved views
 * are the file as written and after `${VAR}` substitution, and the runtime view is the latter.
 */
export function describeConfig(snapshot: ConfigSnapshot, appliedHash: string | null) {
  const resolved = redactConfig(snapshot.config);
  return {
    path: snapshot.path,
    includedPaths: [],
    includeProvenance: [],
    agentRosterIncludeOwned: false,
    bindingsIncludeOwned: false,
    exists: snapshot.exists,
    raw: redactRawText(snapshot.source, snapshot.authored),
    parsed: redactConfig(snapshot.authored),
    sourceConfig: redactConfig(snapshot.authored),
    resolved,
    valid: true,
    runtimeConfig: resolved,
    config: resolved,
    hash: snapshot.hash,
    issues: [],
    warnings: [],
    legacyIssues: [],
    configRevisionHash: snapshot.hash,
    appliedConfigHash: appliedHash,
  };
}

/**
 * `config.get`, `config.schema`, and the writes ({@link configWriteMethods}): `config.set`,
 * `config.patch`, `config.apply`.
 */
export function configMethods(deps: ConfigDeps): MethodTable {
  return {
    "config.get": {
      scope: "operator.read",
      validator: "validateConfigGetParams",
      handler: async () => {
        const current = await readForEdit(deps);
        const applied = deps.appliedHash?.() ?? null;
        if (!("error" in current)) return describeConfig(current, applied);
        // An invalid file cannot be redacted with certainty (its secrets may sit where no schema
        // or parser finds them), so its content is withheld, as the reference does; the issues
        // say what to fix.
        return {
          path: deps.path,
          includedPaths: [],
          includeProvenance: [],
          agentRosterIncludeOwned: false,
          bindingsIncludeOwned: false,
          exists: true,
          raw: null,
          parsed: null,
          sourceConfig: {},
          resolved: {},
          valid: false,
          runtimeConfig: {},
          config: {},
          hash: null,
          issues: current.error.issues,
          warnings: [],
          legacyIssues: [],
          configRevisionHash: null,
          appliedConfigHash: applied,
        };
      },
    },
    "config.schema": {
      scope: "operator.read",
      check: emptyParams,
      // The JSON Schema is built from the zod schema, loaded with the first request (not at start).
      handler: async () => ({
        schema: (await import("../../config/json_schema.ts")).configJsonSchema(),
        uiHints: {},
        version: deps.version,
        generatedAt: new Date().toISOString(),
      }),
    },
    ...configWriteMethods(deps),
  };
}
