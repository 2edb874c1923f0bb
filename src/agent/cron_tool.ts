// The agent's scheduler tool, `automations` (`cron` is its permanent alias in tool policy), as the
// reference names and describes it: status, list (compact rows), get, add, update, remove, run,
// runs over the gateway's CronControl (ToolHost.cron). Input goes through the same normalizer and
// patch rules as the `cron.*` methods; a job made here defaults to this conversation.
import type { CronControl, CronJob, CronJobDraft } from "./cron_control.ts";
import { CronJobNotFoundError } from "./cron_control.ts";
import { normalizeCronJobInput } from "./cron_normalize.ts";
import { parseBoolean } from "../config/boolean_value.ts";
import { checkDraft, checkPatch } from "./cron_tool_input.ts";
import { validateScheduleTimestamp } from "./cron_times.ts";
import { applyCronPatch } from "./cron_patch.ts";
import { compactCronJob, cronJobReadView, deliveryPreview, effectiveAgentId, listCronPage } from "./cron_views.ts";
import type { AgentTool, ToolCall, ToolFamily, ToolHost, ToolResult } from "./tool.ts";
import { ToolError } from "./tool.ts";

/** The scheduler tool's name; `cron` names it too (tool_policy.ts ALIASES). */
export const AUTOMATIONS_TOOL_NAME = "automations";

/** The reference's refusal when a turn lacks the owner's authority over automations. */
const OWNER_ONLY =
  "Automation management requires the active configured channel owner or Control UI administrator turn.";

/** The reference's refusal of anything beyond its own job in a scheduled run. */
const SELF_SCOPE_ONLY = "Automations tool is restricted to the current automation.";

const ACTIONS = ["status", "list", "get", "add", "update", "remove", "run", "runs"] as const;

const DESCRIPTION =
  `Gateway scheduler: reminders, delayed self-wakeups, loops, recurring work. Never exec sleep/poll as timer.

ACTIONS: status | list [includeDisabled,limit?,offset?] (compact summaries with timing; use nextOffset for the next page) | get jobId (full schedule, payload, and delivery details) | add job | update jobId job (partial: only supplied fields change; null clears) | remove jobId | run jobId (runMode "force"=now) | runs jobId = history.

ADD: job requires schedule+payload.

SCHEDULE:
- {kind:"at",at:"ISO-8601"} one-shot; no tz=UTC; auto-deletes after successful completion.
- {kind:"every",everyMs}.
- {kind:"cron",expr,tz?:"IANA"}: expr is wall time in tz; never pre-convert to UTC; no tz=gateway host local. 18:00 Shanghai => {expr:"0 18 * * *",tz:"Asia/Shanghai"}.

TARGET+PAYLOAD:
- "current" (agentTurn default) = this conversation.
- "isolated" = fresh detached session; standalone background work.
- "main" = heartbeat lane; payload {kind:"systemEvent",text} (systemEvent default target).
- "session:<key>" = named session.
- {kind:"agentTurn",message}; timeoutSeconds 0=none.

DELIVERY: where detached run output goes. Omitted=announce (current=>this chat; isolated=>last route; set channel/to for a specific chat). webhook posts the finished-run event to the URL in \`to\`.

Job wakeMode (main jobs): "now"(default)|"next-heartbeat". jobId canonical (id=compat).`;

const PARAMETERS: Record<string, unknown> = {
  type: "object",
  required: ["action"],
  properties: {
    action: { type: "string", enum: [...ACTIONS] },
    jobId: { type: "string", description: "Job id (list, get, update, remove, run, runs)" },
    id: { type: "string", description: "Job id (compatibility alias of jobId)" },
    includeDisabled: { type: "boolean" },
    limit: { type: "integer", minimum: 1, maximum: 200 },
    offset: { type: "integer", minimum: 0 },
    runMode: { type: "string", enum: ["due", "force"] },
    job: {
      type: "object",
      description: "The job (add) or the fields to change (update): name, schedule, sessionTarget, wakeMode, " +
        "payload, delivery, enabled, deleteAfterRun, agentId, description",
      additionalProperties: true,
    },
  },
};

