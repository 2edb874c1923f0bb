// The gateway's ExecApprovals: reads the host approvals document from the shared state database,
// combines it with the requested `tools.exec` policy, judges the command against the agent's
// allowlist and the safe bins, and when the policy says ask, files a pending approval, announces it
// (operators' clients; the run's own chat with `/approve` instructions) and waits for the decision,
// the run's abort or the timeout (then askFallback). "Allow always" adds the command to the allowlist.
import { posix } from "node:path";
import { codeFenceFor, sanitizeApprovalDisplayText } from "../log/approval_display_text.ts";
import { allowAlwaysEntries, type AllowlistEvaluation, evaluateAllowlist } from "./exec_allowlist.ts";
import { type ApprovalRecord, type ExecApprovalQueue, type ExecApprovalRequestView } from "./exec_approval_queue.ts";
import {
  type AllowlistEntry,
  type ExecApprovalsFile,
  hostKnobsSet,
  resolveAgentApprovals,
} from "./exec_approvals_file.ts";
import { type ApprovalsLocation, readApprovals, updateApprovals } from "./exec_approvals_store.ts";
import { askVerdict, type HostPolicy, hostPolicy, policyVerdict } from "./exec_policy.ts";
import { safeBinSettings } from "./exec_safe_bins.ts";
import type { ExecApprovalAsk, ExecApprovals, ExecAuthorization, RunOrigin } from "./tool.ts";
import { type ExecApprovalsForwarding, sessionFilterMatches } from "../config/approvals_forwarding.ts";
import type { ConfiguredExecPolicy } from "../config/exec_policy_config.ts";

/** The reference's ask timeout: 30 minutes. */
export const DEFAULT_APPROVAL_TIMEOUT_MS = 1_800_000;

/** What the approvals need from the gateway. */
export interface GatewayExecApprovalsDeps {
  location: ApprovalsLocation;
  queue: ExecApprovalQueue;
  /** Whether an operator client that may answer (`operator.approvals`) is connected. */
  hasApprovalClients(): boolean;
  /** Sends an approval prompt (or its outcome) to a chat; false when it cannot. */
  notifyChat?(chat: RunOrigin, text: string): Promise<boolean>;
  /** `approvals.exec` in force: forwarding to other chats (undefined: only the run's own chat). */
  forwarding?(): ExecApprovalsForwarding | undefined;
  /**
   * The `tools.exec` policy the config in force asks of an agent (used when a call brings no
   * `requested`); its `pathPrepend` goes before the gateway's PATH.
   */
  configured?(agentId: string): ConfiguredExecPolicy | undefined;
  /** PATH for resolving bare command names (the gateway's own). */
  pathEnv(): string;
  home: string;
  timeoutMs?: number | undefined;
}

/** The chat text of a pending approval: the reference's forwarded-request layout. */
export function approvalRequestText(record: ApprovalRecord, nowMs: number): string {
  const request = record.request;
  const decisions = request.allowedDecisions;
  // Sanitized (no control or bidi characters, secrets masked) and fenced so it cannot close its fence.
  const shown = sanitizeApprovalDisplayText(request.command);
  const fence = codeFenceFor(shown);
  const command = !shown.includes("`") ? `Command: \`${shown}\`` : `Command:\n${fence}\n${shown}\n${fence}`;
  const lines = ["🔒 Exec approval required", `ID: ${record.id}`, command];
  if (request.cwd) lines.push(`CWD: ${request.cwd}`);
  if (request.host) lines.push(`Host: ${request.host}`);
  if (request.agentId) lines.push(`Agent: ${request.agentId}`);
  if (request.security) lines.push(`Security: ${request.security}`);
  if (request.ask) lines.push(`Ask: ${request.ask}`);
  lines.push(`Expires in: ${expiresIn(record.expiresAtMs, nowMs)}`);
  lines.push("Mode: foreground (interactive approvals available in this chat).");
  lines.push(
    decisions.includes("allow-always")
      ? "Background mode note: non-interactive runs cannot wait for chat approvals; use pre-approved policy (allow-always or ask=off)."
      : "Background mode note: non-interactive runs cannot wait for chat approvals; the effective policy still requires per-run approval unless ask=off.",
  );
  lines.push(`Reply with: /approve ${record.id} ${decisions.join("|")}`);
  if (!decisions.includes("allow-always")) lines.push("Allow Always is unavailable for this command.");
  return lines.join("\n");
}

