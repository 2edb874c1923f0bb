// What `openclaw approvals get` shows: the snapshot (target, path, state, hash, defaults, allowlist)
// and the reference's effective-policy report (requested tools.exec ∩ the host document, per scope).
import type { ApprovalsSnapshotPayload } from "../../server/exec_approvals_local.ts";
import { configuredExecPolicy, requestedExecKnobs } from "../../config/exec_policy_config.ts";
import { printLine } from "../output.ts";

/** The approvals document as the CLI edits it. */
export interface File {
  version: 1;
  socket?: { path?: string | undefined; token?: string | undefined } | undefined;
  defaults?: Record<string, unknown> | undefined;
  agents?: Record<string, Record<string, unknown>> | undefined;
  [key: string]: unknown;
}
/** A snapshot as the CLI reads it. */
export type Snapshot = Omit<ApprovalsSnapshotPayload, "file"> & { file: File };

const SESSION_NOTE =
  "Per-session /exec overrides are not included; run /exec in the relevant session to inspect its current defaults.";

type Knob = { value: string; source: string };

/**
 * The requested `tools.exec` policy for one agent, with where each value came from: the same rule
 * authorize() enforces (config/exec_policy_config.ts), the safer default where nothing sets a knob.
 */
function requestedOf(config: Record<string, unknown>, agentId: string, hostSets: { security: boolean; ask: boolean }) {
  const configured = configuredExecPolicy(config, agentId);
  const host: Knob = configured.host
    ? { value: configured.host, source: configured.sources.host ?? "tools.exec.host" }
    : { value: "auto", source: "OpenClaw default (auto)" };
  const knobs = requestedExecKnobs(configured, hostSets);
  const security: Knob = { value: knobs.security, source: knobs.securitySource };
  const ask: Knob = { value: knobs.ask, source: knobs.askSource };
  const mode: Knob = configured.mode
    ? { value: configured.mode, source: configured.sources.mode ?? "tools.exec.mode" }
    : { value: modeOf(security.value, ask.value), source: `derived from ${security.source} and ${ask.source}` };
  return { host, mode, security, ask };
}

function modeOf(security: string, ask: string): string {
  if (security === "deny") return "deny";
  if (security === "full") return ask === "off" ? "full" : "ask";
  return ask === "off" ? "allowlist" : "ask";
}

const ORDER_SECURITY = ["deny", "allowlist", "full"];
const ORDER_ASK = ["off", "on-miss", "always"];

/** The reference's effective-policy report: per scope, requested ∩ host. */
export function effectivePolicy(snapshot: Snapshot, config: Record<string, unknown>) {
  const file = snapshot.file;
  const defaultAgentId = "main";
  const agentIds = Object.keys(file.agents ?? {}).filter((id) =>
    id !== "*" && id !== "default" && id !== defaultAgentId
  ).sort();
  const scopes: [string, string][] = [
    ["tools.exec", defaultAgentId],
    ...agentIds.map((id): [string, string] => [`agent:${id}`, id]),
  ];
  return {
    scopes: scopes.map(([scopeLabel, agentId]) => {
      const agent = file.agents?.[agentId] ?? {};
      const wildcard = file.agents?.["*"] ?? {};
      const own = (file.defaults ?? {}) as Record<string, unknown>;
      const pick = (field: string, fallback: Knob): Knob => {
        if (typeof agent[field] === "string") {
          return { value: agent[field] as string, source: `${snapshot.path} agents.${agentId}.${field}` };
        }
        if (typeof wildcard[field] === "string") {
          return { value: wildcard[field] as string, source: `${snapshot.path} agents.*.${field}` };
        }
        if (typeof own[field] === "string") {
          return { value: own[field] as string, source: `${snapshot.path} defaults.${field}` };
        }
        return fallback;
      };
      const sets = (field: string) => [agent, wildcard, own].some((layer) => typeof layer[field] === "string");
      const requested = requestedOf(config, agentId, { security: sets("security"), ask: sets("ask") });
      const inherited = "inherits requested tool policy";
      const hostSecurity = pick("security", { value: requested.security.value, source: inherited });
      const hostAsk = pick("ask", { value: requested.ask.value, source: inherited });
      const fallback = pick("askFallback", { value: "deny", source: "OpenClaw default (deny)" });
      const security = ORDER_SECURITY[
        Math.min(ORDER_SECURITY.indexOf(requested.security.value), ORDER_SECURITY.indexOf(hostSecurity.value))
      ]!;
      const ask = ORDER_ASK[Math.max(ORDER_ASK.indexOf(requested.ask.value), ORDER_ASK.indexOf(hostAsk.value))]!;
      const askFallback =
        ORDER_SECURITY[Math.min(ORDER_SECURITY.indexOf(security), ORDER_SECURITY.indexOf(fallback.value))]!;
      const mode = security === requested.security.value && ask === requested.ask.value
        ? requested.mode.value
        : modeOf(security, ask);
      return {
        scopeLabel,
        configPath: scopeLabel === "tools.exec" ? "tools.exec" : `agents.entries.${agentId}.tools.exec`,
        agentId,
        host: { requested: requested.host.value, requestedSource: requested.host.source },
        mode: {
          requested: requested.mode.value,
          requestedSource: requested.mode.source,
          effective: mode,
          note: mode === requested.mode.value ? "requested mode applies" : "host policy changes effective mode",
        },
        security: {
          requested: requested.security.value,
          requestedSource: requested.security.source,
          host: hostSecurity.value,
          hostSource: hostSecurity.source,
          effective: security,
          note: security === requested.security.value ? "requested security applies" : "stricter host security wins",
        },
        ask: {
          requested: requested.ask.value,
          requestedSource: requested.ask.source,
          host: hostAsk.value,
          hostSource: hostAsk.source,
          effective: ask,
          note: ask === requested.ask.value ? "requested ask applies" : "more-asking host ask wins",
        },
        askFallback: { effective: askFallback, source: fallback.source },
        allowedDecisions: ask === "always" ? ["allow-once", "deny"] : ["allow-once", "allow-always", "deny"],
      };
    }),
    note:
      `Effective exec policy is the host approvals policy intersected with requested tools.exec policy. ${SESSION_NOTE}`,
  };
}

