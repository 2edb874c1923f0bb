// Runs the chat commands chat_commands.ts recognizes, on the session the message was for: the gateway
// answers them itself, the model never sees them.
import type { ModelEntry } from "../config/resolve_agents.ts";
import { knownProviderIds } from "../config/resolve_providers.ts";
import type { SessionStore } from "../sessions/store.ts";
import { sessionRowCopy } from "../sessions/session_row.ts";
import { VERSION } from "../version.ts";
import type { AgentsConfig, ModelRef } from "./agents_config.ts";
import { openModelPolicy, policyAllows } from "../config/model_policy.ts";
import { configuredProvider, unknownProviderMessage } from "../config/model_choice.ts";
import { REFERENCE_DEFAULT_MODEL } from "../config/model_selection.ts";
import { resetModelHint, resolveModelDirective } from "./model_directive.ts";
import { approveFromChat, approveFromGatewayClient } from "./chat_approve.ts";
import { helpText, modelArgument, modelScope, type ParsedCommand } from "./chat_commands.ts";
import { modelListText } from "./model_list_text.ts";
import type { ExecApprovalQueue } from "./exec_approval_queue.ts";
import { runEvents } from "./run_events.ts";
import { statusCard } from "./status_card.ts";
import type { AgentRuns } from "./runs.ts";
import { formatContextUsage, formatTokenCount } from "./compaction.ts";
import type { ManualCompaction } from "./compaction_manual.ts";
import { ALREADY_COMPACTED, NOTHING_TO_COMPACT } from "./compaction_run.ts";
import type { InternalHookEmitter } from "./internal_hooks.ts";
import { createInternalHookEvent } from "./internal_hooks.ts";
import { emitSessionPatch } from "./session_patch_hook.ts";
import { capturePreviousSessionMemory } from "./session_memory_capture.ts";
import { normalizeThinkLevel, resolveThinkingLevel, thinkingProfile } from "./thinking_level.ts";
import { isSessionDefaultValue } from "../sessions/session_settings.ts";
import { sessionSettingChange, type SettingCommand } from "./chat_session_settings.ts";
import { whoamiText } from "./chat_whoami.ts";
import { nameCommand } from "./chat_name.ts";
import { freshTotalTokens } from "../sessions/session_total_tokens.ts";

/** What running a command needs. */
export interface ChatCommandDeps {
  sessions: SessionStore;
  runs: Pick<AgentRuns, "abort" | "activeRunIds">;
  agents(): AgentsConfig;
  /** The configured models (what `/model` matches loosely written names against). */
  models(): readonly ModelEntry[];
  /** A session was reset or its model changed (the gateway sends `sessions.changed`). */
  changed?: ((key: string, agentId: string, reason: string) => void) | undefined;
  /** Compacts a session now (`/compact`); without it the command answers "unavailable". */
  compact?:
    | ((target: CommandTarget, options: { instructions?: string | undefined }) => Promise<ManualCompaction>)
    | undefined;
  /** The pending exec approvals `/approve` answers; absent, `/approve` says so. */
  approvals?: ExecApprovalQueue | undefined;
  /** Internal hooks: `/new`, `/reset` and `/stop` emit `command:<action>`, `/model` `session:patch`, when a hook listens. */
  hooks?: InternalHookEmitter | undefined;
  /** The config as written: the `cfg` of the hook contexts that carry it. */
  rawConfig?: (() => Record<string, unknown>) | undefined;
}

/** The session a command acts on. */
export interface CommandTarget {
  agentId: string;
  sessionKey: string;
  /**
   * The channel sender and chat, for a command typed in a channel (`/approve`'s same-chat rule); `/whoami` also
   * shows the sender's handle, the group and the thread when the channel has them.
   */
  sender?: {
    channel: string;
    senderId: string;
    chat: string;
    username?: string | undefined;
    groupId?: string | undefined;
    threadId?: string | undefined;
  } | undefined;
  /** A Gateway client's connection (`chat.send`): its scopes decide `/approve`; `/whoami` shows who it is. */
  gatewayClient?: {
    scopes: readonly string[];
    label: string;
    clientId?: string | undefined;
  } | undefined;
  /**
   * Sends what `/new` and `/reset` hooks pushed to `event.messages` to the chat the command came from; true when it
   * was delivered, and then the command's own acknowledgement is not sent (absent: hook replies are not delivered,
   * as the reference's Gateway paths).
   */
  hookReply?: ((text: string) => Promise<boolean>) | undefined;
}

const label = (ref: ModelRef) => `${ref.provider}/${ref.model}`;
/** The reference's context window for a model whose config gives none. */
const DEFAULT_CONTEXT_TOKENS = 200_000;

