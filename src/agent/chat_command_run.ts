// Runs the chat commands chat_commands.ts recognizes, on the session the message was for: the gateway
// answers them itself, the model never sees them.
import type { ModelEntry } from "../config/resolve_agents.ts";
import type { SessionStore } from "../sessions/store.ts";
import { VERSION } from "../version.ts";
import { type AgentsConfig, type ModelRef, parseModelRef } from "./agents_config.ts";
import { approveFromChat, approveFromGatewayClient } from "./chat_approve.ts";
import { helpText, modelArgument, modelScope, type ParsedCommand } from "./chat_commands.ts";
import type { ExecApprovalQueue } from "./exec_approval_queue.ts";
import { runEvents } from "./run_events.ts";
import type { AgentRuns } from "./runs.ts";

/** What running a command needs. */
export interface ChatCommandDeps {
  sessions: SessionStore;
  runs: Pick<AgentRuns, "abort" | "activeRunIds">;
  agents(): AgentsConfig;
  /** The configured models (`/model` accepts only these). */
  models(): readonly ModelEntry[];
  /** A session was reset or its model changed (the gateway sends `sessions.changed`). */
  changed?: ((key: string, agentId: string, reason: string) => void) | undefined;
  /** The pending exec approvals `/approve` answers; absent, `/approve` says so. */
  approvals?: ExecApprovalQueue | undefined;
}

/** The session a command acts on. */
export interface CommandTarget {
  agentId: string;
  sessionKey: string;
  /** The channel sender and chat, for a command typed in a channel (`/approve`'s same-chat rule). */
  sender?: { channel: string; senderId: string; chat: string } | undefined;
  /** A Gateway client's connection (`chat.send`): its scopes decide `/approve`. */
  gatewayClient?: { scopes: readonly string[]; label: string } | undefined;
}

const label = (ref: ModelRef) => `${ref.provider}/${ref.model}`;

/** Runs one command and returns the reply the sender gets. */
export async function runChatCommand(
  deps: ChatCommandDeps,
  command: ParsedCommand,
  target: CommandTarget,
): Promise<string> {
  const { agentId, sessionKey } = target;
  switch (command.key) {
    case "help":
      return helpText();
    case "stop":
      deps.runs.abort({ sessionKey });
      return "⚙️ Agent was aborted.";
    case "new":
    case "reset": {
      // A fresh session window: the running turn stops, the next message starts a new transcript.
      deps.runs.abort({ sessionKey });
      await deps.sessions.reset(sessionKey, agentId);
      deps.changed?.(sessionKey, agentId, command.key);
      return "✅ New session started.";
    }
    case "model":
      return await modelCommand(deps, command.args, target);
    case "status":
      return await statusText(deps, target);
    case "think":
      return "⚙️ Thinking levels unavailable: this gateway runs every model with thinking off.";
    case "compact":
      return "⚙️ Compaction unavailable: this gateway does not compact sessions yet.";
    case "approve":
      if (deps.approvals && target.gatewayClient) {
        return approveFromGatewayClient(deps.approvals, command.args, target.gatewayClient);
      }
      if (!deps.approvals || !target.sender) return "❌ Failed to submit approval: unknown or expired approval id";
      return approveFromChat(deps.approvals, command.args, { ...target.sender, sessionKey });
  }
}

async function currentModel(deps: ChatCommandDeps, target: CommandTarget): Promise<ModelRef | undefined> {
  const row = await deps.sessions.get(target.sessionKey, target.agentId);
  if (row?.providerOverride && row.modelOverride) return { provider: row.providerOverride, model: row.modelOverride };
  return deps.agents().agents.find((a) => a.id === target.agentId)?.model;
}

async function modelCommand(deps: ChatCommandDeps, args: string, target: CommandTarget): Promise<string> {
  const wanted = modelArgument(args);
  const current = await currentModel(deps, target);
  if (!wanted || wanted === "status") {
    return [
      `Current: ${current ? label(current) : "(none configured)"}`,
      "Think: off (change with /think <level>)",
      "",
      "Session: /model <provider/model> -s",
      "Agent default: /model <provider/model> -a",
      "Global default: /model <provider/model> -g",
    ].join("\n");
  }
  const { agentId, sessionKey } = target;
  await deps.sessions.ensure(sessionKey, agentId);
  if (wanted === "default") {
    await deps.sessions.update(sessionKey, agentId, { providerOverride: undefined, modelOverride: undefined });
    deps.changed?.(sessionKey, agentId, "patch");
    const own = deps.agents().agents.find((a) => a.id === agentId)?.model;
    return `Model reset to default${own ? ` (${label(own)})` : ""}.`;
  }
  const own = deps.agents().agents.find((a) => a.id === agentId)?.model;
  const ref = parseModelRef(wanted) ?? (own ? { provider: own.provider, model: wanted } : undefined);
  if (!ref || !deps.models().some((m) => m.provider === ref.provider && m.id === ref.model)) {
    return `⚠️ Model "${wanted}" is not a configured model: name one of models.providers as /model <provider/model>.`;
  }
  await deps.sessions.update(sessionKey, agentId, { providerOverride: ref.provider, modelOverride: ref.model });
  deps.changed?.(sessionKey, agentId, "patch");
  const scope = modelScope(args);
  if (scope === "session") return `Model set to ${label(ref)} for this session only; configured default unchanged.`;
  // This gateway never writes the configured defaults from a chat.
  const targetLabel = scope === "agent" ? "Agent default" : "Global default";
  return `Model set to ${label(ref)} for this session. ${targetLabel} unchanged because configuration is immutable.`;
}

async function statusText(deps: ChatCommandDeps, target: CommandTarget): Promise<string> {
  const model = await currentModel(deps, target);
  const row = await deps.sessions.get(target.sessionKey, target.agentId);
  const running = deps.runs.activeRunIds(target.sessionKey).length;
  return [
    `🦞 OpenClaw ${VERSION}`,
    `🧠 Model: ${model ? label(model) : "(none configured)"}`,
    `🧵 Session: ${target.sessionKey}${row ? ` • id ${row.sessionId}` : ""}`,
    `⚙️ Runtime: ${running > 0 ? `${running} run${running === 1 ? "" : "s"} active` : "idle"} • Think: off`,
  ].join("\n");
}

/**
 * Sends a command's reply to WebChat as a finished run of its own (`agent` lifecycle and a `chat`
 * final), so the Control UI shows it where the answer would have been.
 */
export function announceReply(
  emit: (event: "agent" | "chat", payload: Record<string, unknown>) => void,
  ids: { runId: string; sessionKey: string; agentId: string },
  text: string,
): void {
  const events = runEvents(emit, ids);
  const at = Date.now();
  events.started(at);
  events.ended({ startedAt: at, endedAt: Date.now(), stopReason: "stop", outputTokens: 0, text });
}
