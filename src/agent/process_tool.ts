// The `process` tool: the model's handle on commands `exec` backgrounded (list, poll, log, input,
// kill, clear, remove), answering in the reference's words. A session sees only the commands it started.
import {
  compactDuration,
  exitLabel,
  exitOutcome,
  RETENTION_CAP_NOTE,
  sessionName,
  sliceLogLines,
  truncateMiddle,
  withTimeoutGuidance,
} from "./exec_output.ts";
import type { ExecSession } from "./exec_session.ts";
import { encodeKeys, encodePaste } from "./process_keys.ts";
import { PROCESS_ACTIONS, PROCESS_PARAMETERS } from "./process_args.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import type { AgentTool, ToolCall, ToolResult } from "./tool.ts";

/** The reference's process description; with `automations` offered beside it, the sentence steering follow-ups there. */
export function processDescription(hasAutomations: boolean): string {
  return [
    "Control existing exec: list, poll, log, write, send-keys, submit, paste, kill. poll/log: status, output, quiet success, completion without auto-wake, input hints. Others: input/intervention.",
    ...(hasAutomations ? ["No polling as timer/reminder; scheduled follow-up uses automations."] : []),
  ].join(" ");
}

const DESCRIPTION = processDescription(false);
const LOG_TAIL_LINES = 200;
const INPUT_WAIT_IDLE_MS = 15_000;
const MAX_POLL_WAIT_MS = 30_000;
const OMITTED_NOTE =
  "[earlier output is omitted from this poll; use action=log with offset and limit to inspect retained output]\n\n";

function text(body: string, details: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: body }], details };
}

function fail(body: string): ToolResult {
  return text(body, { status: "failed", error: body });
}

function capNote(session: ExecSession): string {
  return session.outputDropped ? RETENTION_CAP_NOTE : "";
}

/** Whether the model asked for this stop (`process kill`), so it reads as an observation, not an error. */
function requestedStop(session: ExecSession): boolean {
  return session.cancellationRequested && session.exit?.reason === "manual-cancel";
}

function terminalStatus(session: ExecSession): "completed" | "failed" {
  if (!session.exit) return "failed";
  return exitOutcome(session.exit, { aggregated: "", durationMs: 0, timeoutSec: 0, background: true }).status;
}

function inputDetails(session: ExecSession) {
  const idleMs = Math.max(0, Date.now() - session.lastOutputAt);
  const stdinWritable = session.stdinWritable;
  return {
    stdinWritable,
    waitingForInput: stdinWritable && idleMs >= INPUT_WAIT_IDLE_MS,
    idleMs,
    lastOutputAt: session.lastOutputAt,
  };
}

function inputHint(session: ExecSession): string {
  const input = inputDetails(session);
  if (!input.waitingForInput) return "";
  return `\n\nNo new output for ${
    compactDuration(input.idleMs) ?? `${input.idleMs}ms`
  }; this session may be waiting for input. Use process write, send-keys, submit, or paste to provide input.`;
}

function finishedDetails(session: ExecSession): Record<string, unknown> {
  const exit = session.exit!;
  return {
    status: terminalStatus(session) === "completed" || requestedStop(session) ? "completed" : "failed",
    sessionId: session.id,
    exitCode: exit.exitCode ?? undefined,
    ...(exit.exitSignal != null ? { exitSignal: exit.exitSignal } : {}),
    exitReason: exit.reason,
    timedOut: exit.reason === "overall-timeout",
    name: sessionName(session.command),
  };
}

function endNote(session: ExecSession): string {
  return requestedStop(session)
    ? `\n\nProcess stopped by request (${exitLabel(session.exit!)}).`
    : `\n\nProcess exited with ${exitLabel(session.exit!)}.`;
}

