// `openclaw cron` (alias `openclaw automations`): the scheduler's jobs through the gateway's
// `cron.*` methods, with the reference CLI's params, JSON output and failure envelope.
import { connectGateway, GatewayRequestError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";
import { type CronJobRow, cronListText, cronShowText, type DeliveryPreviewRow, jobStatus } from "./cron_format.ts";
import { addParams, CronCliError, type CronMutationFlags } from "./cron_params.ts";
import { editPatch } from "./cron_edit_params.ts";

/** Flags of the `openclaw cron` subcommands. */
export interface CronOptions extends RpcOptions, CronMutationFlags {
  all?: boolean;
  id?: string;
  runId?: string;
  status?: string;
  deliveryStatus?: string;
  query?: string;
  offset?: string;
  sort?: string;
  limit?: string;
  due?: boolean;
  wait?: boolean;
  waitTimeout?: string;
  pollInterval?: string;
}

/** Which options the user typed (commander's `getOptionValueSource(...) === "cli"`). */
export interface FromCli {
  session: boolean;
  channel: boolean;
}

const SCOPES = ["operator.admin"];

/** Why a job lookup failed, in the reference CLI's words. */
function lookupMiss(jobId: string): string {
  return `Automation not found: ${jobId}. Run \`openclaw cron list\` to see recent automation ids.`;
}

function failureMessage(error: unknown): string {
  if (error instanceof GatewayRequestError) {
    const details = error.details as { code?: string; jobId?: string } | undefined;
    if (details?.code === "CRON_JOB_NOT_FOUND" && typeof details.jobId === "string") return lookupMiss(details.jobId);
  }
  return error instanceof Error ? error.message : String(error);
}

/** A refused command: the JSON envelope on stdout when the output is JSON, the message on stderr. */
function fail(error: unknown, json: boolean): number {
  const message = failureMessage(error);
  if (json) printJson({ ok: false, error: { type: "cli_error", message } });
  printError(message);
  return 1;
}

/** One RPC over the command's connection. */
export type Call = <T>(method: string, params: Record<string, unknown>) => Promise<T>;

/** Runs `work` over one gateway connection; `json`: whether this command's output is JSON. */
export async function withGateway(
  options: RpcOptions,
  json: boolean,
  work: (call: Call) => Promise<number>,
): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  let connection;
  try {
    connection = await connectGateway(target, { scopes: SCOPES, timeoutMs });
  } catch (error) {
    return reportGatewayFailure(error, target, { json, action: "Cron" });
  }
  try {
    return await work((method, params) => connection.request(method, params, timeoutMs));
  } catch (error) {
    if (error instanceof GatewayRequestError || error instanceof CronCliError) return fail(error, json);
    return reportGatewayFailure(error, target, { json, action: "Cron" });
  } finally {
    connection.close();
  }
}

/** The job id given, trimmed; a refusal without one. */
export function requireId(id: string | undefined, accepted = "Pass it positionally."): string {
  const jobId = id?.trim();
  if (!jobId) throw new CronCliError(`Missing job id. ${accepted}`);
  return jobId;
}

/** The scheduler-disabled warning the reference prints after a change. */
async function warnIfDisabled(call: Call): Promise<void> {
  const status = await call<{ enabled?: boolean; sqlitePath?: string }>("cron.status", {}).catch(() => undefined);
  if (status?.enabled !== false) return;
  printError(
    [
      "warning: the automations scheduler is disabled in the Gateway; jobs are saved but will not run automatically.",
      "To enable automatic runs, set `cron.enabled: true` (or remove `cron.enabled: false`), remove `OPENCLAW_SKIP_CRON=1` from the Gateway's launch environment, and restart the Gateway.",
      status.sqlitePath ? `store: ${status.sqlitePath}` : "",
    ].filter(Boolean).join("\n"),
  );
}

interface ListPage {
  jobs: CronJobRow[];
  deliveryPreviews?: Record<string, DeliveryPreviewRow>;
  hasMore?: boolean;
  nextOffset?: number | null;
  snapshotRevision?: string;
}

