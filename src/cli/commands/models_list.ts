// `openclaw models list [--all] [--local] [--provider <id>] [--json|--plain]`: the configured model
// catalog and the built-in providers' static rows (src/config/model_catalog_view.ts) in the
// reference's table, lines or `{count, models}`. Read from the config on this machine, as the
// reference reads its local catalog when no gateway runs.
import { type CatalogRow, catalogRows, UnknownCatalogProvider } from "../../config/model_catalog_view.ts";
import { referenceConfig } from "../../config/model_status_defaults.ts";
import { resolvePaths } from "../../config/paths.ts";
import { keyAvailability } from "../../config/built_in_catalog.ts";
import type { ProfileStore } from "../../config/provider_credentials.ts";
import { AuthProfileStoreError } from "../../state/auth_profile_store.ts";
import { readAuthStore } from "./models_auth_store.ts";
import { lockOwner } from "../../server/instance_lock.ts";
import type { GlobalOptions } from "../main.ts";
import { printError, printJson, printLine } from "../output.ts";
import { jsonFailure } from "./config_common.ts";
import { checkOutputFlags, failGenerically, loadModelsContext, runModels } from "./models_common.ts";

/** Flags of `models list`. */
export interface ModelsListFlags extends GlobalOptions {
  all?: boolean;
  local?: boolean;
  provider?: string;
  json?: boolean;
  plain?: boolean;
}

/** The reference's compact token label: `-`, a plain count under 1000, else rounded thousands `k`. */
export function tokenK(value: number | null | undefined): string {
  if (!value || !Number.isFinite(value)) return "-";
  return value < 1000 ? `${Math.round(value)}` : `${Math.round(value / 1000)}k`;
}

function cut(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 3)}...`;
}

function yesNo(value: boolean | null): string {
  return value === null ? "-" : value ? "yes" : "no";
}

/** The reference's fixed-width table (Model 42, Input 10, Ctx 11, Local 5, Auth 5, Tags). */
export function tableLines(rows: readonly CatalogRow[]): string[] {
  const header = [
    "Model".padEnd(42),
    "Input".padEnd(10),
    "Ctx".padEnd(11),
    "Local".padEnd(5),
    "Auth".padEnd(5),
    "Tags",
  ];
  return [
    header.join(" "),
    ...rows.map((row) => {
      const ctx = row.contextTokens !== undefined && row.contextTokens !== row.contextWindow
        ? `${tokenK(row.contextTokens)}/${tokenK(row.contextWindow)}`
        : tokenK(row.contextWindow);
      return [
        cut(row.key, 42).padEnd(42),
        (row.input || "-").padEnd(10),
        ctx.padEnd(11),
        yesNo(row.local).padEnd(5),
        yesNo(row.available).padEnd(5),
        row.tags.join(","),
      ].join(" ");
    }),
  ];
}

/** The auth-profile store; one it cannot read counts as empty (the listing answers, `models status` names the damage). */
function storeOrEmpty(stateDir: string): ProfileStore {
  try {
    return readAuthStore(stateDir).store;
  } catch (error) {
    if (!(error instanceof AuthProfileStoreError)) throw error;
    return { profiles: {} };
  }
}

/** Runs `models list`. */
export function modelsList(flags: ModelsListFlags): Promise<number> {
  return runModels(async () => {
    checkOutputFlags(flags);
    const raw = flags.provider?.trim();
    if (raw && /\s/u.test(raw)) {
      const message = `Invalid provider filter "${raw}". Use a provider id such as "moonshot", not a display label.`;
      // An expected refusal: its words alone on stderr, the envelope on stdout with `--json` (recorded).
      if (flags.json) printJson(jsonFailure(message));
      printError(message);
      return 1;
    }
    const context = await loadModelsContext(flags);
    const { stateDir } = resolvePaths({ env: context.env, profile: flags.profile, dev: flags.dev });
    // The reference says where the rows come from when no gateway holds the state dir.
    if (!(await lockOwner(stateDir))) {
      printError(
        "Gateway is not running. Showing the local cached model catalog. Use --refresh to discover provider models.",
      );
    }
    let rows: CatalogRow[];
    try {
      const config = context.snapshot.config;
      rows = catalogRows(referenceConfig(config, (name) => context.env[name]), {
        all: flags.all === true,
        provider: raw || undefined,
        auth: keyAvailability(config, { store: () => storeOrEmpty(stateDir), env: (name) => context.env[name] }),
      });
    } catch (error) {
      if (error instanceof UnknownCatalogProvider) return failGenerically(error.message, flags.json);
      throw error;
    }
    if (flags.local) rows = rows.filter((row) => row.local === true);
    if (flags.json) printJson({ count: rows.length, models: rows });
    else if (rows.length === 0 && !flags.plain) printLine("No models found.");
    else if (flags.plain) { for (const row of rows) printLine(row.key); }
    else for (const line of tableLines(rows)) printLine(line);
    return 0;
  }, flags.json);
}
