// What a tool is to the run engine, and what the gateway lends a tool. Each family of tools
// (files, exec, web, messaging, memory, MCP, ...) lives in its own file and returns `AgentTool`s
// from a `ToolFamily`; the loop sees only this interface, so a family is added without touching it.
import type { StateDbAccess } from "../state/state_write_fence.ts";
import type { CronControl } from "./cron_control.ts";
import type { ExecPolicySettings } from "../config/exec_policy_config.ts";
import type { ResolvedConfig } from "../config/resolved.ts";
import type { SessionStore } from "../sessions/store.ts";
import type { AgentsConfig, AgentSpec } from "./agents_config.ts";
import type { ProcessRegistry } from "./process_registry.ts";
import type { AgentRuns } from "./runs.ts";
import type { McpClientManager } from "./mcp_manager.ts";
import type { MediaStore } from "../media/media_types.ts";

/** One piece of a tool's answer, as the model and the transcript see it (the reference's content blocks). */
export type ToolContent =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string };

/** A tool's answer: content for the model, `details` for clients (never sent to the model). */
export interface ToolResult {
  content: ToolContent[];
  details?: Record<string, unknown> | undefined;
  isError?: boolean | undefined;
  /** Ends the loop after this step when every call of the step says so (a call handed to the HTTP caller). */
  terminate?: boolean | undefined;
}

/** Where a run's message came from, when a channel brought it (the `message` tool's default target). */
export interface RunOrigin {
  channel: string;
  accountId?: string | undefined;
  /** The chat the answer goes back to (a channel, a DM peer). */
  to?: string | undefined;
  /** The sender, as the channel names them. */
  from?: string | undefined;
  /** The thread the message came from (a Telegram forum topic's id, a Slack thread's ts): the session's route keeps it. */
  threadId?: string | number | undefined;
  /** The kind of chat (`direct`, `group`, `channel`): the session row's `chatType`. */
  chatType?: "direct" | "group" | "channel" | undefined;
}

/** What one running call of a tool knows of its run. */
export interface ToolCall {
  runId: string;
  toolCallId: string;
  agentId: string;
  sessionKey: string;
  /** The agent's workspace directory (absolute). */
  workspace: string;
  /** Aborted when the run is aborted or times out: a tool stops its work on it. */
  signal: AbortSignal;
  /** Whether the gateway's owner sent the run's message (owner-only tools check it). */
  senderIsOwner: boolean;
  origin?: RunOrigin | undefined;
  /** How many `sessions_send` hops started this run (absent or 0: a person's); bounds send chains. */
  sendDepth?: number | undefined;
  /** Streams partial output (exec's running output) to clients as a `tool` update event. */
  update(partial: ToolResult): void;
  /**
   * Runs another tool inside this call (Tool Search's `tool_call`): `run` gets the inner call's own id and update
   * sink; clients see the inner call as its own tool card under this one, and the transcript keeps it.
   */
  nested?(
    inner: { name: string; args: Record<string, unknown> },
    run: (toolCallId: string, update: (partial: ToolResult) => void) => Promise<ToolResult>,
  ): Promise<ToolResult>;
}

/** A tool the model may call: the reference's name, description and JSON Schema of its arguments. */
export interface AgentTool {
  name: string;
  /** A short human label clients show (the reference's `label`); the name when absent. */
  label?: string | undefined;
  description: string;
  /** JSON Schema (an `object` schema) of the arguments, as the reference declares them. */
  parameters: Record<string, unknown>;
  /**
   * Where Tool Search files the tool (agent/tool_search_catalog.ts): under a plugin's name as the reference's
   * (`openclaw:memory-core:memory_get`) or an MCP server's (`mcp:<server>:<tool>`); absent: the core's.
   */
  catalogOrigin?: {
    sourceName?: string | undefined;
    mcp?: { serverName: string; safeServerName: string; toolName: string } | undefined;
  } | undefined;
  /**
   * The model's arguments in the form the schema check and the tool expect (legacy fields folded in, aliases
   * renamed), as the reference's `prepareArguments`; applied before the call is checked against `parameters`.
   */
  prepareArgs?(args: Record<string, unknown>): Record<string, unknown>;
  /**
   * Runs one call. Bad arguments or a refused action throw a {@link ToolError}: its message goes
   * back to the model as an error result and the run goes on. Anything else thrown is reported the
   * same way, with the tool's name.
   */
  execute(args: Record<string, unknown>, call: ToolCall): Promise<ToolResult>;
}

