// The audit's trust-model and channel DM checks: rooms merged into the main session, signs of
// several users, and each served channel's open DM policy, with the reference's checkIds and words.
import type { AuditFinding } from "./security_findings.ts";
import type { AuditInputs } from "./security_inputs.ts";
import { channelSections, record, riskyContexts, type Section } from "./security_exposure_checks.ts";

const CHANNEL_LABELS: Record<string, string> = {
  irc: "IRC",
  telegram: "Telegram",
  discord: "Discord",
  slack: "Slack",
  whatsapp: "WhatsApp",
};
const TRUST_MODEL =
  "OpenClaw's default security model is personal-assistant (one trusted operator boundary), not hostile multi-tenant isolation on one shared gateway. For multiple users or organizations, run one isolated Gateway cell per tenant: https://docs.openclaw.ai/gateway/multi-tenant-hosting";

function wildcard(list: unknown): boolean {
  return Array.isArray(list) && list.some((entry) => typeof entry === "string" && entry.trim() === "*");
}

/** The reference's signs that several users reach this gateway (open policies, wildcards, group targets). */
export function multiUserSignals(inputs: AuditInputs): string[] {
  const signals: string[] = [];
  for (const [base, section] of channelSections(inputs)) {
    const targets = ["groups", "guilds", "channels", "rooms"].some((key) =>
      Object.keys(record(section[key]) ?? {}).length
    );
    if (section.groupPolicy === "open") signals.push(`${base}.groupPolicy="open"`);
    else if (section.groupPolicy === "allowlist" && targets) {
      signals.push(`${base}.groupPolicy="allowlist" with configured group targets`);
    }
    if (section.dmPolicy === "open") signals.push(`${base}.dmPolicy="open"`);
    if (wildcard(section.allowFrom)) signals.push(`${base}.allowFrom includes "*"`);
    if (wildcard(section.groupAllowFrom)) signals.push(`${base}.groupAllowFrom includes "*"`);
    const dm = record(section.dm);
    if (dm?.policy === "open") signals.push(`${base}.dm.policy="open"`);
    if (wildcard(dm?.allowFrom)) signals.push(`${base}.dm.allowFrom includes "*"`);
  }
  return [...new Set(signals)];
}

/** `security.trust_model.*`: rooms merged into the main session, and signs of several users. */
export function trustModelFindings(inputs: AuditInputs): AuditFinding[] {
  const findings: AuditFinding[] = [];
  if (inputs.raw.session?.groupScope === "main") {
    findings.push({
      checkId: "security.trust_model.group_scope_main",
      severity: "warn",
      title: "Group rooms share the main session",
      detail:
        'The following group routing scopes merge room conversations into the agent main session:\n- session.groupScope="main" (global: all group/channel rooms unless a binding overrides it)\nEvery member of each affected room shares the main-session context. Use this only for mutually trusted rooms.',
      remediation:
        'Use session.groupScope="per-group" globally and remove binding overrides, or reserve "main" for rooms whose members you trust: https://docs.openclaw.ai/channels/groups#session-keys',
    });
  }
  const signals = multiUserSignals(inputs);
  if (signals.length === 0) return findings;
  const risky = riskyContexts(inputs);
  findings.push({
    checkId: "security.trust_model.multi_user_heuristic",
    severity: "warn",
    title: "Potential multi-user setup detected (personal-assistant model warning)",
    detail: `Heuristic signals indicate this gateway may be reachable by multiple users:\n${
      signals.map((signal) => `- ${signal}`).join("\n")
    }\n${
      risky.runtimeRisk
        ? "Runtime/process tools are exposed without full sandboxing in at least one context."
        : "No unguarded runtime/process tools were detected by this heuristic."
    }\n${
      risky.lines.length > 0
        ? `Potential high-impact tool exposure contexts:\n${risky.lines.map((line) => `- ${line}`).join("\n")}`
        : "No unguarded runtime/filesystem contexts detected."
    }\n${TRUST_MODEL}`,
    remediation:
      'If users may be mutually untrusted, split trust boundaries (separate gateways + credentials, ideally separate OS users/hosts). If you intentionally run shared-user access, set agents.defaults.sandbox.mode="all", keep tools.fs.workspaceOnly=true, deny runtime/fs/web tools unless required, and keep personal/private identities + credentials off that runtime.',
  });
  return findings;
}

/** `channels.<id>.dm.open` / `.dm.open_invalid` for each enabled channel (and account) this gateway serves. */
export function channelDmFindings(inputs: AuditInputs): AuditFinding[] {
  const findings: AuditFinding[] = [];
  for (const [id, value] of Object.entries(record(inputs.raw.channels) ?? {})) {
    const label = CHANNEL_LABELS[id];
    const channel = record(value);
    if (!label || !channel || channel.enabled === false) continue;
    const scopes: [string, Section][] = [[`channels.${id}.`, channel]];
    for (const [account, accountValue] of Object.entries(record(channel.accounts) ?? {})) {
      const section = record(accountValue);
      if (section && section.enabled !== false) scopes.push([`channels.${id}.accounts.${account}.`, section]);
    }
    for (const [prefix, section] of scopes) {
      const legacy = record(section.dm);
      const policy = section.dmPolicy ?? legacy?.policy;
      if (policy !== "open") continue;
      const usesLegacy = section.dmPolicy == null;
      const allowFromPath = usesLegacy ? `${prefix}dm.` : prefix;
      const policyPath = usesLegacy ? `${prefix}dm.policy` : `${prefix}dmPolicy`;
      const allowFromKey = `${allowFromPath}allowFrom`;
      findings.push({
        checkId: `channels.${id}.dm.open`,
        severity: "critical",
        title: `${label} DMs are open`,
        detail: `${policyPath}="open" allows anyone to DM the bot.`,
        remediation: `Use pairing/allowlist; if you really need open DMs, ensure ${allowFromKey} includes "*".`,
      });
      if (!wildcard(usesLegacy ? legacy?.allowFrom : section.allowFrom)) {
        findings.push({
          checkId: `channels.${id}.dm.open_invalid`,
          severity: "warn",
          title: `${label} DM config looks inconsistent`,
          detail: `"open" requires ${allowFromKey} to include "*".`,
        });
      }
    }
  }
  return findings;
}