function expiresIn(expiresAtMs: number, nowMs: number): string {
  const total = Math.max(0, Math.round((expiresAtMs - nowMs) / 1000));
  if (total < 60) return `${total}s`;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const parts: string[] = [];
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes > 0) parts.push(`${minutes}m`);
  if (hours === 0 && minutes < 5 && seconds > 0) parts.push(`${seconds}s`);
  return parts.join(" ");
}

function requestView(
  ask: ExecApprovalAsk,
  policy: HostPolicy,
  evaluation: AllowlistEvaluation,
  decisions: ApprovalRecord["request"]["allowedDecisions"],
): ExecApprovalRequestView {
  return {
    command: ask.command,
    systemRunBinding: null,
    systemRunPlan: null,
    cwd: ask.cwd,
    nodeId: null,
    host: "gateway",
    security: policy.security,
    ask: policy.ask,
    warningText: null,
    scope: null,
    commandAnalysis: evaluation.analysisOk
      ? { commandCount: evaluation.segments.length, nestedCommandCount: 0, riskKinds: [], warningLines: [] }
      : null,
    allowedDecisions: decisions,
    agentId: ask.agentId,
    resolvedPath: evaluation.segments[0]?.resolution.resolvedPath ?? null,
    sessionKey: ask.sessionKey,
    sessionId: null,
    runId: ask.runId,
    toolCallId: ask.toolCallId ?? null,
    turnSourceChannel: ask.origin?.channel ?? null,
    turnSourceTo: ask.origin?.to ?? null,
    turnSourceAccountId: ask.origin?.accountId ?? null,
    turnSourceThreadId: null,
    cronExecutionSource: null,
    cronOperationBinding: null,
  };
}

/** Records the use of matched entries (`lastUsedAt`, `lastResolvedPath`, `lastUsedCommand`), as the reference does. */
function recordUse(
  file: ExecApprovalsFile,
  agentId: string,
  matches: AllowlistEntry[],
  command: string,
  resolvedPath: string | undefined,
): ExecApprovalsFile | null {
  const ids = new Set(matches.map((m) => m.id).filter(Boolean));
  if (ids.size === 0) return null;
  const now = Date.now();
  for (const key of [agentId, "*"]) {
    for (const entry of file.agents?.[key]?.allowlist ?? []) {
      if (!entry.id || !ids.has(entry.id)) continue;
      entry.lastUsedAt = now;
      if (resolvedPath) entry.lastResolvedPath = resolvedPath;
      if (entry.source === "allow-always") delete entry.lastUsedCommand;
      else entry.lastUsedCommand = command;
    }
  }
  return file;
}

/** Adds "allow always" entries to the agent's allowlist (existing pattern+argPattern pairs are kept once). */
export function withAllowAlways(
  file: ExecApprovalsFile,
  agentId: string,
  entries: AllowlistEntry[],
): ExecApprovalsFile | null {
  const agents = { ...file.agents };
  const agent = { ...agents[agentId] };
  const allowlist = [...(agent.allowlist ?? [])];
  let added = false;
  for (const entry of entries) {
    if (allowlist.some((e) => e.pattern === entry.pattern && e.argPattern === entry.argPattern)) continue;
    allowlist.push({ id: crypto.randomUUID(), ...entry, lastUsedAt: Date.now() });
    added = true;
  }
  if (!added) return null;
  agents[agentId] = { ...agent, allowlist };
  return { ...file, agents };
}

function pathWith(prepend: readonly string[] | undefined, deps: GatewayExecApprovalsDeps): string {
  const dirs = (prepend ?? []).map((d) =>
    d === "~" ? deps.home : d.startsWith("~/") ? posix.join(deps.home, d.slice(2)) : d
  );
  return [...dirs, deps.pathEnv()].filter(Boolean).join(":");
}

function decisionLabel(decision: string): string {
  return decision === "allow-once" ? "allowed once" : decision === "allow-always" ? "allowed always" : "denied";
}

/** Exec approvals backed by the state database and the gateway's approval queue. */
export class GatewayExecApprovals implements ExecApprovals {
  #deps: GatewayExecApprovalsDeps;

  constructor(deps: GatewayExecApprovalsDeps) {
    this.#deps = deps;
  }

