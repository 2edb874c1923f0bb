// `openclaw approvals` (alias `exec-approvals`) as the reference's: get/set/allowlist add|remove on
// the local approvals row of the state database, or on the running gateway with --gateway; and
// `pending` / `resolve` on the gateway's live pending approvals.
import JSON5 from "json5";
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { ConfigError } from "../../config/errors.ts";
import { sanitizeApprovalDisplayText } from "../../log/approval_display_text.ts";
import { loadConfig } from "../../config/load.ts";
import { type ExecApprovalsFile, localApprovals, setLocalApprovals } from "../../server/exec_approvals_local.ts";
import { cliWriteAccess } from "./state_write_access.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { effectivePolicy, type File, renderEffective, renderSnapshot, type Snapshot } from "./approvals_report.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of the `openclaw approvals` subcommands. */
export interface ApprovalsOptions extends RpcOptions {
  gateway?: boolean;
  node?: string;
  file?: string;
  stdin?: boolean;
  agent?: string;
  reason?: string;
}

function usage(message: string): ConfigError {
  return new ConfigError(message, { exitKind: "usage" });
}

async function withGateway<T>(
  options: ApprovalsOptions,
  action: string,
  scopes: string[],
  body: (request: <R>(method: string, params: unknown) => Promise<R>) => Promise<T>,
): Promise<T | number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  try {
    const connection = await connectGateway(target, { scopes, timeoutMs });
    try {
      return await body((method, params) => connection.request(method, params, timeoutMs));
    } finally {
      connection.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return reportGatewayFailure(error, target, { json: options.json ?? false, action });
  }
}

async function stateDirOf(options: ApprovalsOptions): Promise<{ stateDir: string; config: Record<string, unknown> }> {
  const env = Deno.env.toObject();
  const target = await resolveTarget(targetFlags(options), env);
  const snapshot = await loadConfig(target.configPath, env).catch(() => undefined);
  return { stateDir: target.stateDir, config: (snapshot?.config ?? {}) as Record<string, unknown> };
}

function refuseNode(options: ApprovalsOptions): void {
  if (options.node) {
    throw usage("--node: this gateway has no node hosts with exec approvals; use --gateway or the local row");
  }
}

async function load(
  options: ApprovalsOptions,
): Promise<{ snapshot: Snapshot; label: string; config: Record<string, unknown> } | number> {
  refuseNode(options);
  if (!options.gateway) {
    const { stateDir, config } = await stateDirOf(options);
    return {
      snapshot: await localApprovals(stateDir, config, { access: cliWriteAccess() }) as Snapshot,
      label: "local",
      config,
    };
  }
  return await withGateway(options, "Approvals get", ["operator.admin"], async (request) => {
    const snapshot = await request<Snapshot>("exec.approvals.get", {});
    const config = await request<{ config?: Record<string, unknown> }>("config.get", {}).then(
      (r) => r.config ?? {},
      () => ({}),
    );
    return { snapshot, label: "gateway", config };
  });
}

/** `openclaw approvals get`. */
export async function approvalsGet(options: ApprovalsOptions): Promise<number> {
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  const report = effectivePolicy(loaded.snapshot, loaded.config);
  if (options.json) {
    printJson({ ...loaded.snapshot, effectivePolicy: report });
    return 0;
  }
  if (loaded.label === "local") {
    printLine("Showing local approvals.");
    printLine("");
  }
  renderSnapshot(loaded.snapshot, loaded.label);
  renderEffective(report);
  return 0;
}

