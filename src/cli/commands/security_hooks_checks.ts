// The audit's hooks and HTTP API checks, and the secrets it finds written in the config file,
// with the reference's checkIds, severities and words.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";

function trimmed(value: unknown): string {
  return typeof value === "string" ? value.trim() : "";
}

/** True when the gateway listens beyond loopback (no Tailscale Serve/Funnel runs here, so that is the only way). */
export function remotelyExposed(inputs: AuditInputs): boolean {
  return inputs.gateway.bind !== "loopback";
}

function tokenReuse(inputs: AuditInputs, token: string): AuditFinding | undefined {
  const { gateway } = inputs;
  const secret = gateway.authMode === "token" ? gateway.token : gateway.password;
  if (!token || gateway.authMode === "none" || trimmed(secret) !== token) return undefined;
  const password = gateway.authMode !== "token";
  // With --auth, a secret only the override supplies is the runtime's, which doctor cannot rotate.
  const fromOverride = gateway.configSecret !== undefined && trimmed(gateway.configSecret.value) !== token;
  return {
    checkId: "hooks.token_reuse_gateway_token",
    severity: "critical",
    title: `Hooks token reuses the ${password ? "Gateway password" : "Gateway token"}`,
    detail: password
      ? "hooks.token matches gateway.auth password; compromise of hooks expands blast radius to Gateway password auth."
      : "hooks.token matches gateway.auth token; compromise of hooks expands blast radius to the Gateway API.",
    remediation: fromOverride
      ? "Rotate hooks.token or the runtime Gateway shared-secret auth value used for this audit; doctor can only repair reuse that is present in persisted config or process env."
      : "Run openclaw doctor --fix to rotate a persisted hooks.token, then update external hook senders to use the new hook token.",
  };
}

/** `hooks.*`: token length and reuse, root path, session keys, agent routing (only with hooks enabled). */
export function hooksFindings(inputs: AuditInputs): AuditFinding[] {
  const hooks = inputs.raw.hooks;
  if (hooks?.enabled !== true) return [];
  const findings: AuditFinding[] = [];
  const token = trimmed(hooks.token);
  if (token && token.length < 24) {
    findings.push({
      checkId: "hooks.token_too_short",
      severity: "warn",
      title: "Hooks token looks short",
      detail: `hooks.token is ${token.length} chars; prefer a long random token.`,
    });
  }
  const reuse = tokenReuse(inputs, token);
  if (reuse) findings.push(reuse);
  if (trimmed(hooks.path) === "/") {
    findings.push({
      checkId: "hooks.path_root",
      severity: "critical",
      title: "Hooks base path is '/'",
      detail: "hooks.path='/' would shadow other HTTP endpoints and is unsafe.",
      remediation: "Use a dedicated path like '/hooks'.",
    });
  }
  const exposed = remotelyExposed(inputs) ? "critical" : "warn";
  if (!trimmed(hooks.defaultSessionKey)) {
    findings.push({
      checkId: "hooks.default_session_key_unset",
      severity: "warn",
      title: "hooks.defaultSessionKey is not configured",
      detail:
        "Hook agent runs without explicit sessionKey use generated per-request keys. Set hooks.defaultSessionKey to keep hook ingress scoped to a known session.",
      remediation: 'Set hooks.defaultSessionKey (for example, "hook:ingress").',
    });
  }
  const agentIds = hooks.allowedAgentIds?.map((id) => id.trim()).filter(Boolean);
  if (agentIds === undefined || agentIds.includes("*")) {
    findings.push({
      checkId: "hooks.allowed_agent_ids_unrestricted",
      severity: exposed,
      title: "Hook agent routing allows any configured agent",
      detail:
        "hooks.allowedAgentIds is unset or includes '*', so authenticated hook callers may route to any configured agent id, including the default agent when agentId is omitted.",
      remediation:
        'Set hooks.allowedAgentIds to an explicit allowlist (for example, ["hooks", "main"]) or [] to deny hook agent routing.',
    });
  }
  if (hooks.allowRequestSessionKey === true) {
    findings.push({
      checkId: "hooks.request_session_key_enabled",
      severity: exposed,
      title: "External hook payloads may override sessionKey",
      detail:
        "hooks.allowRequestSessionKey=true allows `/hooks/agent` callers to choose the session key. Treat hook token holders as full-trust unless you also restrict prefixes.",
      remediation: "Set hooks.allowRequestSessionKey=false (recommended) or constrain hooks.allowedSessionKeyPrefixes.",
    });
    if (!(hooks.allowedSessionKeyPrefixes ?? []).some((prefix) => prefix.trim() !== "")) {
      findings.push({
        checkId: "hooks.request_session_key_prefixes_missing",
        severity: exposed,
        title: "Request sessionKey override is enabled without prefix restrictions",
        detail:
          "hooks.allowRequestSessionKey=true and hooks.allowedSessionKeyPrefixes is unset/empty, so request payloads can target arbitrary session key shapes.",
        remediation: 'Set hooks.allowedSessionKeyPrefixes (for example, ["hook:"]) or disable request overrides.',
      });
    }
  }
  return findings;
}

