import type { UnitSpec } from "./systemd.ts";

/**
 * The environment every service definition sets, in order: home and PATH, the profile and
 * any moved paths, the pinned port, then the manager's own name key and OpenClaw's markers.
 */
export function unitEnvironment(spec: UnitSpec, nameKey: [string, string]): [string, string][] {
  const optional: [string, string | undefined][] = [
    ["OPENCLAW_PROFILE", spec.profile],
    ["OPENCLAW_STATE_DIR", spec.stateDir],
    ["OPENCLAW_CONFIG_PATH", spec.configPath],
  ];
  return [
    ["HOME", spec.home],
    ["PATH", spec.path],
    ...optional.filter((entry): entry is [string, string] => entry[1] !== undefined),
    ["OPENCLAW_GATEWAY_PORT", String(spec.port)],
    nameKey,
    ["OPENCLAW_SERVICE_MARKER", "openclaw"],
    ["OPENCLAW_SERVICE_KIND", "gateway"],
  ];
}