async function save(options: ApprovalsOptions, file: File, baseHash: string, label: string): Promise<number> {
  let next: Snapshot | null | number;
  if (label === "local") {
    if (!options.json) printLine("Writing local approvals.");
    next = await setLocalApprovals((await stateDirOf(options)).stateDir, file as ExecApprovalsFile, {
      baseHash,
      access: cliWriteAccess(),
    }) as
      | Snapshot
      | null;
    if (!next) throw usage("exec approvals changed since last load; re-run and retry");
  } else {
    next = await withGateway(
      options,
      "Approvals set",
      ["operator.admin"],
      (request) => request<Snapshot>("exec.approvals.set", { file, baseHash }),
    );
    if (typeof next === "number") return next;
  }
  if (options.json) {
    printJson(next);
    return 0;
  }
  printLine(`Target: ${label}`);
  renderSnapshot(next, label);
  return 0;
}

/** `openclaw approvals set --file <path> | --stdin`. */
export async function approvalsSet(options: ApprovalsOptions): Promise<number> {
  if (!options.file && !options.stdin) throw usage("Provide --file or --stdin.");
  if (options.file && options.stdin) throw usage("Use either --file or --stdin (not both).");
  const raw = options.stdin ? await new Response(Deno.stdin.readable).text() : await Deno.readTextFile(options.file!);
  let input: unknown;
  try {
    input = JSON5.parse(raw);
  } catch (error) {
    throw usage(`Failed to parse approvals JSON: ${String(error)}`);
  }
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    throw usage("Exec approvals JSON must be an object.");
  }
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  return save(options, { ...(input as File), version: 1 }, loaded.snapshot.hash, loaded.label);
}

/** `openclaw approvals allowlist add|remove <pattern> [--agent <id>]`. */
export async function approvalsAllowlist(
  action: "add" | "remove",
  pattern: string,
  options: ApprovalsOptions,
): Promise<number> {
  const trimmed = pattern.trim();
  if (!trimmed) throw usage("Pattern required.");
  const loaded = await load(options);
  if (typeof loaded === "number") return loaded;
  const agentKey = options.agent?.trim() || "*";
  const file: File = structuredClone(loaded.snapshot.file);
  const agent = { ...(file.agents?.[agentKey] ?? {}) };
  const entries = [...((agent.allowlist as { pattern: string }[] | undefined) ?? [])];
  if (action === "add") {
    if (entries.some((e) => e.pattern.trim() === trimmed)) {
      printLine("Already allowlisted.");
      if (options.json) printJson(loaded.snapshot);
      return 0;
    }
    agent.allowlist = [...entries, { pattern: trimmed, lastUsedAt: Date.now() }];
    file.agents = { ...file.agents, [agentKey]: agent };
  } else {
    const kept = entries.filter((e) => e.pattern.trim() !== trimmed);
    if (kept.length === entries.length) {
      printLine("Pattern not found.");
      if (options.json) printJson(loaded.snapshot);
      return 0;
    }
    if (kept.length === 0) delete agent.allowlist;
    else agent.allowlist = kept;
    const agents = { ...file.agents };
    if (Object.values(agent).every((v) => v === undefined)) delete agents[agentKey];
    else agents[agentKey] = agent;
    file.agents = agents;
  }
  return save(options, file, loaded.snapshot.hash, loaded.label);
}

