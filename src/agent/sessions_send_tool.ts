// `sessions_send`: the model sends a message into another session of this gateway, which runs it as
// a real run (the run engine the gateway lends) and, unless `timeoutSeconds` is 0, waits for the
// answer. Arguments and result shapes are the reference's; a refusal is a result, not a throw, as
// the reference answers (status "error"/"forbidden" with the reason).
import { secondsToTimerMs } from "../async/timer_ms.ts";
import { within } from "../async/within.ts";
import { agentOfKey } from "../sessions/store.ts";
import { sessionAccess } from "./session_access.ts";
import type { AgentTool, ToolCall, ToolFamily, ToolHost, ToolResult } from "./tool.ts";
import { ToolError } from "./tool.ts";

/** The reference's wait when `timeoutSeconds` is absent. */
const DEFAULT_TIMEOUT_SECONDS = 30;
/** How many sessions_send hops may lead to a run that sends again: the reference's ping-pong bound (`maxPingPongTurns`). */
export const MAX_SEND_DEPTH = 5;
/** The reference's text for a waited send that ended without visible assistant text. */
export const NO_REPLY_MESSAGE = "No visible reply or pending announcement. Continue or retry if needed.";
const MESSAGE_ALIASES = ["SendMessage", "content", "text"];
const MODES = ["notify", "steer", "followup", "resume"];

const PARAMETERS: Record<string, unknown> = {
  type: "object",
  required: ["message"],
  properties: {
    sessionKey: { type: "string" },
    label: { type: "string", minLength: 1, maxLength: 512 },
    agentId: { type: "string", minLength: 1, maxLength: 64 },
    message: { type: "string" },
    timeoutSeconds: { type: "integer", minimum: 0 },
    mode: { anyOf: MODES.map((mode) => ({ type: "string", const: mode })) },
  },
};

const DESCRIPTION = "Run a visible session on this Gateway by sessionKey/label, or a configured local agent by " +
  "agentId; sessionKey wins redundant label. A session identifies model context, not an external address. " +
  "timeoutSeconds:0 starts the run and returns at once (status accepted); otherwise waits up to timeoutSeconds " +
  '(default 30) for its reply (status ok with reply). Status "no_reply" is terminal. mode:followup starts a ' +
  "separate turn (the default here); notify, steer and resume are not available on this gateway. For an exact " +
  "external destination, use `message`.";

function json(payload: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(payload, null, 2) }], details: payload };
}

/** A send's arguments with a message written under an alias moved to `message` (the reference's preparation). */
function prepareSendArgs(args: Record<string, unknown>): Record<string, unknown> {
  const prepared = { ...args };
  if (typeof prepared.message !== "string" || !prepared.message.trim()) {
    const alias = MESSAGE_ALIASES.find((key) => typeof args[key] === "string" && (args[key] as string).trim());
    if (alias) prepared.message = args[alias];
  }
  for (const alias of MESSAGE_ALIASES) delete prepared[alias];
  return prepared;
}

function messageOf(args: Record<string, unknown>): string {
  for (const key of ["message", ...MESSAGE_ALIASES]) {
    const value = args[key];
    if (typeof value === "string" && value.trim()) return value;
  }
  throw new ToolError("message required");
}

/** The session a send targets: its full key, or the reference's error result when it names none it can find. */
async function targetOf(
  host: ToolHost,
  args: Record<string, unknown>,
  call: ToolCall,
): Promise<{ key: string; agentId: string } | { error: string; status: "error" | "forbidden" }> {
  const configured = host.agents().agents.map((a) => a.id);
  const agentArg = typeof args.agentId === "string" && args.agentId.trim() ? args.agentId.trim() : undefined;
  if (agentArg && !configured.includes(agentArg.toLowerCase())) {
    return {
      status: "error",
      error: `Agent "${agentArg}" not found. Run openclaw agents list to see configured agents.`,
    };
  }
  let key = typeof args.sessionKey === "string" && args.sessionKey.trim() ? args.sessionKey.trim() : undefined;
  const label = typeof args.label === "string" && args.label.trim() ? args.label.trim() : undefined;
  if (!key && !label && agentArg) key = `agent:${agentArg.toLowerCase()}:main`;
  if (!key && label) {
    const rows = await host.sessions.list(agentArg ? [agentArg.toLowerCase()] : configured);
    const found = rows.find((row) => row.label === label);
    if (!found) return { status: "error", error: `No session found with label: ${label}` };
    key = found.key;
  }
  if (!key) return { status: "error", error: "Either sessionKey or label is required" };
  // A bare key ("main", "work") is one of the caller's agent's sessions, as the reference scopes it.
  const full = key.startsWith("agent:") ? key : `agent:${call.agentId}:${key}`;
  const agentId = agentOfKey(full);
  if (!agentId || !configured.includes(agentId)) {
    return { status: "forbidden", error: `Session ${key} belongs to no configured agent.` };
  }
  return { key: full, agentId };
}