/** A refusal or a bad argument, worded for the model (it reads it and may try again). */
export class ToolError extends Error {
  override name = "ToolError";
}

/** An exec approval asked of the operators (`exec.approval.requested`). */
export interface ExecApprovalAsk {
  /** The command line as the model wrote it. */
  command: string;
  cwd: string;
  agentId: string;
  sessionKey: string;
  runId: string;
  /** Where it would run: the gateway host itself, or inside the sandbox. */
  host: "gateway" | "sandbox";
  origin?: RunOrigin | undefined;
  /** The names of the env overrides the call sets (values withheld), so the approver sees them. */
  envKeys?: string[] | undefined;
  /** The tool call asking (the reference's `request.toolCallId`: clients attach the approval card to it). */
  toolCallId?: string | undefined;
  /** The requested `tools.exec` policy for this call (mode/security/ask, safe bins); absent: read from the config in force (`tools.exec`). */
  requested?: ExecRequestedPolicy | undefined;
  /** The call's own ask mode, which may only harden the policy. */
  ask?: "off" | "on-miss" | "always" | undefined;
  /** The PATH the command will run with (incl. `tools.exec.pathPrepend`): bare command names resolve on it. */
  path?: string | undefined;
}

/** The `tools.exec` settings (agent override over global) that exec approvals combine with the host document, stricter wins. */
export type ExecRequestedPolicy = ExecPolicySettings;

/** Whether a command may run, and why not when it may not (worded for the model). */
export type ExecAuthorization = { allowed: true; decision: string } | { allowed: false; reason: string };

/** Exec approvals as the reference does them: the stored policy, the allowlist and asking the operators. */
export interface ExecApprovals {
  /**
   * Decides one command: allowed by policy or allowlist, refused by policy, or asked of the
   * operators (waiting for `exec.approval.resolve` until the ask times out, then `askFallback`).
   */
  authorize(ask: ExecApprovalAsk, signal: AbortSignal): Promise<ExecAuthorization>;
}

/** Text (or a file) sent to a channel target by the `message` tool. */
export interface OutboundSend {
  channel: string;
  accountId?: string | undefined;
  to: string;
  text: string;
  /** Files to send with the text (absolute paths a tool names, or files the media store kept). */
  media?: { path: string; mimeType?: string | undefined; fileName?: string | undefined }[] | undefined;
  /** The sending agent: its workspace is where the files' local paths may lie. */
  agentId?: string | undefined;
  /** Send audio files as voice notes (the reference's `asVoice`), where the channel has them. */
  asVoice?: boolean | undefined;
  /** The thread to send in (the reference's `threadId`): a Telegram forum topic, a Slack thread. */
  threadId?: string | undefined;
  /** The sending run's session: the send's outcome is its `message:sent` hook event. */
  sessionKey?: string | undefined;
}

/** What the gateway lends tools: its stores and services. Optional members are absent where not wired. */
export interface ToolHost {
  sessions: SessionStore;
  agents(): AgentsConfig;
  /** The config now in force (a reload replaces it: read it per call, never keep it). */
  config(): ResolvedConfig;
  stateDir: string;
  /** The home directory `~` means in a path argument (HOME of the environment the gateway started with); absent: none. */
  home?: string | undefined;
  /** How tools may write shared state (the ownership fence); absent: as an unsupervised writer. */
  stateAccess?: StateDbAccess | undefined;
  /** Exec approvals (policy, allowlist, operators); absent means no host command may run. */
  approvals?: ExecApprovals | undefined;
  /** The gateway's registry of exec sessions (`exec`, `process`); absent means exec cannot start commands. */
  processes?: ProcessRegistry | undefined;
  /** Sends to a channel (the `message` tool); absent when no channel runs. */
  send?(message: OutboundSend): Promise<{ messageId?: string | undefined }>;
  /** The run engine (`sessions_send` runs another session and waits for it); absent where not lent. */
  runs?: Pick<AgentRuns, "start"> | undefined;
  /** The configured MCP servers' client sessions (the MCP tool family); absent when not wired. */
  mcp?: McpClientManager | undefined;
  /** The scheduler (the `cron` tool); absent when not wired. */
  cron?: CronControl | undefined;
  /** The media store (the `message` tool keeps a `buffer` it sends there); absent when not wired. */
  media?: MediaStore | undefined;
}

/** A family of tools for one agent's run; the loop filters the union by tool policy. */
export type ToolFamily = (host: ToolHost, agent: AgentSpec) => AgentTool[] | Promise<AgentTool[]>;