function jsonResult(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

function jobIdOf(args: Record<string, unknown>): string {
  const raw = typeof args.jobId === "string" ? args.jobId : typeof args.id === "string" ? args.id : "";
  if (!raw.trim()) throw new ToolError("jobId required (id accepted for backward compatibility)");
  return raw.trim();
}

function schedulerOf(host: ToolHost): CronControl {
  if (!host.cron) throw new ToolError("The automations scheduler is not running on this gateway.");
  return host.cron;
}

function found(cron: CronControl, jobId: string): CronJob {
  const job = cron.get(jobId);
  if (!job) throw new ToolError(`cron job not found: ${jobId}`);
  return job;
}

/** A conversation's jobs run as its own agent (the reference: `job agentId outside caller scope`). */
function refuseOtherAgent(agentId: unknown, call: ToolCall): void {
  if (typeof agentId === "string" && agentId !== call.agentId.toLowerCase()) {
    throw new ToolError("invalid cron.add params: job agentId outside caller scope");
  }
}

async function add(host: ToolHost, args: Record<string, unknown>, call: ToolCall): Promise<ToolResult> {
  const cron = schedulerOf(host);
  if (!args.job || typeof args.job !== "object" || Array.isArray(args.job)) throw new ToolError("job required");
  // As `cron.add`: an `enabled` that is no boolean is refused, not read as "on" by the create defaults.
  if ("enabled" in args.job && parseBoolean((args.job as Record<string, unknown>).enabled) === undefined) {
    throw new ToolError("job.enabled must be a boolean");
  }
  let job: Record<string, unknown> | null;
  try {
    job = normalizeCronJobInput(args.job, { applyDefaults: true, sessionKey: call.sessionKey });
  } catch (error) {
    throw new ToolError(error instanceof Error ? error.message : String(error));
  }
  if (!job) throw new ToolError("job required");
  // A job made in a conversation belongs to its agent and, unless isolated, to its session.
  refuseOtherAgent(job.agentId, call);
  job.agentId ??= call.agentId;
  if (!("sessionKey" in job) && job.sessionTarget !== "isolated") job.sessionKey = call.sessionKey;
  const payload = job.payload as Record<string, unknown> | undefined;
  const delivery = job.delivery as Record<string, unknown> | undefined;
  const announce = !delivery || delivery.mode === undefined || delivery.mode === "announce";
  if (payload?.kind === "agentTurn" && call.origin && announce && !delivery?.channel && !delivery?.to) {
    // Reminders made from a chat answer in that chat.
    job.delivery = {
      mode: "announce",
      channel: call.origin.channel,
      ...(call.origin.to ? { to: call.origin.to } : {}),
      ...(call.origin.accountId ? { accountId: call.origin.accountId } : {}),
      ...delivery,
    };
  }
  checkDraft(job);
  const timestamp = validateScheduleTimestamp(job.schedule, Date.now());
  if (!timestamp.ok) throw new ToolError(timestamp.message);
  if (payload?.kind === "agentTurn" && payload.toolsAllow === undefined) payload.toolsAllow = ["*"];
  const draft = job as unknown as CronJobDraft;
  // A gateway that had no jobs keeps its scheduler unloaded until the first add (as `cron.add` awaits it).
  await cron.ready?.();
  // Loading replaces the stand-in: add through the scheduler the host lends now.
  const created = schedulerOf(host).add(draft);
  return jsonResult({ ...cronJobReadView(created), deliveryPreview: deliveryPreview(created) });
}

function update(host: ToolHost, args: Record<string, unknown>, call: ToolCall): ToolResult {
  const cron = schedulerOf(host);
  const jobId = jobIdOf(args);
  if (!args.job || typeof args.job !== "object" || Array.isArray(args.job)) throw new ToolError("job required");
  try {
    const patch = normalizeCronJobInput(args.job, { applyDefaults: false }) ?? {};
    refuseOtherAgent(patch.agentId, call);
    if (patch.schedule) {
      const timestamp = validateScheduleTimestamp(patch.schedule, Date.now());
      if (!timestamp.ok) throw new ToolError(timestamp.message);
    }
    checkPatch(patch, applyCronPatch(found(cron, jobId), patch, Date.now()));
    return jsonResult(cronJobReadView(cron.update(jobId, (current) => applyCronPatch(current, patch, Date.now()))));
  } catch (error) {
    if (error instanceof CronJobNotFoundError) throw new ToolError(error.message);
    if (error instanceof ToolError) throw error;
    throw new ToolError(error instanceof Error ? error.message : String(error));
  }
}

/** The job a cron-triggered run belongs to (the runner's run ids are `cron:<jobId>:<runId>`); undefined otherwise. */
function selfJobId(runId: string): string | undefined {
  if (!runId.startsWith("cron:")) return undefined;
  const rest = runId.slice("cron:".length);
  const end = rest.indexOf(":");
  return end === -1 ? rest : rest.slice(0, end);
}

/**
 * A scheduled run's tool, as the reference restricts it: status, its own job (list, get, runs) and
 * removing itself. A job's model often reads untrusted content; it must not create, change or run
 * other automations (they would run later with the operator's trust).
 */
function selfScoped(
  cron: CronControl,
  action: string,
  args: Record<string, unknown>,
  scope: { self: string; agentId: string },
): ToolResult {
  const { self } = scope;
  if (action === "status") return jsonResult({ enabled: cron.status().enabled });
  if (action === "list") {
    const own = cron.get(self);
    const jobs = own ? [{ ...compactCronJob(own), effectiveAgentId: effectiveAgentId(own, scope.agentId) }] : [];
    return jsonResult({ jobs, total: jobs.length, offset: 0, limit: 200, hasMore: false, nextOffset: null });
  }
  if (!["get", "remove", "runs"].includes(action) || jobIdOf(args) !== self) throw new ToolError(SELF_SCOPE_ONLY);
  if (action === "get") return jsonResult(cronJobReadView(found(cron, self)));
  if (action === "remove") return jsonResult({ ok: true, removed: cron.remove(self) });
  return runsOf(cron, self);
}

function runsOf(cron: CronControl, jobId: string): ToolResult {
  const page = cron.runs({ jobId, limit: 50, offset: 0 });
  const nextOffset = page.entries.length;
  return jsonResult({
    entries: page.entries,
    total: page.total,
    offset: 0,
    limit: 50,
    hasMore: nextOffset < page.total,
    nextOffset: nextOffset < page.total ? nextOffset : null,
  });
}

function execute(host: ToolHost, args: Record<string, unknown>, call: ToolCall): ToolResult | Promise<ToolResult> {
  const action = typeof args.action === "string" ? args.action.trim() : "";
  if (!action) throw new ToolError("action required");
  if (!(ACTIONS as readonly string[]).includes(action)) throw new ToolError(`Unknown cron action: ${action}`);
  // Owner-only, as the reference's (GATEWAY_OWNER_ONLY_CORE_TOOLS): a job runs later with the
  // operator's trust and every tool, so a non-owner chat sender must not schedule or touch one.
  if (!call.senderIsOwner) throw new ToolError(OWNER_ONLY);
  const cron = schedulerOf(host);
  const self = selfJobId(call.runId);
  if (self !== undefined) return selfScoped(cron, action, args, { self, agentId: call.agentId });
  switch (action) {
    case "status": {
      const status = cron.status();
      return jsonResult({ enabled: status.enabled, jobs: status.jobs, nextWakeAtMs: status.nextWakeAtMs });
    }
    case "list": {
      const page = listCronPage(cron.list(), {
        includeDisabled: Boolean(args.includeDisabled),
        limit: typeof args.limit === "number" ? args.limit : undefined,
        offset: typeof args.offset === "number" ? args.offset : undefined,
      }, call.agentId);
      const jobs = page.jobs.map((job) => ({
        ...compactCronJob(job),
        effectiveAgentId: effectiveAgentId(job, call.agentId),
      }));
      return jsonResult({ ...page, jobs, scope: "gateway" });
    }
    case "get":
      return jsonResult(cronJobReadView(found(cron, jobIdOf(args))));
    case "add":
      return add(host, args, call);
    case "update":
      return update(host, args, call);
    case "remove": {
      const jobId = jobIdOf(args);
      found(cron, jobId);
      return jsonResult({ ok: true, removed: cron.remove(jobId) });
    }
    case "run": {
      const jobId = jobIdOf(args);
      found(cron, jobId);
      const started = cron.run(jobId, args.runMode === "force" ? "force" : "due");
      return jsonResult(
        started.ran
          ? { ok: true, enqueued: true, runId: started.runId }
          : { ok: true, ran: false, reason: started.reason },
      );
    }
    default:
      return runsOf(cron, jobIdOf(args));
  }
}

/** The `automations` tool over the host's scheduler. */
export function automationsTool(host: ToolHost): AgentTool {
  return {
    name: AUTOMATIONS_TOOL_NAME,
    label: "Automations",
    description: DESCRIPTION,
    parameters: PARAMETERS,
    execute: (args, call) => Promise.resolve().then(() => execute(host, args, call)),
  };
}

/** The scheduler family: the `automations` tool, only where the gateway lends a scheduler. */
export const automationsTools: ToolFamily = (host) => (host.cron ? [automationsTool(host)] : []);
