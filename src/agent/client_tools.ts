// A caller's own function tools (the HTTP APIs' `tools`), offered to the model next to the agent's.
// The gateway cannot run them: a call to one is recorded and answered with the reference's
// "delegated to client" result, and a step whose every call is the caller's ends the run, so the
// calls go back to the caller (`finish_reason: "tool_calls"`), who runs them and asks again.
import type { TranscriptMessage } from "../sessions/store.ts";
import type { OfferedTool, PromptMessage } from "./model_prompt.ts";
import { RunError } from "./run_error.ts";
import { modelMessages } from "./run_model.ts";
import type { AgentTool, ToolResult } from "./tool.ts";

/** A call of a caller's tool, handed back to the caller: its id, the tool's name and the arguments as JSON text. */
export interface PendingToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** The reference's words for client tools whose names clash (its `isClientToolNameConflictError` prefix). */
export const CLIENT_TOOL_CONFLICT_PREFIX = "client tool name conflict:";

/** Tool names as the reference compares them for a clash: trimmed, case folded. */
function normalized(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * The caller's tool names that clash with the agent's tools or with each other (both of a
 * duplicated pair), in the order the caller gave them.
 */
export function clientToolConflicts(client: readonly OfferedTool[], own: readonly string[]): string[] {
  const taken = new Set(own.map(normalized));
  const conflicts = new Set<string>();
  const seen = new Map<string, string>();
  for (const tool of client) {
    const key = normalized(tool.name);
    if (taken.has(key)) conflicts.add(tool.name);
    const prior = seen.get(key);
    if (prior !== undefined) {
      conflicts.add(prior);
      conflicts.add(tool.name);
      continue;
    }
    seen.set(key, tool.name);
  }
  return [...conflicts];
}

/** What the model reads for a call the caller will run: the reference's pending result, word for word. */
function pendingResult(name: string): ToolResult {
  const details = { status: "pending", tool: name, message: "Tool execution delegated to client" };
  return { content: [{ type: "text", text: JSON.stringify(details, null, 2) }], details, terminate: true };
}

/**
 * The agent's tools and the caller's, the caller's recording each call into `pending`. A clash of
 * names is thrown as a `client_tools` run error before anything runs (the reference refuses it).
 */
export function withClientTools(
  own: readonly AgentTool[],
  client: readonly OfferedTool[],
  pending: PendingToolCall[],
): AgentTool[] {
  const conflicts = clientToolConflicts(client, own.map((tool) => tool.name));
  if (conflicts.length > 0) {
    throw new RunError("client_tools", `${CLIENT_TOOL_CONFLICT_PREFIX} ${conflicts.join(", ")}`);
  }
  const delegated = client.map((tool): AgentTool => ({
    ...tool,
    execute: (args, call) => {
      pending.push({ id: call.toolCallId, name: tool.name, arguments: JSON.stringify(args) });
      return Promise.resolve(pendingResult(tool.name));
    },
  }));
  return [...own, ...delegated];
}

/** A tool output whose call the model does not see next to it, as the reference words it for the model. */
export function toolOutputText(callId: string, output: string): string {
  return `Tool:${callId}: ${output}`;
}

/**
 * The caller's messages without the tool calls the session's own messages already hold: a kept
 * session's transcript has the calls it handed back (with their pending results), and the caller's
 * follow-up sends them again. A wire refuses one call id twice (OpenAI: "Duplicate value for
 * 'tool_call_id'"), so the copy is left out and the caller's result for it becomes the reference's
 * `Tool:<id>: <output>` text; a result the request never gave (the synthetic error) is left out too.
 */
export function withoutSessionCalls(
  messages: readonly PromptMessage[],
  known: ReadonlySet<string>,
): PromptMessage[] {
  const out: PromptMessage[] = [];
  // Texts wait until the step's results are out: a result must follow its call's message directly.
  let texts: PromptMessage[] = [];
  for (const m of messages) {
    if (m.role === "tool") {
      if (!known.has(m.toolCallId)) out.push(m);
      else if (!m.isError) {
        const output = m.content.map((part) => part.type === "text" ? part.text : "").join("");
        texts.push({ role: "user", text: toolOutputText(m.toolCallId, output) });
      }
      continue;
    }
    out.push(...texts);
    texts = [];
    if (m.role !== "assistant" || !m.toolCalls?.some((call) => known.has(call.id))) {
      out.push(m);
      continue;
    }
    const { toolCalls, ...rest } = m;
    const kept = toolCalls.filter((call) => !known.has(call.id));
    if (kept.length > 0) out.push({ ...rest, toolCalls: kept });
    else if (rest.text) out.push(rest);
  }
  out.push(...texts);
  return out;
}

/**
 * The run's conversation: the caller's earlier messages, the session's, then (a follow-up on the
 * tool path) the caller's tool turns after its prompt, the calls the session already holds left out.
 */
export function runConversation(
  context: readonly PromptMessage[] | undefined,
  history: TranscriptMessage[],
  continuation: readonly PromptMessage[] | undefined,
): PromptMessage[] {
  // A plain request (no tool path) keeps its conversation as it always was.
  if (continuation === undefined) return modelMessages(context, history);
  const session = modelMessages(undefined, history);
  const known = new Set<string>();
  for (const m of session) if (m.role === "assistant") { for (const call of m.toolCalls ?? []) known.add(call.id); }
  if (known.size === 0) return [...(context ?? []), ...session, ...continuation];
  return [...withoutSessionCalls(context ?? [], known), ...session, ...withoutSessionCalls(continuation, known)];
}
