// The audit's checks of the gateway's shared secret: placeholder and short values, an
// OPENCLAW_GATEWAY_TOKEN that differs from gateway.auth.token, and trusted-proxy mode (which this
// gateway refuses), with the reference's checkIds and words.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";

const PLACEHOLDERS = new Set(["", "undefined", "null"]);

/** True for a shared secret the gateway refuses at start: blank or the stringified undefined/null. */
function isPlaceholder(value: unknown): boolean {
  return typeof value === "string" && PLACEHOLDERS.has(value.trim().toLowerCase());
}

/** `gateway.env_token_overrides_config`: OPENCLAW_GATEWAY_TOKEN differs from the configured token, which wins. */
export function envTokenConflict(inputs: AuditInputs): AuditFinding | undefined {
  const { env, raw } = inputs;
  const envToken = env.OPENCLAW_GATEWAY_TOKEN?.trim();
  if (!envToken || env.OPENCLAW_SERVICE_KIND?.trim() === "gateway" || raw.gateway?.mode === "remote") return undefined;
  const mode = raw.gateway?.auth?.mode;
  if (mode === "password" || mode === "none" || mode === "trusted-proxy") return undefined;
  const input = raw.gateway?.auth?.token;
  if (typeof input === "object" && input !== null && input.source === "env" && input.id === "OPENCLAW_GATEWAY_TOKEN") {
    return undefined;
  }
  const configured = typeof input === "string" ? input.trim() : undefined;
  if (typeof input !== "object" && !configured) return undefined;
  if (configured === envToken) return undefined;
  const name = "OPENCLAW_GATEWAY_TOKEN";
  return {
    checkId: "gateway.env_token_overrides_config",
    severity: "warn",
    title: `${name} conflicts with gateway.auth.token`,
    detail:
      `${name} is set while gateway.auth.token uses a different configured source. Configured local Gateway clients and the managed gateway service prefer gateway.auth.token. Environment credentials remain active for explicit environment URL and node-host targets, so a stale value can still authenticate against the wrong target.`,
    remediation:
      `Remove ${name} from the shell, ~/.openclaw/.env, or launchctl env if gateway.auth.token is intended, or point gateway.auth.token at \${${name}} if the env var should be canonical.`,
  };
}

/** `gateway.trusted_proxy_auth`: this gateway does not serve trusted-proxy auth and refuses to start with it. */
export function trustedProxyFindings(inputs: AuditInputs): AuditFinding[] {
  if (inputs.gateway.authMode !== "trusted-proxy") return [];
  return [{
    checkId: "gateway.trusted_proxy_auth",
    severity: "critical",
    title: "Trusted-proxy auth mode enabled",
    detail:
      'gateway.auth.mode="trusted-proxy" is not supported by this gateway: it refuses to start with it, so nothing is served until the mode is changed.',
    remediation:
      'Set gateway.auth.mode to "token" or "password" and keep your reverse proxy in front of it, listed in gateway.trustedProxies.',
  }];
}

/** `gateway.token_*` / `gateway.password_*`: the selected secret is a placeholder or shorter than 24 characters. */
export function secretStrengthFindings(inputs: AuditInputs): AuditFinding[] {
  const { gateway } = inputs;
  const findings: AuditFinding[] = [];
  for (const credential of ["token", "password"] as const) {
    if (gateway.authMode !== credential) continue;
    const input = credential === "token" ? gateway.token : gateway.password;
    if (isPlaceholder(input)) {
      findings.push({
        checkId: `gateway.${credential}_placeholder_value`,
        severity: "critical",
        title: `Gateway ${credential} is a blank or undefined/null placeholder`,
        detail: `The selected Gateway ${credential} is a known non-secret value. Gateway startup rejects it.`,
        remediation: credential === "token"
          ? "Run `openclaw doctor --fix --generate-gateway-token` for an inline token; otherwise rotate its external secret source. Restart the Gateway afterward."
          : "Generate a real secret (for example, `openssl rand -hex 32`) and update OPENCLAW_GATEWAY_PASSWORD or gateway.auth.password (or its external source). Restart the Gateway afterward.",
      });
      continue;
    }
    const value = typeof input === "string" ? input.trim() : "";
    if (value && value.length < 24) {
      findings.push({
        checkId: `gateway.${credential}_too_short`,
        severity: "warn",
        title: `Gateway ${credential} looks short`,
        detail: `gateway auth ${credential} is ${value.length} chars; prefer a long random ${credential}.`,
      });
    }
  }
  return findings;
}
