// The `exec` tool: runs a shell command in the sandbox or, after the operators' approval policy
// allows it, on the gateway host. It waits up to `yieldMs` (or not at all with `background`), then
// hands the running command to `process`; output streams to clients through `call.update()`.
import type { ResolvedExecSettings } from "../config/resolve_exec.ts";
import { hostLaunch, type Launch, type LaunchHostFacts, sandboxLaunch, unavailableWorkdir } from "./exec_launch.ts";
import {
  BACKGROUND_FOLLOW_UP,
  type ExecOutcome,
  exitOutcome,
  renderOutput,
  RETENTION_CAP_NOTE,
} from "./exec_output.ts";
import { clampTimeoutSec, type ExecSession } from "./exec_session.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import { backendProblem, isSandboxed, resolveExecTarget, SANDBOX_OFF } from "./sandbox_policy.ts";
import type { AgentSpec } from "./agents_config.ts";
import { EXEC_PARAMETERS, type ExecArgs, parseExecArgs } from "./exec_args.ts";
import { type AgentTool, type ToolCall, ToolError, type ToolHost, type ToolResult } from "./tool.ts";

/** The exec settings when an agent carries none: the reference's defaults. */
export const EXEC_DEFAULTS: ResolvedExecSettings = {
  host: "auto",
  timeoutSec: 1800,
  backgroundMs: 10_000,
  cleanupMs: 1_800_000,
  pathPrepend: [],
};

/**
 * The reference's exec description; with `automations` offered beside it, the sentence steering reminders there
 * (the reference adds it only then: without that tool the advice names a tool the model cannot call).
 */
export function execDescription(hasAutomations: boolean): string {
  return [
    "Run shell now; background continuation supported. Completed calls return command output directly. Use process only when exec reports running with a sessionId; output text alone is not a process handle. Long run: automatic completion wake when enabled and output/failure occurs; otherwise process confirms completion.",
    ...(hasAutomations ? ["No sleep loops for reminders/follow-ups; use automations."] : []),
    "TTY CLI/UI/coding agent: pty=true. Quote arguments containing shell metacharacters, including URL query strings with `?` or `&`.",
  ].join(" ");
}

const DESCRIPTION = execDescription(false);

function failedResult(text: string, details: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text }], details: { status: "failed", ...details } };
}

/** The result of a command that ended while `exec` waited, as the reference shapes it. */
export function foregroundResult(
  outcome: ExecOutcome,
  facts: { cwd: string; warnings: string[]; dropped: boolean },
): ToolResult {
  const warnings = facts.warnings.length ? `${facts.warnings.join("\n")}\n\n` : "";
  const cap = facts.dropped ? RETENTION_CAP_NOTE : "";
  const common = {
    exitCode: outcome.exitCode,
    exitSignal: outcome.exitSignal,
    exitReason: outcome.exitReason,
    durationMs: outcome.durationMs,
    aggregated: outcome.aggregated,
  };
  if (outcome.status === "failed") {
    return failedResult(`${cap}${warnings}${outcome.reason ?? ""}`, {
      ...common,
      failureKind: outcome.failureKind,
      timedOut: outcome.timedOut,
      cwd: facts.cwd,
    });
  }
  return {
    content: [{ type: "text", text: `${cap}${warnings}${renderOutput(outcome.aggregated)}` }],
    details: { status: "completed", ...common, cwd: facts.cwd },
  };
}

/**
 * bwrap's own failures get the fix appended: `ran` is false when bwrap's status never recorded the
 * command's exit (it failed before running it); a command's own output is never rewritten.
 */
function bwrapHint(outcome: ExecOutcome, output: string, ran: boolean | undefined, cwd: string): ExecOutcome {
  if (ran !== false || outcome.exitCode !== 1) return outcome;
  if (/^bwrap: Can't chdir/m.test(output)) {
    return {
      ...outcome,
      status: "failed",
      failureKind: "runtime-error",
      aggregated: "",
      reason: unavailableWorkdir(cwd),
    };
  }
  const hint =
    '\n\nThe bubblewrap sandbox failed to start: command was not executed. The gateway host must allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1, or an AppArmor profile that allows bwrap), or turn the sandbox off with agents.defaults.sandbox.mode="off".';
  return {
    ...outcome,
    status: "failed",
    failureKind: "sandbox-unavailable",
    aggregated: output,
    reason: output + hint,
  };
}