  /**
   * The chats a prompt goes to: the run's own chat (same-chat approvals are the reference's default),
   * and the `approvals.exec` targets when forwarding is on and the agent and session pass its filters.
   */
  #chatsFor(ask: ExecApprovalAsk): { origin: RunOrigin[]; forwarded: RunOrigin[] } {
    const origin = ask.origin?.to ? [ask.origin] : [];
    const forwarding = this.#deps.forwarding?.();
    if (!forwarding || forwarding.mode === "session") return { origin, forwarded: [] };
    if (forwarding.agentFilter && !forwarding.agentFilter.includes(ask.agentId)) return { origin, forwarded: [] };
    if (!sessionFilterMatches(forwarding.sessionFilter, ask.sessionKey)) return { origin, forwarded: [] };
    const forwarded = forwarding.targets
      .filter((t) => !origin.some((o) => o.channel === t.channel && o.to === t.to))
      .map((t) => ({ channel: t.channel, to: t.to, accountId: t.accountId }));
    return { origin, forwarded };
  }

  async authorize(ask: ExecApprovalAsk, signal: AbortSignal): Promise<ExecAuthorization> {
    // Approvals guard host exec: a sandboxed command runs inside its container's own boundary.
    if (ask.host === "sandbox") return { allowed: true, decision: "sandbox" };
    const deps = this.#deps;
    const snapshot = await readApprovals(deps.location);
    const resolved = resolveAgentApprovals(snapshot.file, ask.agentId);
    const configured = ask.requested ? undefined : deps.configured?.(ask.agentId);
    const requested = ask.requested ?? configured;
    const policy = hostPolicy(requested, resolved.policy, hostKnobsSet(snapshot.file, ask.agentId), ask.ask);
    if (policy.security === "deny") return { allowed: false, reason: "exec denied: host=gateway security=deny" };
    const evaluation = evaluateAllowlist({
      command: ask.command,
      allowlist: resolved.allowlist,
      safeBins: safeBinSettings(requested),
      ctx: {
        cwd: posix.resolve(ask.cwd),
        pathEnv: ask.path ?? pathWith(configured?.pathPrepend, deps),
        home: deps.home,
      },
    });
    const verdict = policyVerdict(policy, evaluation);
    const resolvedPath = evaluation.segments[0]?.resolution.realPath;
    if (verdict.kind === "refused") return { allowed: false, reason: verdict.reason };
    if (verdict.kind === "allowed") {
      if (evaluation.matches.length > 0) {
        await updateApprovals(
          deps.location,
          (file) => recordUse(file, ask.agentId, evaluation.matches, ask.command, resolvedPath),
        );
      }
      return { allowed: true, decision: verdict.decision };
    }
    if (signal.aborted) return { allowed: false, reason: `Exec denied (run-aborted): ${ask.command}` };
    const record = deps.queue.create(
      requestView(ask, policy, evaluation, verdict.allowedDecisions),
      deps.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS,
    );
    const ended = deps.queue.wait(record.id)!;
    const onAbort = () => deps.queue.cancel(record.id, "run-aborted");
    signal.addEventListener("abort", onAbort, { once: true });
    const { origin, forwarded } = this.#chatsFor(ask);
    let notified = false;
    for (const chat of [...origin, ...forwarded]) {
      const sent = await deps.notifyChat?.(chat, approvalRequestText(record, Date.now())).catch(() => false);
      if (sent && chat.to) deps.queue.addRoute(record.id, { channel: chat.channel, to: chat.to });
      notified ||= sent === true;
    }
    // Nobody can answer: the ask ends at once and askFallback decides, as the reference's "no route".
    if (!notified && !deps.hasApprovalClients()) deps.queue.cancel(record.id, "no-route");
    const final = await ended;
    signal.removeEventListener("abort", onAbort);
    for (const chat of forwarded) {
      const text = final.decision
        ? `✅ Exec approval ${decisionLabel(final.decision)}.${
          final.resolvedBy ? ` Resolved by ${final.resolvedBy}.` : ""
        } ID: ${record.id}`
        : `⏱️ Exec approval expired. ID: ${record.id}`;
      await deps.notifyChat?.(chat, text).catch(() => false);
    }
    if (final.terminalReason === "run-aborted") {
      return { allowed: false, reason: `Exec denied (gateway id=${record.id}, run-aborted): ${ask.command}` };
    }
    const settled = askVerdict(final.decision, policy, evaluation);
    if (!settled.allowed) {
      return {
        allowed: false,
        reason: `Exec denied (gateway id=${record.id}, ${settled.deniedReason}): ${ask.command}`,
      };
    }
    if (final.decision === "allow-always") {
      const entries = allowAlwaysEntries(evaluation, posix.resolve(ask.cwd));
      if (entries.length > 0) {
        await updateApprovals(deps.location, (file) => withAllowAlways(file, ask.agentId, entries));
      }
    }
    return { allowed: true, decision: settled.decision };
  }
}
