/** The systemd unit name OpenClaw uses: `openclaw-gateway[-<profile>].service`. */
export function systemdUnitName(profile: string | undefined): string {
  return profile ? `openclaw-gateway-${profile}.service` : "openclaw-gateway.service";
}

/** The launchd label OpenClaw uses: `ai.openclaw.gateway`, or `ai.openclaw.<profile>`. */
export function launchdLabel(profile: string | undefined): string {
  return profile ? `ai.openclaw.${profile}` : "ai.openclaw.gateway";
}