/** Runs one command and returns the reply the sender gets ("" when hook replies were delivered instead). */
export async function runChatCommand(
  deps: ChatCommandDeps,
  command: ParsedCommand,
  target: CommandTarget,
): Promise<string> {
  const { agentId, sessionKey } = target;
  switch (command.key) {
    case "help":
      return helpText();
    case "stop": {
      deps.runs.abort({ sessionKey });
      if (deps.hooks?.listens("command", "stop")) {
        const entry = await deps.sessions.get(sessionKey, agentId);
        await deps.hooks.trigger(createInternalHookEvent("command", "stop", sessionKey, {
          // A copy: the store keeps its rows, and a handler that changes its entry must not change the gateway's.
          sessionEntry: entry && sessionRowCopy(entry),
          sessionId: entry?.sessionId,
          ...commandOrigin(target),
        }));
      }
      return "⚙️ Agent was aborted.";
    }
    case "new":
    case "reset": {
      // `/new <provider/model> [text]` starts the fresh session on that configured model; the text
      // after it (or after the command, when no model leads) is the follow-up the caller then runs.
      // The reference's soft reset keeps the transcript and reruns its startup turn, which this gateway lacks.
      if (isSoftReset(command)) {
        return "⚙️ /reset soft is not available on this gateway; /reset starts a fresh session.";
      }
      const { model } = resetArguments(deps, command.args, agentId);
      // A fresh session window: the running turn stops, the next message starts a new transcript.
      deps.runs.abort({ sessionKey });
      const listens = deps.hooks?.listens("command", command.key) ?? false;
      const previous = listens ? await deps.sessions.get(sessionKey, agentId) : undefined;
      // Read before the reset, as the reference captures it; absent when no window ended.
      const previousSessionMemory = previous
        ? await capturePreviousSessionMemory(deps.sessions, agentId, previous.sessionId, deps.rawConfig?.())
        : undefined;
      const started = await deps.sessions.reset(sessionKey, agentId);
      if (model) {
        await deps.sessions.update(sessionKey, agentId, {
          providerOverride: model.provider,
          modelOverride: model.model,
        });
      }
      deps.changed?.(sessionKey, agentId, command.key);
      if (listens) {
        // After the reset, as the reference's chat path: `previousSessionEntry` names the window that ended.
        const event = createInternalHookEvent("command", command.key, sessionKey, {
          agentId,
          // Copies: the store keeps its rows, and a handler that changes an entry must not change the gateway's.
          sessionEntry: sessionRowCopy(started),
          previousSessionEntry: previous && sessionRowCopy(previous),
          ...(previousSessionMemory ? { previousSessionMemory } : {}),
          ...commandOrigin(target),
          workspaceDir: deps.agents().agents.find((a) => a.id === agentId)?.workspace,
          // This gateway's store is the agent's SQLite database, the file sessions.list names as `path`.
          storePath: deps.sessions.summary(agentId).path,
          cfg: deps.rawConfig?.(),
        });
        await deps.hooks!.trigger(event);
        // The reference joins the replies with blank lines and sends them in place of the acknowledgement.
        if (event.messages.length > 0 && await target.hookReply?.(event.messages.join("\n\n"))) return "";
      }
      return resetAckText(command.key);
    }
    case "model":
      return await modelCommand(deps, command.args, target);
    case "models":
      // `/models [provider] [page] [limit]`: one page holds every model here, so only the provider counts.
      return modelListText(allowedModels(deps, agentId), command.args.split(/\s+/)[0] || undefined);
    case "status":
      return await statusText(deps, target);
    case "think":
      return await thinkCommand(deps, command.args, target);
    case "compact":
      if (!deps.compact) return "⚙️ Compaction unavailable: this gateway does not compact sessions yet.";
      return compactReply(await deps.compact(target, { instructions: command.args || undefined }));
    case "approve":
      if (deps.approvals && target.gatewayClient) {
        return approveFromGatewayClient(deps.approvals, command.args, target.gatewayClient);
      }
      if (!deps.approvals || !target.sender) return "❌ Failed to submit approval: unknown or expired approval id";
      return approveFromChat(deps.approvals, command.args, { ...target.sender, sessionKey });
    case "export-trajectory":
      return exportTrajectoryReply(
        command.args,
        sessionKey,
        deps.agents().agents.find((a) => a.id === agentId)?.workspace,
      );
    case "whoami":
      return whoamiText(target);
    case "usage":
    case "activation":
    case "send":
      return await sessionSettingCommand(deps, { key: command.key, args: command.args }, target);
    case "name":
      return await nameCommand(deps, command.args, target);
  }
}

