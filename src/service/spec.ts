import type { EnvSnapshot, GatewayPaths } from "../config/paths.ts";
import type { UnitSpec } from "./systemd.ts";

/**
 * The unit spec for this install: resolved port and profile pinned; state dir and config path
 * pinned only when the operator moved them with OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH (the
 * defaults follow from HOME and the profile, so a canonical install stays portable). A system
 * unit runs as `$USER`, else `$LOGNAME`, else the installing OS account (`osUser`: root under
 * sudo -i or a bare root shell, where neither variable is set).
 */
export function buildUnitSpec(input: {
  paths: GatewayPaths;
  env: EnvSnapshot;
  port: number;
  command: string[];
  system?: boolean | undefined;
  osUser?: string | undefined;
}): UnitSpec {
  const system = input.system ?? false;
  return {
    command: input.command,
    profile: input.paths.profile,
    port: input.port,
    home: input.paths.home,
    stateDir: input.env.OPENCLAW_STATE_DIR ? input.paths.stateDir : undefined,
    configPath: input.env.OPENCLAW_CONFIG_PATH ? input.paths.configPath : undefined,
    path: input.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
    system,
    user: system ? input.env.USER || input.env.LOGNAME || input.osUser : undefined,
  };
}
