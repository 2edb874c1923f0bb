import type { ConfigSnapshot } from "../config/load.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import { configuredUpdateChannel, mainSessionSettings } from "../config/client_facts.ts";
import type { HelloSnapshot } from "../protocol/handlers.ts";

/** The `hello-ok.snapshot` fields that follow from the config in force (all but the live ones). */
export type HelloFacts = Omit<HelloSnapshot, "presence" | "health" | "uptimeMs">;

/**
 * What `hello-ok.snapshot` says about the config in force: its hash, the default agent's main
 * session (`session.mainKey`, `session.scope`, as the reference reads them), the update schedule
 * (this gateway never updates itself) and, for admins, where config and state live.
 */
export function helloFacts(config: ResolvedConfig, snapshot: ConfigSnapshot): HelloFacts {
  const { agents } = config;
  const { mainKey, scope } = mainSessionSettings(snapshot.config);
  return {
    appliedConfigHash: snapshot.exists ? snapshot.hash : null,
    sessionDefaults: {
      defaultAgentId: agents.defaultAgentId,
      modelConfigured: agents.agents.some((a) => a.isDefault && a.model !== undefined),
      // One agent is always the default here, so no client has to pick one.
      ownership: "sole",
      selectionRequired: false,
      mainKey,
      mainSessionKey: scope === "global" ? "global" : `agent:${agents.defaultAgentId}:${mainKey}`,
      scope,
    },
    updateSchedule: { channel: configuredUpdateChannel(snapshot.config) ?? "stable", autoEnabled: false },
    configPath: config.paths.configPath,
    stateDir: config.paths.stateDir,
    authMode: config.auth.mode,
  };
}