/** Prints a snapshot as the reference's summary. */
export function renderSnapshot(snapshot: Snapshot, targetLabel: string): void {
  const file = snapshot.file;
  const d = (file.defaults ?? {}) as Record<string, unknown>;
  const defaults = [
    d.security ? `security=${d.security}` : null,
    d.ask ? `ask=${d.ask}` : null,
    d.askFallback ? `askFallback=${d.askFallback}` : null,
    typeof d.autoAllowSkills === "boolean" ? `autoAllowSkills=${d.autoAllowSkills ? "on" : "off"}` : null,
  ].filter(Boolean);
  const agents = file.agents ?? {};
  const rows = Object.entries(agents).flatMap(([agentId, agent]) =>
    ((agent.allowlist as { pattern: string; argPattern?: string; source?: string }[] | undefined) ?? []).map((e) => ({
      agentId,
      ...e,
    }))
  );
  printLine("Approvals");
  printLine(`  Target     ${targetLabel}`);
  printLine(`  Path       ${snapshot.path}`);
  printLine(`  State      ${snapshot.exists ? "stored" : "defaults (no stored overrides)"}`);
  printLine(`  Hash       ${snapshot.hash}`);
  printLine(`  Version    ${file.version ?? 1}`);
  printLine(`  Socket     ${file.socket?.path ?? "default"}`);
  printLine(`  Defaults   ${defaults.length > 0 ? defaults.join(", ") : "none"}`);
  printLine(`  Agents     ${Object.keys(agents).length}`);
  printLine(`  Allowlist  ${rows.length}`);
  if (rows.length > 0) {
    printLine("");
    printLine("Allowlist");
    for (const row of rows) {
      const scope = row.argPattern?.startsWith("sha256:cwd-argv:v1:")
        ? "argv+cwd"
        : row.argPattern
        ? "argv"
        : "any args";
      printLine(`  ${targetLabel}  ${row.agentId}  ${row.pattern}  ${scope}`);
    }
  }
}

/** Prints the effective-policy report. */
export function renderEffective(report: ReturnType<typeof effectivePolicy>): void {
  printLine("");
  printLine("Effective Policy");
  for (const s of report.scopes) {
    printLine(
      `  ${s.scopeLabel}: requested security=${s.security.requested} (${s.security.requestedSource}) ask=${s.ask.requested} (${s.ask.requestedSource}); ` +
        `host security=${s.security.host} ask=${s.ask.host} askFallback=${s.askFallback.effective}; ` +
        `effective security=${s.security.effective} ask=${s.ask.effective}`,
    );
  }
  printLine("");
  printLine(`Precedence: ${report.note}`);
}