/** Whether bwrap ran the command to its end (its status has `exit-code`); reads, then removes, the file. */
async function sandboxRan(session: ExecSession, statusFile: string): Promise<boolean> {
  await session.done.catch(() => {});
  const status = await Deno.readTextFile(statusFile).catch(() => "");
  await Deno.remove(statusFile).catch(() => {});
  return /"exit-code"\s*:/.test(status);
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException("Tool execution was aborted", "AbortError");
}

/** Everything `exec` needs beyond the call: the registry and the host facts (seams for tests). */
export interface ExecToolDeps {
  registry: ProcessRegistry;
  facts: LaunchHostFacts;
}

/** The `exec` tool for one agent. */
export function execTool(host: ToolHost, agent: AgentSpec, deps: ExecToolDeps): AgentTool {
  return {
    name: "exec",
    label: "exec",
    description: DESCRIPTION,
    parameters: EXEC_PARAMETERS,
    execute: (args, call) => runExec(parseExecArgs(args), call, { host, agent, deps }),
  };
}

async function runExec(
  args: ExecArgs,
  call: ToolCall,
  context: { host: ToolHost; agent: AgentSpec; deps: ExecToolDeps },
): Promise<ToolResult> {
  call.signal.throwIfAborted();
  const { agent, host, deps } = context;
  const settings = agent.exec ?? EXEC_DEFAULTS;
  const sandbox = agent.sandbox ?? SANDBOX_OFF;
  const sandboxed = isSandboxed(sandbox, call.agentId, call.sessionKey);
  if (args.elevated) {
    throw new ToolError(`elevated is not available right now (runtime=${sandboxed ? "sandboxed" : "direct"}).`);
  }
  if (sandboxed) {
    const problem = backendProblem(sandbox);
    if (problem) throw new ToolError(problem);
  }
  const target = resolveExecTarget(settings.host, args.host, sandboxed);
  if ("error" in target) throw new ToolError(target.error);
  const warnings = args.pty ? ["Warning: pty is not available on this gateway; running without a terminal."] : [];
  const request = {
    command: args.command,
    workdir: args.workdir,
    env: args.env,
    settings,
    workspace: call.workspace,
    agentId: call.agentId,
    sessionKey: call.sessionKey,
  };
  let launch: Launch;
  if (target.host === "sandbox") launch = await sandboxLaunch(request, sandbox, deps.facts);
  else {
    // Nothing runs on the gateway host unless the operators' approval policy says so.
    if (!host.approvals) {
      throw new ToolError(
        "exec on the gateway host is refused: exec approvals are not available on this gateway, so no host command may run. Run it in the sandbox (agents.defaults.sandbox.mode) or enable exec approvals.",
      );
    }
    launch = await hostLaunch(request, deps.facts);
    if (!launch.ok) {
      return failedResult(launch.error, { exitCode: null, durationMs: 0, aggregated: "", cwd: launch.displayCwd });
    }
    const decision = await host.approvals.authorize({
      command: args.command,
      cwd: launch.displayCwd,
      agentId: call.agentId,
      sessionKey: call.sessionKey,
      runId: call.runId,
      host: "gateway",
      origin: call.origin,
      toolCallId: call.toolCallId,
      ask: args.ask,
      ...(launch.env.PATH ? { path: launch.env.PATH } : {}),
      ...(Object.keys(args.env).length ? { envKeys: Object.keys(args.env).sort() } : {}),
    }, call.signal);
    if (!decision.allowed) throw new ToolError(decision.reason);
    call.signal.throwIfAborted();
  }
  if (!launch.ok) {
    return failedResult(launch.error, { exitCode: null, durationMs: 0, aggregated: "", cwd: launch.displayCwd });
  }
  const statusFile = launch.statusFile;
  const timeoutSec = clampTimeoutSec(args.timeoutSeconds ?? settings.timeoutSec);
  const startedAt = Date.now();
  let session: ExecSession;
  try {
    // The run may have been stopped while the sandbox was prepared: nothing starts then.
    call.signal.throwIfAborted();
    session = deps.registry.start({
      argv: launch.argv,
      env: launch.env,
      cwd: launch.cwd,
      command: args.command,
      displayCwd: launch.displayCwd,
      agentId: call.agentId,
      sessionKey: call.sessionKey,
      timeoutSec,
    }, { cleanupMs: settings.cleanupMs });
  } catch (error) {
    if (statusFile) await Deno.remove(statusFile).catch(() => {});
    if (call.signal.aborted) throw abortError(call.signal);
    return failedResult(`${warnings.map((w) => `${w}\n\n`).join("")}${String(error)}`, {
      exitCode: null,
      durationMs: Date.now() - startedAt,
      aggregated: "",
      failureKind: "runtime-error",
      cwd: launch.displayCwd,
    });
  }
  try {
    const ran = statusFile ? sandboxRan(session, statusFile) : Promise.resolve(undefined);
    return await waitOrYield(session, { args, call, settings, warnings, ran, timeoutSec });
  } finally {
    // Only backgrounded commands stay for `process`; one that ended while exec waited is done with.
    if (!session.backgrounded) deps.registry.remove(session.id);
  }
}

