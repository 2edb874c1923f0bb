// The audit's gateway, hooks and channel DM rules, in process: which config raises which checkId at
// which severity, how suppressions match, and what --fix changes in the config tree.
import assert from "node:assert/strict";
import { type AuditInputs, auditInputs } from "../../../src/cli/commands/security_inputs.ts";
import { gatewayConfigFindings } from "../../../src/cli/commands/security_gateway_checks.ts";
import { hooksFindings, httpFindings } from "../../../src/cli/commands/security_hooks_checks.ts";
import { channelDmFindings } from "../../../src/cli/commands/security_trust_checks.ts";
import { applySuppressions, type AuditFinding } from "../../../src/cli/commands/security_findings.ts";
import { allowlistOpenGroups } from "../../../src/cli/commands/security_fix.ts";

function inputs(raw: unknown, extra: { env?: Record<string, string>; storedToken?: string } = {}): AuditInputs {
  return auditInputs({
    raw: raw as AuditInputs["raw"],
    env: extra.env ?? {},
    stateDir: "/nonexistent/.openclaw",
    configPath: "/nonexistent/.openclaw/openclaw.json",
    storedToken: extra.storedToken,
    override: undefined,
  });
}

const ids = (findings: AuditFinding[]) => findings.map((f) => `${f.checkId}:${f.severity}`);

Deno.test("gateway: placeholder and short secrets, bind without auth, origins", () => {
  assert.deepEqual(ids(gatewayConfigFindings(inputs({ gateway: { auth: { token: "undefined" } } }))), [
    "gateway.token_placeholder_value:critical",
  ]);
  assert.deepEqual(
    ids(gatewayConfigFindings(inputs({ gateway: { auth: { mode: "password", password: "hunter2" } } }))),
    [
      "gateway.password_too_short:warn",
    ],
  );
  // A LAN bind starts only with a configured or stored secret.
  assert.deepEqual(ids(gatewayConfigFindings(inputs({ gateway: { bind: "lan" } }))), [
    "gateway.bind_no_auth:critical",
  ], "no allowed_origins_required: without a list only the gateway's own rebinding-safe origin is accepted");
  assert.deepEqual(
    ids(gatewayConfigFindings(inputs({ gateway: { bind: "lan", controlUi: { enabled: false } } }, {
      storedToken: "a".repeat(64),
    }))),
    [],
  );
  const fallback = {
    bind: "lan",
    auth: { token: "t".repeat(30) },
    controlUi: { dangerouslyAllowHostHeaderOriginFallback: true },
  };
  assert.deepEqual(
    ids(gatewayConfigFindings(inputs({ gateway: fallback }))),
    [],
    "the fallback flag is not acted on here",
  );
  // On loopback token mode is always safe here: a token is generated and stored at start.
  assert.deepEqual(ids(gatewayConfigFindings(inputs({}))), []);
  assert.deepEqual(ids(gatewayConfigFindings(inputs({ gateway: { auth: { mode: "none" } } }))), [
    "gateway.loopback_no_auth:critical",
  ]);
  assert.deepEqual(ids(httpFindings(inputs({ gateway: { auth: { mode: "none" }, bind: "lan" } }))), [
    "gateway.http.no_auth:critical",
  ]);
  assert.deepEqual(ids(gatewayConfigFindings(inputs({ gateway: { auth: { mode: "trusted-proxy" } } }))), [
    "gateway.trusted_proxy_auth:critical",
  ]);
});

Deno.test("gateway: OPENCLAW_GATEWAY_TOKEN differing from gateway.auth.token, and dangerous flags one per finding", () => {
  const token = "x".repeat(32);
  const conflict = gatewayConfigFindings(
    inputs({ gateway: { auth: { token } } }, { env: { OPENCLAW_GATEWAY_TOKEN: "y" } }),
  );
  assert.deepEqual(ids(conflict), ["gateway.env_token_overrides_config:warn"]);
  assert.deepEqual(
    ids(gatewayConfigFindings(inputs({ gateway: { auth: { token } } }, { env: { OPENCLAW_GATEWAY_TOKEN: token } }))),
    [],
  );
  const flags = gatewayConfigFindings(inputs({
    hooks: { allowRequestSessionKey: true, mappings: [{ allowUnsafeExternalContent: true }] },
    tools: { fs: { workspaceOnly: false } },
  }));
  assert.deepEqual(flags.map((f) => f.detail), [
    "Detected enabled flag: hooks.mappings[0].allowUnsafeExternalContent=true.",
    "Detected enabled flag: hooks.allowRequestSessionKey=true.",
    "Detected enabled flag: tools.fs.workspaceOnly=false.",
  ]);
});