interface PendingEntry {
  id: string;
  kind: string;
  agentId: string | null;
  sessionKey: string | null;
  createdAtMs: number;
  expiresAtMs: number;
  summary: string;
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

/** `openclaw approvals pending`: the gateway's pending exec, plugin and system-agent approvals. */
export async function approvalsPending(options: ApprovalsOptions): Promise<number> {
  const result = await withGateway(options, "Approvals pending", ["operator.admin"], async (request) => {
    const lists = await Promise.all(
      ["exec.approval.list", "plugin.approval.list", "openclaw.approval.list"].map((m) => request<unknown[]>(m, {})),
    );
    const kinds = ["exec", "plugin", "system-agent"];
    return lists.flatMap((list, i) =>
      (list as { id: string; createdAtMs: number; expiresAtMs: number; request: Record<string, unknown> }[]).map((
        e,
      ): PendingEntry => ({
        id: sanitizeApprovalDisplayText(String(e.id)),
        kind: kinds[i]!,
        agentId: typeof e.request.agentId === "string" ? e.request.agentId : null,
        sessionKey: typeof e.request.sessionKey === "string" ? e.request.sessionKey : null,
        createdAtMs: e.createdAtMs,
        expiresAtMs: e.expiresAtMs,
        // A gateway's text reaches a terminal: control characters (ESC, CR, bidi) are shown escaped.
        summary: typeof e.request.command === "string"
          ? sanitizeApprovalDisplayText(e.request.command)
          : "(summary unavailable)",
      }))
    ).sort((a, b) => b.createdAtMs - a.createdAtMs);
  });
  if (typeof result === "number") return result;
  if (options.json) {
    printJson({ approvals: result });
    return 0;
  }
  if (result.length === 0) {
    printLine("No pending approvals.");
    return 0;
  }
  const now = Date.now();
  printLine(`Pending approvals (${result.length})`);
  for (const e of result) {
    const who = sanitizeApprovalDisplayText([e.agentId, e.sessionKey].filter(Boolean).join(" / ")) || "-";
    printLine(
      `  ${e.id}  ${e.kind}  ${who}  ${ago(now - e.createdAtMs)} ago  expires in ${ago(e.expiresAtMs - now)}  ${
        e.summary.slice(0, 60)
      }`,
    );
  }
  printLine("Full request text");
  for (const e of result) printLine(`${e.id}: ${e.summary}`);
  return 0;
}

/** `openclaw approvals resolve <id> <decision>`. */
export async function approvalsResolve(id: string, decision: string, options: ApprovalsOptions): Promise<number> {
  if (!id) throw usage("Approval id required.");
  if (!["allow-once", "allow-always", "deny"].includes(decision.trim())) {
    throw usage("Decision must be one of: allow-once, allow-always, deny.");
  }
  const reason = options.reason?.trim();
  if (options.reason !== undefined && !reason) throw usage("Reason must not be empty.");
  const result = await withGateway(
    options,
    "Approvals resolve",
    ["operator.admin", "operator.approvals"],
    async (request) => {
      const { approval } = await request<
        { approval: { status: string; presentation: { kind: string; allowedDecisions: string[] } } }
      >(
        "approval.get",
        { id },
      );
      if (approval.status === "pending" && !approval.presentation.allowedDecisions.includes(decision)) {
        throw usage(
          `Decision ${decision} is not allowed for ${approval.presentation.kind} approvals; allowed decisions: ${
            approval.presentation.allowedDecisions.join(", ")
          }.`,
        );
      }
      return await request<{ applied: boolean; approval: Record<string, unknown> }>("approval.resolve", {
        id,
        kind: approval.presentation.kind,
        decision,
      });
    },
  );
  if (typeof result === "number") return result;
  const approval = result.approval as {
    decision?: string;
    status: string;
    reason?: string;
    resolver?: { kind: string; id?: string };
  };
  if (!approval.decision) {
    throw usage(
      approval.status === "expired" ? `Approval ${id} expired.` : `Approval ${id} was cancelled (${approval.reason}).`,
    );
  }
  const by = approval.resolver
    ? (approval.resolver.id ? `${approval.resolver.kind}:${approval.resolver.id}` : approval.resolver.kind)
    : "unknown resolver";
  if (approval.decision !== decision) {
    throw usage(`Approval ${id} was already resolved with ${approval.decision} by ${by}.`);
  }
  if (options.json) {
    printJson({ ...result, alreadyResolved: !result.applied, ...(reason ? { cliReason: reason } : {}) });
    return 0;
  }
  const settled = result.applied
    ? `resolved ${approval.decision}`
    : `already resolved (same decision: ${approval.decision})`;
  printLine(`Approval ${id} ${settled} by ${by}${reason ? `; CLI reason: ${reason}` : ""}.`);
  return 0;
}