async function waitOrYield(
  session: ExecSession,
  context: {
    args: ExecArgs;
    call: ToolCall;
    settings: ResolvedExecSettings;
    warnings: string[];
    /** Sandboxed: whether bwrap ran the command (settles after it ended); host: undefined. */
    ran: Promise<boolean | undefined>;
    timeoutSec: number;
  },
): Promise<ToolResult> {
  const { args, call, settings, warnings } = context;
  const warningText = warnings.length ? `${warnings.join("\n")}\n\n` : "";
  const unsubscribe = session.onOutput(() => {
    if (session.backgrounded || session.exited) return;
    call.update({
      content: [{ type: "text", text: warningText + renderOutput(session.tail || session.aggregated) }],
      details: {
        status: "running",
        sessionId: session.id,
        pid: session.pid,
        startedAt: session.startedAt,
        cwd: session.cwd,
        tail: session.tail,
      },
    });
  });
  const yieldWindow = args.background ? 0 : Math.min(Math.max(args.yieldMs ?? settings.backgroundMs, 10), 120_000);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const yielded = new Promise<"yield">((resolve) => {
    timer = setTimeout(() => resolve("yield"), yieldWindow);
  });
  const aborted = new Promise<"abort">((resolve) => {
    onAbort = () => resolve("abort");
    if (call.signal.aborted) onAbort();
    else call.signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const first = await Promise.race([session.done, yielded, aborted]);
    if (first === "abort") {
      session.kill("aborted");
      await session.done;
      throw abortError(call.signal);
    }
    if (first === "yield" && !session.exited) {
      session.backgrounded = true;
      return {
        content: [{
          type: "text",
          text:
            `${warningText}Command still running (session ${session.id}, pid ${session.pid}). ${BACKGROUND_FOLLOW_UP}`,
        }],
        details: {
          status: "running",
          sessionId: session.id,
          pid: session.pid,
          startedAt: session.startedAt,
          cwd: session.cwd,
          tail: session.tail,
          followUp: BACKGROUND_FOLLOW_UP,
        },
      };
    }
    const exit = await session.done;
    const output = session.aggregated.trim();
    const outcome = exitOutcome(exit, {
      aggregated: output,
      durationMs: (session.endedAt ?? Date.now()) - session.startedAt,
      timeoutSec: context.timeoutSec,
      background: true,
    });
    return foregroundResult(bwrapHint(outcome, output, await context.ran, session.cwd), {
      cwd: session.cwd,
      warnings,
      dropped: session.outputDropped,
    });
  } finally {
    unsubscribe();
    clearTimeout(timer);
    if (onAbort) call.signal.removeEventListener("abort", onAbort);
  }
}
