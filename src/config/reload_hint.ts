// The hint `openclaw config set|unset|patch` print after a write: what the gateway's own reload
// planner (reload_plan.ts) will do with the new file, in the reference's three sentences.
import { changedPaths } from "./diff.ts";
import { ConfigError } from "./errors.ts";
import type { EnvSnapshot } from "./paths.ts";
import { planConfigReload, type ReloadView } from "./reload_plan.ts";
import { resolveReloadView } from "./resolve.ts";
import type { RawConfig } from "./schema.ts";

/** The three hints the reference prints after a committed write. */
export type ReloadHint =
  | "Restart the gateway to apply."
  | "Change will apply without restarting the gateway."
  | "No gateway restart needed.";

function view(config: RawConfig, env: EnvSnapshot): ReloadView | undefined {
  try {
    return resolveReloadView({ config, env, readSecretFile: (path) => Deno.readTextFileSync(path) });
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

/**
 * The hint for a change from `before` to `after` (authored trees, and the validated configs the
 * running gateway would resolve): what the gateway's reload runner will do with the new file.
 */
export function reloadHint(
  before: { authored: unknown; config: RawConfig },
  after: { authored: unknown; config: RawConfig },
  env: EnvSnapshot,
): ReloadHint {
  const changed = changedPaths(before.authored, after.authored);
  if (changed.length === 0) return "No gateway restart needed.";
  const next = view(after.config, env);
  // A config the runner cannot resolve is not applied in place; only a restart (after a fix) takes it.
  if (!next) return "Restart the gateway to apply.";
  const plan = planConfigReload({ current: view(before.config, env) ?? next, next, changed });
  switch (plan.action) {
    case "hot":
      return "Change will apply without restarting the gateway.";
    case "none":
      return "No gateway restart needed.";
    case "ignore":
      // `gateway.reload.mode: "off"`: anything the running gateway reads waits for a restart.
      return plan.hot.length + plan.restart.length > 0 ? "Restart the gateway to apply." : "No gateway restart needed.";
    default:
      return "Restart the gateway to apply.";
  }
}