/** Every page of `cron.list` (the reference pages by 200 and keeps the first page's revision). */
async function listAll(call: Call, params: Record<string, unknown>): Promise<ListPage & Record<string, unknown>> {
  const first = await call<ListPage & Record<string, unknown>>("cron.list", { ...params, limit: 200, offset: 0 });
  const jobs = [...first.jobs];
  const previews = { ...(first.deliveryPreviews ?? {}) };
  let page: ListPage = first;
  while (page.hasMore && typeof page.nextOffset === "number") {
    page = await call<ListPage>("cron.list", { ...params, limit: 200, offset: page.nextOffset });
    jobs.push(...page.jobs);
    Object.assign(previews, page.deliveryPreviews ?? {});
  }
  return { ...first, jobs, deliveryPreviews: previews, hasMore: false, nextOffset: null };
}

function withStatus(job: CronJobRow): CronJobRow & { status: string } {
  return { ...job, status: jobStatus(job) };
}

/** `openclaw cron status`. */
export function cronStatus(options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    printJson(await call("cron.status", {}));
    return 0;
  });
}

/** `openclaw cron list [--all] [--agent <id>] [--json]`. */
export function cronList(options: CronOptions): Promise<number> {
  return withGateway(options, Boolean(options.json), async (call) => {
    const params: Record<string, unknown> = { includeDisabled: Boolean(options.all) };
    if (typeof options.agent === "string") {
      if (!options.agent.trim()) throw new CronCliError("--agent must not be blank");
      params.agentId = options.agent.trim().toLowerCase();
    }
    const result = await listAll(call, params);
    if (options.json) printJson({ ...result, jobs: result.jobs.map(withStatus) });
    else printLine(cronListText(result.jobs, result.deliveryPreviews ?? {}, Date.now()));
    return 0;
  });
}

/** `openclaw cron add|create [schedule] [message]` and its flags. */
export function cronAdd(
  positional: { first?: string | undefined; second?: string | undefined },
  options: CronOptions,
  fromCli: FromCli,
): Promise<number> {
  return withGateway(options, true, async (call) => {
    const params = addParams(positional, options, {
      nowMs: Date.now(),
      sessionFromCli: fromCli.session,
      channelFromCli: fromCli.channel,
    });
    const payload = params.payload as { kind: string };
    if (payload.kind === "agentTurn" && !params.agentId) {
      printError(
        "No --agent specified; the job will run with the configured default agent. Specify --agent to choose a specific agent, or set agents.defaults.systemAgent.agentId.",
      );
    }
    printJson(await call("cron.add", params));
    await warnIfDisabled(call);
    return 0;
  });
}

/** `openclaw cron edit <id>` and its flags. */
export function cronEdit(id: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    const jobId = requireId(id);
    printJson(await call("cron.update", { id: jobId, patch: editPatch(options, Date.now()) }));
    await warnIfDisabled(call);
    return 0;
  });
}

/** `openclaw cron enable|disable <id>`. */
export function cronToggle(id: string | undefined, enabled: boolean, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    printJson(await call("cron.update", { id: requireId(id), patch: { enabled } }));
    if (!enabled && Deno.stderr.isTerminal()) {
      printError(
        "Note: 'openclaw cron list' hides disabled jobs by default. Use 'openclaw cron list --all' to see this job, or 'openclaw cron enable <id>' to re-enable it.",
      );
    }
    await warnIfDisabled(call);
    return 0;
  });
}

/** `openclaw cron rm|remove|delete <id>`. */
export function cronRemove(id: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    printJson(await call("cron.remove", { id: requireId(id) }));
    return 0;
  });
}

/** `openclaw cron get <id>`: the stored job as JSON. */
export function cronGet(id: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    printJson(await call("cron.get", { id: requireId(id) }));
    return 0;
  });
}

/** `openclaw cron show <id|name>`: the human view with its delivery preview. */
export function cronShow(idOrName: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, Boolean(options.json), async (call) => {
    const wanted = requireId(idOrName);
    const result = await listAll(call, { includeDisabled: true, query: wanted });
    const byId = result.jobs.find((job) => job.id === wanted);
    const byName = result.jobs.filter((job) => job.name.toLowerCase() === wanted.toLowerCase());
    if (!byId && byName.length > 1) {
      throw new CronCliError(
        "Multiple automations match this name. Retry this command with a matching job ID instead of the name.",
      );
    }
    const job = byId ?? byName[0];
    if (!job) throw new CronCliError(lookupMiss(wanted));
    if (options.json) printJson(withStatus(job));
    else printLine(cronShowText(job, result.deliveryPreviews?.[job.id], Date.now()));
    return 0;
  });
}