/** `gateway.http.*`: APIs callable with auth mode none, and the session-key header of `/v1/*`. */
export function httpFindings(inputs: AuditInputs): AuditFinding[] {
  const endpoints = inputs.raw.gateway?.http?.endpoints;
  const chat = endpoints?.chatCompletions?.enabled === true;
  const responses = endpoints?.responses?.enabled === true;
  const findings: AuditFinding[] = [];
  if (inputs.gateway.authMode === "none") {
    const open = ["/tools/invoke", chat ? "/v1/chat/completions" : null, responses ? "/v1/responses" : null]
      .filter(Boolean);
    findings.push({
      checkId: "gateway.http.no_auth",
      severity: remotelyExposed(inputs) ? "critical" : "warn",
      title: "Gateway HTTP APIs are reachable without auth",
      detail: `gateway.auth.mode="none" leaves ${
        open.join(", ")
      } callable without a shared secret. Treat this as trusted-local only and avoid exposing the gateway beyond loopback.`,
      remediation:
        "Set gateway.auth.mode to token/password (recommended). If you intentionally keep mode=none, keep gateway.bind=loopback and disable optional HTTP endpoints/plugins.",
    });
  }
  if (chat || responses) {
    const enabled = [chat ? "/v1/chat/completions" : null, responses ? "/v1/responses" : null].filter(Boolean);
    findings.push({
      checkId: "gateway.http.session_key_override_enabled",
      severity: "info",
      title: "HTTP API session-key override is enabled",
      detail: `${
        enabled.join(", ")
      } accept x-openclaw-session-key for per-request session routing. Treat API credential holders as trusted principals.`,
    });
  }
  return findings;
}

/** `config.secrets.*`: a gateway password or an enabled hooks token written in the config file. */
export function secretsInConfigFindings(inputs: AuditInputs): AuditFinding[] {
  const { raw } = inputs;
  const findings: AuditFinding[] = [];
  if (trimmed(raw.gateway?.auth?.password)) {
    findings.push({
      checkId: "config.secrets.gateway_password_in_config",
      severity: "warn",
      title: "Gateway password is stored in config",
      detail:
        "gateway.auth.password is set in the config file; prefer environment variables for secrets when possible.",
      remediation: "Prefer OPENCLAW_GATEWAY_PASSWORD (env) and remove gateway.auth.password from disk.",
    });
  }
  if (raw.hooks?.enabled === true && trimmed(raw.hooks.token)) {
    findings.push({
      checkId: "config.secrets.hooks_token_in_config",
      severity: "info",
      title: "Hooks token is stored in config",
      detail: "hooks.token is set in the config file; keep config perms tight and treat it like an API secret.",
    });
  }
  return findings;
}