Deno.test("hooks: reuse of the gateway token (stored one included), root path, session keys when exposed", () => {
  const token = "t".repeat(40);
  const reuse = hooksFindings(inputs({
    hooks: { enabled: true, token, defaultSessionKey: "hook:in", allowedAgentIds: ["main"] },
  }, { storedToken: token }));
  assert.deepEqual(ids(reuse), ["hooks.token_reuse_gateway_token:critical"]);
  assert.equal(reuse[0]!.title, "Hooks token reuses the Gateway token");
  const exposed = hooksFindings(inputs({
    gateway: { bind: "lan", auth: { token: "g".repeat(40) } },
    hooks: { enabled: true, token: "h".repeat(40), path: "/", allowRequestSessionKey: true, defaultSessionKey: "k" },
  }));
  assert.deepEqual(ids(exposed), [
    "hooks.path_root:critical",
    "hooks.allowed_agent_ids_unrestricted:critical",
    "hooks.request_session_key_enabled:critical",
    "hooks.request_session_key_prefixes_missing:critical",
  ]);
  assert.deepEqual(hooksFindings(inputs({ hooks: { token: "short" } })), [], "disabled hooks are not audited");
});

Deno.test("channels: open DMs, with the legacy dm.policy spelling and per account", () => {
  const findings = channelDmFindings(inputs({
    channels: {
      telegram: { dm: { policy: "open" } },
      slack: { accounts: { work: { dmPolicy: "open", allowFrom: ["*"] } } },
      irc: { dmPolicy: "open", enabled: false },
    },
  }));
  assert.deepEqual(findings.map((f) => [f.checkId, f.detail]), [
    ["channels.telegram.dm.open", 'channels.telegram.dm.policy="open" allows anyone to DM the bot.'],
    ["channels.telegram.dm.open_invalid", '"open" requires channels.telegram.dm.allowFrom to include "*".'],
    ["channels.slack.dm.open", 'channels.slack.accounts.work.dmPolicy="open" allows anyone to DM the bot.'],
  ]);
  assert.equal(findings[0]!.title, "Telegram DMs are open");
});

Deno.test("suppressions: exact checkId, case-insensitive title/detail substrings, an info finding that stays", () => {
  const findings: AuditFinding[] = [
    { checkId: "a.b", severity: "warn", title: "Alpha Title", detail: "Some Detail" },
    { checkId: "a.b", severity: "warn", title: "Beta", detail: "other" },
    { checkId: "c", severity: "critical", title: "C", detail: "c" },
  ];
  const result = applySuppressions(findings, [
    { checkId: " a.b ", titleIncludes: "alpha", detailIncludes: "DETAIL", reason: " known " },
    { checkId: "a", reason: "prefixes do not match" },
  ]);
  assert.deepEqual(result.suppressedFindings, [{ ...findings[0]!, suppression: { reason: "known" } }]);
  assert.deepEqual(result.findings.map((f) => f.checkId), ["a.b", "c", "security.audit.suppressions.active"]);
  assert.equal(
    result.findings.at(-1)!.detail,
    "security.audit.suppressions has 2 configured suppression(s); 1 finding(s) moved to suppressedFindings.",
  );
  assert.deepEqual(applySuppressions(findings, []).findings, findings);
});

Deno.test("--fix flips open group policies, accounts included, and nothing else", () => {
  const tree = {
    channels: {
      discord: {
        groupPolicy: "open",
        dmPolicy: "open",
        accounts: { a: { groupPolicy: "open" }, b: { groupPolicy: "disabled" } },
      },
      irc: { groupPolicy: "allowlist" },
    },
  };
  assert.deepEqual(allowlistOpenGroups(tree), [
    "channels.discord.groupPolicy=open -> allowlist",
    "channels.discord.accounts.a.groupPolicy=open -> allowlist",
  ]);
  assert.deepEqual(tree.channels.discord, {
    groupPolicy: "allowlist",
    dmPolicy: "open",
    accounts: { a: { groupPolicy: "allowlist" }, b: { groupPolicy: "disabled" } },
  });
});

Deno.test("--auth password: a hooks token equal to the runtime password is reuse doctor cannot repair", () => {
  const hooks = { enabled: true, token: "p".repeat(30), defaultSessionKey: "k", allowedAgentIds: [] };
  const override = auditInputs({
    raw: { hooks } as AuditInputs["raw"],
    env: {},
    stateDir: "/nonexistent",
    configPath: "/nonexistent/openclaw.json",
    storedToken: undefined,
    override: { mode: "password", password: "p".repeat(30) },
  });
  const [reuse] = hooksFindings(override);
  assert.equal(reuse?.title, "Hooks token reuses the Gateway password");
  assert.match(reuse!.remediation!, /^Rotate hooks\.token or the runtime Gateway shared-secret auth value/);
  const configured = hooksFindings(
    inputs({ gateway: { auth: { mode: "password", password: "p".repeat(30) } }, hooks }),
  );
  assert.match(configured[0]!.remediation!, /^Run openclaw doctor --fix/);
});

Deno.test("gateway: an alias in gateway.tools.allow (bash, cron) re-enables the tool over HTTP, as /tools/invoke reads it", () => {
  const findings = gatewayConfigFindings(inputs({
    gateway: { bind: "lan", auth: { token: "a".repeat(64) }, tools: { allow: ["Bash", "cron"] } },
  }));
  assert.deepEqual(ids(findings), ["gateway.tools_invoke_http.dangerous_allow:critical"]);
  assert.match(findings[0]!.detail, /^gateway\.tools\.allow includes exec, automations which removes/);
});