async function execute(host: ToolHost, args: Record<string, unknown>, call: ToolCall): Promise<ToolResult> {
  const message = messageOf(args);
  const mode = args.mode;
  if (mode !== undefined && (typeof mode !== "string" || !MODES.includes(mode))) {
    throw new ToolError("mode must be notify, steer, followup, or resume");
  }
  const rawTimeout = args.timeoutSeconds;
  if (rawTimeout !== undefined && (typeof rawTimeout !== "number" || !Number.isFinite(rawTimeout) || rawTimeout < 0)) {
    throw new ToolError("timeoutSeconds must be a non-negative integer");
  }
  const timeoutSeconds = Math.floor(rawTimeout ?? DEFAULT_TIMEOUT_SECONDS);
  const runId = crypto.randomUUID();
  if (mode === "notify" || mode === "steer" || mode === "resume") {
    return json({ runId, status: "error", error: `mode=${mode} is not available on this gateway; use mode=followup.` });
  }
  const target = await targetOf(host, args, call);
  if ("error" in target) {
    const named = typeof args.sessionKey === "string" ? { sessionKey: args.sessionKey } : {};
    return json({ runId, status: target.status, error: target.error, ...named });
  }
  const sessionKey = target.key;
  // Reach first, existence after: a caller that may not see a session must not learn whether it exists.
  const access = sessionAccess(host.config().sessionTools, {
    action: "send",
    requesterAgentId: call.agentId,
    requesterKey: call.sessionKey,
    targetAgentId: target.agentId,
    targetKey: sessionKey,
  });
  if (!access.allowed) return json({ runId, status: "forbidden", error: access.error, sessionKey });
  if (sessionKey === call.sessionKey) {
    // Waiting on our own session would wait on ourselves; not waiting would re-run it without end.
    return json({
      runId,
      status: "error",
      error: "sessions_send cannot target the calling session; use your own reply instead",
      sessionKey,
    });
  }
  const depth = call.sendDepth ?? 0;
  if (depth >= MAX_SEND_DEPTH) {
    // A→B→A→… chains end where the reference ends agent-to-agent ping-pong.
    return json({
      runId,
      status: "error",
      error: `sessions_send chain limit reached (${MAX_SEND_DEPTH} turns); use your own reply instead`,
      sessionKey,
    });
  }
  // Only an agent's main session is created on first send; any other must exist (the reference's rule).
  if (sessionKey !== `agent:${target.agentId}:main` && !(await host.sessions.get(sessionKey, target.agentId))) {
    return json({ runId, status: "error", error: `No session found: ${sessionKey}`, sessionKey });
  }
  if (!host.runs) throw new ToolError("sessions_send is not available: this gateway lends tools no run engine");
  const started = host.runs.start({
    agentId: target.agentId,
    sessionKey,
    message,
    idempotencyKey: runId,
    // Tool-routed data, not the owner's own words.
    senderIsOwner: false,
    sendDepth: depth + 1,
  });
  if (started.kind !== "accepted") {
    return json({ runId, status: "error", error: "A run with this id is already in flight", sessionKey });
  }
  const delivery = { status: "skipped", mode: "announce" };
  if (timeoutSeconds === 0) {
    return json({ runId, status: "accepted", sessionKey, targetDisposition: "queued", delivery });
  }
  const outcome = await within(started.done, secondsToTimerMs(timeoutSeconds));
  if (!outcome) {
    return json({
      runId,
      status: "timeout",
      error: `No reply within ${timeoutSeconds}s; the run goes on in ${sessionKey}.`,
      sentBeforeError: true,
      sessionKey,
    });
  }
  if (outcome.status !== "ok") {
    return json({ runId, status: "error", error: outcome.error ?? `The run ended ${outcome.status}`, sessionKey });
  }
  if (!outcome.text.trim()) return json({ runId, status: "no_reply", sessionKey, message: NO_REPLY_MESSAGE });
  return json({ runId, status: "ok", sessionKey, delivery, reply: outcome.text });
}

/** `sessions_send`, as the reference names, describes and answers it. */
export function sessionsSendTool(host: ToolHost): AgentTool {
  return {
    name: "sessions_send",
    label: "Session Send",
    description: DESCRIPTION,
    parameters: PARAMETERS,
    prepareArgs: prepareSendArgs,
    execute: (args, call) => execute(host, args, call),
  };
}

/** The family holding `sessions_send` (the session reads are session_tools.ts). */
export const sessionsSendTools: ToolFamily = (host) => [sessionsSendTool(host)];