/**
 * `/export-trajectory [path]`: the reference asks the owner to approve an exec of its CLI on the gateway
 * host, then reports the bundle. This gateway runs nothing from chat for it: it names the same CLI
 * command (the one the reference's approval runs), for the operator to run on the host
 * (docs/compatibility.md).
 */
export function exportTrajectoryReply(args: string, sessionKey: string, workspace: string | undefined): string {
  const output = args.split(/\s+/).find((part) => part && !part.startsWith("-"));
  const quote = (value: string) => /^[A-Za-z0-9_./:@-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
  const command = [
    "openclaw sessions export-trajectory",
    `--session-key ${quote(sessionKey)}`,
    ...(workspace ? [`--workspace ${quote(workspace)}`] : []),
    ...(output ? [`--output ${quote(output)}`] : []),
  ].join(" ");
  return [
    "Trajectory exports can include prompts, model messages, tool schemas, tool results, runtime events, and local paths.",
    "Treat trajectory bundles like secrets and review them before sharing: https://docs.openclaw.ai/tools/trajectory",
    "",
    "This gateway does not create trajectory bundles from chat. Run on the gateway host:",
    command,
  ].join("\n");
}

/** Where a command came from, as the reference's hook context names it: the channel (WebChat for a client) and sender. */
function commandOrigin(target: CommandTarget): { commandSource: string; senderId?: string } {
  if (target.sender) return { commandSource: target.sender.channel, senderId: target.sender.senderId };
  // A Gateway client is the sender by its client id (`cli`, `openclaw-control-ui`), as the reference records it.
  const clientId = target.gatewayClient?.clientId;
  return clientId ? { commandSource: "webchat", senderId: clientId } : { commandSource: "webchat" };
}

/** The reference's acknowledgement of a bare `/new` or `/reset`. */
export function resetAckText(key: "new" | "reset"): string {
  return key === "new" ? "✅ New session started." : "✅ Session reset.";
}

/** Whether a command is `/reset soft [...]`. */
export function isSoftReset(command: ParsedCommand): boolean {
  return command.key === "reset" && /^soft(\s|$)/i.test(command.args);
}

/**
 * What follows `/new` or `/reset`: a model the agent may switch to as its first word or two (the
 * fresh session runs on it; model_directive.ts's resetModelHint), and the rest, the follow-up
 * message the caller runs after the reset ("" for none).
 */
export function resetArguments(
  deps: Pick<ChatCommandDeps, "agents" | "models">,
  args: string,
  agentId: string,
): { model?: ModelRef | undefined; followUp: string } {
  const trimmed = args.trim();
  if (!trimmed || /^soft(\s|$)/i.test(trimmed)) return { followUp: "" };
  const words = trimmed.split(/\s+/);
  const agents = deps.agents();
  const agent = agents.agents.find((a) => a.id === agentId);
  const hint = resetModelHint(words, {
    policy: agent?.modelPolicy ?? openModelPolicy(),
    catalog: deps.models().map((m) => ({ provider: m.provider, model: m.id })),
    defaultRef: agent?.model ?? REFERENCE_DEFAULT_MODEL,
    providers: knownProviderIds(agents),
  });
  if (!hint) return { followUp: trimmed };
  const provider = configuredProvider(knownProviderIds(agents), hint.ref.provider) ?? hint.ref.provider;
  return { model: { provider, model: hint.ref.model }, followUp: words.slice(hint.consumed).join(" ") };
}

/** The configured models the agent's model policy lets a session pick (what `/models` lists). */
function allowedModels(deps: Pick<ChatCommandDeps, "agents" | "models">, agentId: string): readonly ModelEntry[] {
  const policy = deps.agents().agents.find((a) => a.id === agentId)?.modelPolicy ?? openModelPolicy();
  return deps.models().filter((m) => policyAllows(policy, { provider: m.provider, model: m.id }));
}

async function currentModel(deps: ChatCommandDeps, target: CommandTarget): Promise<ModelRef | undefined> {
  const row = await deps.sessions.get(target.sessionKey, target.agentId);
  if (row?.providerOverride && row.modelOverride) return { provider: row.providerOverride, model: row.modelOverride };
  return deps.agents().agents.find((a) => a.id === target.agentId)?.model;
}

/**
 * A model's entry: the configured one, else a built-in provider's (its window and thinking profile; the
 * catalog loads on first use, not at gateway start).
 */
async function modelEntryOf(deps: ChatCommandDeps, ref: ModelRef): Promise<ModelEntry | undefined> {
  const configured = deps.models().find((m) => m.provider === ref.provider && m.id === ref.model);
  if (configured) return configured;
  const { builtInModelEntry } = await import("../config/built_in_model_entry.ts");
  return builtInModelEntry(ref);
}

/** The thinking level the session's next run uses: its own, else the agent's default, else the model's. */
async function currentThinking(deps: ChatCommandDeps, target: CommandTarget): Promise<string> {
  const ref = await currentModel(deps, target);
  const entry = ref && await modelEntryOf(deps, ref);
  const row = await deps.sessions.get(target.sessionKey, target.agentId);
  const configured = deps.agents().agents.find((a) => a.id === target.agentId)?.thinkingDefault;
  return resolveThinkingLevel({ session: row?.thinkingLevel, configured }, entry);
}

/** `/think`: shows the level, sets it for the session (`thinkingLevel`), or clears it (`/think default`). */
async function thinkCommand(deps: ChatCommandDeps, args: string, target: CommandTarget): Promise<string> {
  const ref = await currentModel(deps, target);
  const entry = ref && await modelEntryOf(deps, ref);
  const profile = thinkingProfile(entry);
  const levels = profile.levels.join(", ");
  const { agentId, sessionKey } = target;
  if (!args) {
    return `Current thinking level: ${await currentThinking(deps, target)}.\nOptions: default, ${levels}.`;
  }
  if (isSessionDefaultValue(args)) {
    await deps.sessions.ensure(sessionKey, agentId);
    await deps.sessions.update(sessionKey, agentId, { thinkingLevel: undefined });
    deps.changed?.(sessionKey, agentId, "patch");
    return "Thinking level reset to default.";
  }
  const level = normalizeThinkLevel(args);
  if (!level) return `Unrecognized thinking level "${args}". Valid levels: default, ${levels}.`;
  if (!profile.levels.includes(level)) {
    const name = ref ? label(ref) : "(none configured)";
    return `Thinking level "${level}" is not supported for ${name}. Use one of: ${levels}.`;
  }
  await deps.sessions.ensure(sessionKey, agentId);
  await deps.sessions.update(sessionKey, agentId, { thinkingLevel: level });
  deps.changed?.(sessionKey, agentId, "patch");
  return level === "off" ? "Thinking disabled." : `Thinking level set to ${level}.`;
}

/**
 * `/usage`, `/activation` and `/send`: the session's own footer, group activation and send policy, as the
 * reference's commands set them (chat_session_settings.ts decides; the session is created if it has no row yet).
 */
async function sessionSettingCommand(
  deps: ChatCommandDeps,
  command: SettingCommand,
  target: CommandTarget,
): Promise<string> {
  const { agentId, sessionKey } = target;
  const row = await deps.sessions.get(sessionKey, agentId);
  const change = sessionSettingChange(command, row);
  if (change.patch) {
    await deps.sessions.ensure(sessionKey, agentId);
    await deps.sessions.update(sessionKey, agentId, change.patch);
    deps.changed?.(sessionKey, agentId, "patch");
  }
  return change.reply;
}

/** The reference's words for a compaction that did nothing, by its reason. */
function compactionReason(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  if (reason === NOTHING_TO_COMPACT || reason === "no transcript") return "nothing compactable in this session yet";
  if (reason === ALREADY_COMPACTED) return "session is already compacted";
  return reason;
}

/** `/compact`'s reply: `⚙️ Compacted (12k → 3.1k) • Context 3.1k/32k (10%)`, or why nothing was compacted. */
export function compactReply(result: ManualCompaction): string {
  const label = result.compacted
    ? `Compacted (${formatTokenCount(result.tokensBefore)} → ${formatTokenCount(result.tokensAfter)})`
    : "failed" in result && result.failed
    ? "Compaction failed"
    : "Compaction skipped";
  const total = result.compacted ? result.tokensAfter : "tokensBefore" in result ? result.tokensBefore : undefined;
  const context = formatContextUsage(total && total > 0 ? total : undefined, result.contextWindow);
  const reason = result.compacted ? undefined : compactionReason(result.reason);
  return `⚙️ ${reason ? `${label}: ${reason}` : label} • ${context}`;
}

async function modelCommand(deps: ChatCommandDeps, args: string, target: CommandTarget): Promise<string> {
  const wanted = modelArgument(args);
  if (wanted === "list" || wanted.startsWith("list ")) {
    return modelListText(allowedModels(deps, target.agentId), wanted.slice(5).trim() || undefined);
  }
  const current = await currentModel(deps, target);
  if (!wanted || wanted === "status") {
    return [
      `Current: ${current ? label(current) : "(none configured)"}`,
      `Think: ${await currentThinking(deps, target)} (change with /think <level>)`,
      "",
      "Session: /model <provider/model> -s",
      "Agent default: /model <provider/model> -a",
      "Global default: /model <provider/model> -g",
    ].join("\n");
  }
  const { agentId, sessionKey } = target;
  await deps.sessions.ensure(sessionKey, agentId);
  // The choice as it was, copied: the row a read returns is the one the update below changes in place.
  const stored = await deps.sessions.get(sessionKey, agentId);
  const before = { providerOverride: stored?.providerOverride, modelOverride: stored?.modelOverride };
  if (/^default$/i.test(wanted)) {
    const row = await deps.sessions.update(sessionKey, agentId, {
      providerOverride: undefined,
      modelOverride: undefined,
    });
    deps.changed?.(sessionKey, agentId, "patch");
    if (before.modelOverride !== undefined) modelPatched(deps, sessionKey, row, wanted);
    const own = deps.agents().agents.find((a) => a.id === agentId)?.model ?? REFERENCE_DEFAULT_MODEL;
    return `Session model reset to configured default (${label(own)}).`;
  }
  const agents = deps.agents();
  const agent = agents.agents.find((a) => a.id === agentId);
  const defaultRef = agent?.model ?? REFERENCE_DEFAULT_MODEL;
  const result = resolveModelDirective(wanted, {
    policy: agent?.modelPolicy ?? openModelPolicy(),
    catalog: deps.models().map((m) => ({ provider: m.provider, model: m.id })),
    defaultRef,
  });
  if ("error" in result) return result.error;
  const { selection } = result;
  const provider = configuredProvider(knownProviderIds(agents), selection.provider);
  if (provider === undefined) return unknownProviderMessage(selection.provider);
  const ref = { provider, model: selection.model };
  const scope = modelScope(args);
  const named = selection.alias ? `${selection.alias} (${label(ref)})` : label(ref);
  // Choosing the agent's own model clears the session's choice (the reference's "reset" answer).
  const isDefault = ref.provider === defaultRef.provider && ref.model === defaultRef.model;
  const row = await deps.sessions.update(
    sessionKey,
    agentId,
    isDefault && scope === "session"
      ? { providerOverride: undefined, modelOverride: undefined }
      : { providerOverride: ref.provider, modelOverride: ref.model },
  );
  deps.changed?.(sessionKey, agentId, "patch");
  // As the reference, only a choice that changed what the session persisted is a patch.
  if (before.providerOverride !== row?.providerOverride || before.modelOverride !== row?.modelOverride) {
    modelPatched(deps, sessionKey, row, wanted);
  }
  if (scope === "session") {
    return isDefault
      ? `Session model reset to configured default (${named}).`
      : `Model set to ${named} for this session only; configured default unchanged.`;
  }
  // This gateway never writes the configured defaults from a chat.
  const targetLabel = scope === "agent" ? "Agent default" : "Global default";
  return `Model set to ${named} for this session. ${targetLabel} unchanged because configuration is immutable.`;
}

/** `session:patch` for a model choice a chat persisted: the patch names the model as the sender typed it. */
function modelPatched(deps: ChatCommandDeps, sessionKey: string, row: unknown, wanted: string): void {
  if (!row) return;
  emitSessionPatch(deps.hooks, sessionKey, () => ({
    sessionEntry: row as Record<string, unknown>,
    patch: { key: sessionKey, model: wanted },
    cfg: deps.rawConfig?.(),
  }));
}

async function statusText(deps: ChatCommandDeps, target: CommandTarget): Promise<string> {
  const model = await currentModel(deps, target);
  const row = await deps.sessions.get(target.sessionKey, target.agentId);
  const agent = deps.agents().agents.find((a) => a.id === target.agentId);
  const entry = model ? await modelEntryOf(deps, model) : undefined;
  return statusCard({
    version: VERSION,
    model: model ? label(model) : undefined,
    pinnedOver: row?.modelOverride && agent?.model ? label(agent.model) : undefined,
    fallbacks: (agent?.fallbacks ?? []).map(label),
    inputTokens: row?.inputTokens,
    outputTokens: row?.outputTokens,
    totalTokens: row ? freshTotalTokens(row) : undefined,
    contextTokens: entry?.contextWindow ?? DEFAULT_CONTEXT_TOKENS,
    sessionKey: target.sessionKey,
    updatedAt: row?.updatedAt,
    thinkLevel: await currentThinking(deps, target),
    now: Date.now(),
  });
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