function list(sessions: ExecSession[]): ToolResult {
  const rows = sessions.map((session) => {
    const common = {
      sessionId: session.id,
      status: session.exited ? terminalStatus(session) : "running",
      startedAt: session.startedAt,
      runtimeMs: (session.endedAt ?? Date.now()) - session.startedAt,
      cwd: session.cwd,
      command: session.command,
      name: sessionName(session.command),
      tail: session.tail,
      truncated: session.truncated,
    };
    return session.exited
      ? { ...common, ...finishedDetails(session), status: common.status, endedAt: session.endedAt }
      : { ...common, pid: session.pid, ...inputDetails(session) };
  });
  const lines = rows.map((row) => {
    const label = row.name ? truncateMiddle(row.name, 80) : truncateMiddle(row.command, 120);
    const timeout = "exitReason" in row && row.exitReason === "overall-timeout" ? " [overall-timeout]" : "";
    const waiting = "waitingForInput" in row && row.waitingForInput ? " [input-wait]" : "";
    return `${row.sessionId} ${row.status.padEnd(9)} ${
      compactDuration(row.runtimeMs) ?? "n/a"
    }${timeout}${waiting} :: ${label}`;
  });
  return text(lines.join("\n") || "No running or recent sessions.", { status: "completed", sessions: rows });
}

/** Waits until the session prints or ends, at most `ms` (or the call's abort). */
async function waitForOutput(session: ExecSession, ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || session.exited || session.hasPending) return;
  let stop = () => {};
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const off = session.onOutput(resolve);
    signal.addEventListener("abort", () => resolve(), { once: true });
    stop = () => {
      clearTimeout(timer);
      off();
    };
  });
  stop();
  signal.throwIfAborted();
}

async function poll(session: ExecSession, timeout: unknown, signal: AbortSignal): Promise<ToolResult> {
  const waitMs = typeof timeout === "number" && Number.isFinite(timeout)
    ? Math.max(0, Math.min(MAX_POLL_WAIT_MS, Math.floor(timeout)))
    : 0;
  await waitForOutput(session, waitMs, signal);
  const { output, dropped } = session.drain();
  const omitted = dropped ? OMITTED_NOTE : "";
  const body = output.trim() || "(no new output)";
  if (session.exited) {
    return text(
      withTimeoutGuidance(capNote(session) + omitted + body + endNote(session), session.exit!.reason),
      { ...finishedDetails(session), aggregated: session.aggregated },
    );
  }
  return text(capNote(session) + omitted + body + (inputHint(session) || "\n\nProcess still running."), {
    status: "running",
    sessionId: session.id,
    aggregated: session.aggregated,
    name: sessionName(session.command),
    ...inputDetails(session),
  });
}

function log(session: ExecSession, offset: unknown, limit: unknown): ToolResult {
  const off = typeof offset === "number" ? offset : undefined;
  const lim = typeof limit === "number" ? limit : off === undefined ? LOG_TAIL_LINES : undefined;
  const defaultTail = off === undefined && typeof limit !== "number";
  const { slice, totalLines, totalChars } = sliceLogLines(session.aggregated, off, lim);
  const running = !session.exited;
  const tailNote = defaultTail && totalLines > LOG_TAIL_LINES
    ? `\n\n[showing last ${LOG_TAIL_LINES} of ${totalLines} lines; pass offset/limit to page]`
    : "";
  const body = capNote(session) + (slice || (running ? "(no output yet)" : "(no output recorded)")) + tailNote +
    (!running && requestedStop(session) ? `\n\nProcess stopped by request (${exitLabel(session.exit!)}).` : "");
  const output = running ? body + inputHint(session) : withTimeoutGuidance(body, session.exit!.reason);
  const status = running
    ? { status: "running", sessionId: session.id, name: sessionName(session.command), ...inputDetails(session) }
    : finishedDetails(session);
  return text(output, { ...status, output, total: totalLines, totalLines, totalChars, truncated: session.truncated });
}

