// The config methods: config.get and config.schema read here; the writes live in
// config_write_methods.ts, the tree edits they make in config_tree_edits.ts.
import { z } from "zod";
import type { ConfigSnapshot, loadConfig } from "../../config/load.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import type { ReloadView } from "../../config/reload_plan.ts";
import { redactConfig, redactRawText } from "../../config/redact.ts";
import { RawConfigSchema } from "../../config/schema.ts";
import { emptyParams, type MethodTable } from "../registry.ts";
import { configWriteMethods, readForEdit } from "./config_write_methods.ts";

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
    ...configWriteMethods(deps),
  };
}
