// The audit's gateway checks (bind, auth, secrets, Control UI, proxies, HTTP APIs, dangerous
// flags), with the reference's checkIds, severities and words. Where this gateway is safer than the
// reference by default (a token it generates and stores, rate limiting always on, forwarded
// headers refused from untrusted proxies), the finding follows what this gateway does.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { envTokenConflict, secretStrengthFindings, trustedProxyFindings } from "./security_auth_checks.ts";
import { dangerousFlags } from "./security_flags.ts";
import { DEFAULT_HTTP_TOOL_DENY, normalizeToolName } from "../../server/runtime_policy_view.ts";

// The tool-name aliases /tools/invoke resolves in gateway.tools.allow (src/agent/tool_policy.ts):
// "bash" re-enables exec there as "exec" does.

function strictLoopbackProxy(entry: string): boolean {
  const value = entry.trim().toLowerCase();
  return value === "127.0.0.1" || value === "::1" || value === "127.0.0.1/32" || value === "::1/128";
}

function exposureFindings(inputs: AuditInputs, exposed: boolean): AuditFinding[] {
  const { gateway } = inputs;
  const findings: AuditFinding[] = [];
  // The names `/tools/invoke` compares: its own aliases (`bash` is exec) and its default deny list.
  const allow = new Set((inputs.raw.gateway?.tools?.allow ?? []).map(normalizeToolName));
  const reenabled = DEFAULT_HTTP_TOOL_DENY.filter((name) => allow.has(name));
  if (reenabled.length > 0) {
    findings.push({
      checkId: "gateway.tools_invoke_http.dangerous_allow",
      severity: exposed ? "critical" : "warn",
      title: "Gateway HTTP /tools/invoke re-enables dangerous tools",
      detail: `gateway.tools.allow includes ${
        reenabled.join(", ")
      } which removes them from the default HTTP deny list. This can allow remote session spawning / control-plane actions via HTTP and increases RCE blast radius if the gateway is reachable.`,
      remediation:
        "Remove these entries from gateway.tools.allow (recommended). If you keep them enabled, keep gateway.bind loopback-only (or tailnet-only), restrict network exposure, and treat the gateway token/password as full-admin.",
    });
  }
  if (exposed && !gateway.hasAuth) {
    findings.push({
      checkId: "gateway.bind_no_auth",
      severity: "critical",
      title: "Gateway binds beyond loopback without auth",
      detail: `gateway.bind="${gateway.bind}" but no gateway.auth token/password is configured.`,
      remediation: "Set gateway.auth (token recommended) or bind to loopback.",
    });
  }
  const conflict = envTokenConflict(inputs);
  if (conflict) findings.push(conflict);
  // The reference's gateway.trusted_proxies_missing is not raised: this gateway refuses forwarded
  // headers from any peer outside gateway.trustedProxies (403), so they cannot be spoofed.
  if (!exposed && gateway.controlUiEnabled && gateway.authMode === "none") {
    findings.push({
      checkId: "gateway.loopback_no_auth",
      severity: "critical",
      title: "Gateway auth missing on loopback",
      detail:
        "gateway.bind is loopback but no gateway auth secret is configured. If the Control UI is exposed through a reverse proxy, unauthenticated access is possible.",
      remediation: "Set gateway.auth (token recommended) or keep the Control UI local-only.",
    });
  }
  return findings;
}

// Not raised, unlike the reference: gateway.control_ui.allowed_origins_required (without a list
// this gateway accepts a browser only from its own origin under a name DNS rebinding cannot claim:
// an IP literal, localhost, .local, .ts.net) and gateway.control_ui.host_header_origin_fallback
// (dangerouslyAllowHostHeaderOriginFallback is accepted but not acted on: origin checks stay strict).
function controlUiFindings(inputs: AuditInputs, exposed: boolean): AuditFinding[] {
  const origins = (inputs.raw.gateway?.controlUi?.allowedOrigins ?? []).map((origin) => origin.trim());
  if (!origins.includes("*")) return [];
  return [{
    checkId: "gateway.control_ui.allowed_origins_wildcard",
    severity: exposed ? "critical" : "warn",
    title: "Control UI allowed origins contains wildcard",
    detail:
      'gateway.controlUi.allowedOrigins includes "*" which means allow any browser origin for Control UI/WebChat requests. This disables origin allowlisting and should be treated as an intentional allow-all policy.',
    remediation:
      'Replace wildcard origins with explicit trusted origins (for example https://control.example.com). Do not use "*" outside tightly controlled local testing.',
  }];
}

function networkFindings(inputs: AuditInputs, exposed: boolean): AuditFinding[] {
  const { gateway, raw } = inputs;
  const findings: AuditFinding[] = [];
  if (raw.gateway?.allowRealIpFallback === true) {
    const remoteProxy = gateway.trustedProxies.some((proxy) => !strictLoopbackProxy(proxy));
    findings.push({
      checkId: "gateway.real_ip_fallback_enabled",
      severity: exposed || (gateway.authMode === "trusted-proxy" && remoteProxy) ? "critical" : "warn",
      title: "X-Real-IP fallback is enabled",
      detail:
        "gateway.allowRealIpFallback=true trusts X-Real-IP when trusted proxies omit X-Forwarded-For. Misconfigured proxies that forward client-supplied X-Real-IP can spoof source IP and local-client checks.",
      remediation:
        "Keep gateway.allowRealIpFallback=false (default). Only enable this when your trusted proxy always overwrites X-Real-IP and cannot provide X-Forwarded-For.",
    });
  }
  // Not raised, unlike the reference: discovery.mdns_full_mode and gateway.tailscale_funnel/_serve.
  // This gateway publishes no mDNS records and runs no Tailscale Serve/Funnel, whatever those keys say.
  return findings;
}

/** `gateway.*` and the Control UI checks, in the reference's order. */
export function gatewayConfigFindings(inputs: AuditInputs): AuditFinding[] {
  const exposed = inputs.gateway.bind !== "loopback";
  const findings = [
    ...exposureFindings(inputs, exposed),
    ...controlUiFindings(inputs, exposed),
    ...networkFindings(inputs, exposed),
  ];
  for (const flag of dangerousFlags(inputs)) {
    findings.push({
      checkId: "config.insecure_or_dangerous_flags",
      severity: "warn",
      title: "Insecure or dangerous config flag enabled",
      detail: `Detected enabled flag: ${flag}.`,
      remediation:
        "Disable this flag when not actively debugging, or keep deployment scoped to trusted/local-only networks.",
    });
  }
  findings.push(...secretStrengthFindings(inputs), ...trustedProxyFindings(inputs));
  // No gateway.auth_no_rate_limit: this gateway rate-limits failed credentials whether or not
  // gateway.auth.rateLimit is written (10 per minute, then 5 minutes; docs/security.md).
  return findings;
}