/** Writes to stdin, giving up when the call is aborted (a command that stops reading blocks the write). */
async function writeOrAbort(
  session: ExecSession,
  data: string | Uint8Array,
  signal: AbortSignal,
  options: { eof?: boolean } = {},
): Promise<number> {
  signal.throwIfAborted();
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason ?? new DOMException("Tool execution was aborted", "AbortError"));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  const writing = session.write(data, options);
  writing.catch(() => {});
  try {
    return await Promise.race([writing, aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

async function input(session: ExecSession, args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> {
  if (!session.stdinWritable) return fail(`Session ${session.id} stdin is not writable.`);
  const running = (body: string) =>
    text(body, { status: "running", sessionId: session.id, name: sessionName(session.command) });
  switch (args.action) {
    case "write": {
      const data = typeof args.data === "string" ? args.data : "";
      const bytes = await writeOrAbort(session, data, signal, { eof: args.eof === true });
      return running(`Wrote ${bytes} bytes to session ${session.id}${args.eof === true ? " (stdin closed)" : ""}.`);
    }
    case "submit":
      await writeOrAbort(session, "\r", signal);
      return running(`Submitted session ${session.id} (sent CR).`);
    case "paste": {
      const pasted = typeof args.text === "string" ? args.text : "";
      if (!pasted) return fail("No paste text provided.");
      await writeOrAbort(session, encodePaste(pasted, args.bracketed !== false), signal);
      return running(`Pasted ${pasted.length} chars to session ${session.id}.`);
    }
    default: {
      const { data, warnings } = encodeKeys({ keys: args.keys, hex: args.hex, literal: args.literal });
      if (data.length === 0) return fail("No key data provided.");
      await writeOrAbort(session, data, signal);
      return running(
        `Sent ${data.length} bytes to session ${session.id}.` +
          (warnings.length ? `\nWarnings:\n- ${warnings.join("\n- ")}` : ""),
      );
    }
  }
}

/** The `process` tool for one agent, over the gateway's registry. */
export function processTool(registry: ProcessRegistry): AgentTool {
  return {
    name: "process",
    label: "process",
    description: DESCRIPTION,
    parameters: PROCESS_PARAMETERS,
    execute: (args, call) => runProcess(registry, args, call),
  };
}

async function runProcess(
  registry: ProcessRegistry,
  args: Record<string, unknown>,
  call: ToolCall,
): Promise<ToolResult> {
  call.signal.throwIfAborted();
  const action = args.action;
  if (typeof action !== "string" || !(PROCESS_ACTIONS as readonly string[]).includes(action)) {
    return fail(`Invalid process action. Expected one of: ${PROCESS_ACTIONS.join(", ")}`);
  }
  const visible = registry.list(call).filter((session) => session.backgrounded);
  if (action === "list") return list(visible);
  const id = typeof args.sessionId === "string" ? args.sessionId : "";
  if (!id) return fail("sessionId is required for this action.");
  const any = registry.get(id, call);
  const session = any?.backgrounded ? any : undefined;
  const runningButForeground = any !== undefined && !any.backgrounded;
  if (runningButForeground) return fail(`Session ${id} is not backgrounded.`);
  switch (action) {
    case "poll":
      return session ? await poll(session, args.timeout, call.signal) : fail(`No session found for ${id}`);
    case "log":
      return session ? log(session, args.offset, args.limit) : fail(`No session found for ${id}`);
    case "write":
    case "send-keys":
    case "submit":
    case "paste":
      return session && !session.exited
        ? await input(session, args, call.signal)
        : fail(`No active session found for ${id}`);
    case "kill":
      if (!session || session.exited) return fail(`No active session found for ${id}`);
      session.cancellationRequested = true;
      session.kill("manual-cancel");
      return text(`Termination requested for session ${id}.`, {
        status: "completed",
        name: sessionName(session.command),
      });
    case "clear":
      if (!session?.exited) return fail(`No finished session found for ${id}`);
      registry.remove(id);
      return text(`Cleared session ${id}.`, { status: "completed" });
    default:
      if (!session) return fail(`No session found for ${id}`);
      if (!session.exited) {
        session.cancellationRequested = true;
        registry.remove(id);
        return text(`Removed session ${id} (termination requested).`, {
          status: "completed",
          name: sessionName(session.command),
        });
      }
      registry.remove(id);
      return text(`Removed session ${id}.`, { status: "completed" });
  }
}
