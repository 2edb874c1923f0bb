import type { ConfigSnapshot } from "../config/load.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ResolvedGatewayConfig } from "../config/resolve.ts";
import type { ConfigReloadStatus } from "../rpc/methods/health.ts";
import type { BindRetry } from "./listener.ts";

/** The secrets in force for this run, after the stored token was loaded or generated. */
export interface EffectiveSecrets {
  token: string | undefined;
  password: string | undefined;
}

/** Everything {@link Gateway.start} needs. */
export interface GatewayStartOptions {
  config: ResolvedGatewayConfig;
  snapshot: ConfigSnapshot;
  env: EnvSnapshot;
  secrets: EffectiveSecrets;
  /** The log file `logs.tail` reads. */
  logFile(): string;
  /**
   * Asks the process to restart the gateway in place (what SIGUSR2 does), for `reason` (`config.apply` when none);
   * `handled` is called once the process has acted on it (restarted, or kept the config in force).
   */
  requestRestart(reason?: string, handled?: () => void): void;
  /** Who holds the reference's gateway lock for this run (the target a restart request must name). */
  lockIdentity?: (() => { pid: number; ownerId: string; port: number } | undefined) | undefined;
  /** Tells the process the config file was written over RPC, so it reloads like any edit. */
  configWritten(): Promise<void>;
  /** Re-resolves the config in force (its SecretRefs read afresh); `apply` applies the result hot. */
  reloadSecrets(): Promise<{ warningCount: number; apply(): Promise<void> }>;
  /** Where config reload stands, for `health`. */
  reloadStatus(): ConfigReloadStatus;
  /** Resolves a config snapshot as this run's reloads do (config.set's reload preview). */
  resolve?: ((snapshot: ConfigSnapshot) => ResolvedGatewayConfig) | undefined;
  bindRetry?: BindRetry | undefined;
  /** Bound on waiting for in-flight HTTP requests at stop. */
  drainTimeoutMs?: number | undefined;
}