function integerOption(raw: string | undefined, flag: string, min: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || value < min) {
    throw new CronCliError(`${flag} must be a ${min === 0 ? "non-negative" : "positive"} integer`);
  }
  return value;
}

/** `openclaw cron runs [id] [--id] [--limit] [--status] ...`: one job's run history. */
export function cronRuns(id: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    const argId = id?.trim();
    const flagId = options.id?.trim();
    if (argId && flagId && argId !== flagId) {
      throw new CronCliError(`Conflicting job ids: positional "${argId}" and --id "${flagId}".`);
    }
    const jobId = requireId(argId ?? flagId, "Pass it positionally or with --id.");
    const limit = integerOption(options.limit ?? "50", "--limit", 1);
    const offset = integerOption(options.offset, "--offset", 0);
    if (typeof options.runId === "string" && !options.runId.trim()) {
      throw new CronCliError("--run-id must not be blank");
    }
    printJson(
      await call("cron.runs", {
        id: jobId,
        ...(options.runId?.trim() ? { runId: options.runId } : {}),
        ...(options.status ? { status: options.status } : {}),
        ...(options.deliveryStatus ? { deliveryStatus: options.deliveryStatus } : {}),
        ...(typeof options.query === "string" ? { query: options.query } : {}),
        ...(offset !== undefined ? { offset } : {}),
        ...(options.sort ? { sortDir: options.sort } : {}),
        limit,
      }),
    );
    return 0;
  });
}

interface RunAnswer {
  ok?: boolean;
  ran?: boolean;
  enqueued?: boolean;
  runId?: string;
}

/** `openclaw cron run <id> [--due] [--wait]`: a run now, optionally waited for. */
export function cronRun(id: string | undefined, options: CronOptions): Promise<number> {
  return withGateway(options, true, async (call) => {
    const jobId = requireId(id);
    const result = await call<RunAnswer & Record<string, unknown>>("cron.run", {
      id: jobId,
      mode: options.due ? "due" : "force",
    });
    if (options.wait && result.ok && result.enqueued && result.runId) {
      const timeoutMs = parseWait(options.waitTimeout ?? "10m", "--wait-timeout");
      const pollMs = parseWait(options.pollInterval ?? "2s", "--poll-interval");
      const entry = await waitForRun(call, { jobId, runId: result.runId, timeoutMs, pollMs });
      const completionStatus = entry.completionStatus ?? (entry.status === "ok" ? "succeeded" : "failed");
      printJson({
        ...result,
        completed: true,
        status: entry.status,
        completionStatus,
        run: { ...entry, completionStatus },
      });
      return completionStatus === "succeeded" ? 0 : 1;
    }
    printJson(result);
    return result.ok && (result.ran || result.enqueued) ? 0 : 1;
  });
}

function parseWait(raw: string, flag: string): number {
  const match = /^(\d+)(ms|s|m|h)?$/.exec(raw.trim());
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match?.[2] ?? "ms") as "ms" | "s" | "m" | "h"];
  const ms = match ? Number(match[1]) * unit : 0;
  if (!(ms > 0)) throw new CronCliError(`${flag} must be greater than zero`);
  return ms;
}

interface RunEntry {
  runId?: string;
  status?: string;
  completionStatus?: string;
}

async function waitForRun(
  call: Call,
  wait: { jobId: string; runId: string; timeoutMs: number; pollMs: number },
): Promise<RunEntry> {
  const deadline = Date.now() + wait.timeoutMs;
  while (true) {
    const page = await call<{ entries: RunEntry[] }>("cron.runs", { id: wait.jobId, runId: wait.runId, limit: 1 });
    const entry = page.entries[0];
    if (entry && ["ok", "error", "skipped"].includes(entry.status ?? "")) return entry;
    if (Date.now() >= deadline) throw new CronCliError(`timed out waiting for cron run ${wait.runId}`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait.pollMs, deadline - Date.now())));
  }
}
