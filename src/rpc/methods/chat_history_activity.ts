// `chat.history`'s `activity`: for each message of the page that carries tool calls or results, the tool items the
// reference's Control UI groups under a run ("3 other operations"), as the reference's `projectAgentHistoryActivity`
// makes them from the transcript: a call and its result (a nested call's entry too) give one item, on each message
// that holds either (recorded: tests/fixtures/tool_search/reference_ui.json).
import type { TranscriptMessage } from "../../sessions/store.ts";
import { toolDetail, toolItemTitle } from "../../agent/tool_display.ts";

/** One message's tool items, by its id. */
export interface HistoryActivity {
  messageId: string;
  items: Record<string, unknown>[];
}

/** What the transcript says of one call: its name, the arguments it ran with (nested calls only), its outcome. */
interface CallFact {
  toolCallId: string;
  name: string;
  args?: Record<string, unknown> | undefined;
  isError?: boolean | undefined;
  details?: Record<string, unknown> | undefined;
}

/** Tools whose items the reference keeps out of the run's progress (a plan card, a yield, a poll). */
function hidden(fact: CallFact): boolean {
  const name = fact.name.toLowerCase();
  return name === "progress_card" || name === "update_plan" || name === "sessions_yield" ||
    (name === "process" && fact.args?.action === "poll");
}

/** The item of one call, as the reference's `projectAgentToolActivity` makes it from history. */
function itemOf(fact: CallFact): Record<string, unknown> {
  const meta = fact.args ? toolDetail(fact.name, fact.args) : undefined;
  const status = fact.details?.status;
  const blocked = status === "approval-pending" || status === "approval-unavailable" || status === "skipped";
  const outcome = blocked
    ? "blocked"
    : fact.isError === true
    ? "failed"
    : fact.isError === false
    ? "completed"
    : undefined;
  const title = toolItemTitle(fact.name, meta);
  const command = ["bash", "exec", "shell"].includes(fact.name.toLowerCase()) ||
    (typeof fact.args?.command === "string" && fact.args.command.trim() !== "");
  return {
    itemId: `tool:${fact.toolCallId}`,
    toolCallId: fact.toolCallId,
    name: fact.name,
    kind: "tool",
    phase: "end",
    title: outcome ? title : `${title} — outcome unknown`,
    ...(outcome ? { status: outcome } : { summary: "Outcome unknown" }),
    ...(status === "skipped" ? { summary: "Skipped" } : {}),
    ...(meta ? { meta } : {}),
    commandBearing: command,
  };
}

/**
 * The activity of `messages` (oldest first), for the messages whose ids are in `shown`, in their order. Calls are
 * told apart per user turn, run and nested scope, as the reference keys them (a model may reuse its call ids).
 */
export function historyActivity(messages: readonly TranscriptMessage[], shown: readonly string[]): HistoryActivity[] {
  const facts = new Map<string, CallFact>();
  let turn = 0;
  const entries = messages.map((message) => {
    if (message.role === "user") turn += 1;
    const scope = JSON.stringify([turn, message.runId ?? null, message.nested?.scopeId ?? null]);
    const keys: string[] = [];
    const fact = (toolCallId: string, patch: Omit<CallFact, "toolCallId">) => {
      const key = `${scope}:${toolCallId}`;
      facts.set(key, { ...facts.get(key), ...patch, toolCallId });
      keys.push(key);
    };
    if (message.role === "assistant") {
      for (const part of message.content) if (part.type === "toolCall") fact(part.id, { name: part.name });
    } else if (message.role === "toolResult" && message.toolCallId) {
      const known = facts.get(`${scope}:${message.toolCallId}`);
      fact(message.toolCallId, {
        name: known?.name ?? message.toolName ?? "Tool",
        isError: message.isError === true,
        details: message.details,
      });
    } else if (message.role === "custom" && message.nested) {
      const nested = message.nested;
      const args = nested.input !== null && typeof nested.input === "object" && !Array.isArray(nested.input)
        ? nested.input as Record<string, unknown>
        : undefined;
      const details = nested.result.details;
      fact(nested.toolCallId, {
        name: nested.toolName,
        args,
        isError: nested.isError,
        details: details !== null && typeof details === "object" ? details as Record<string, unknown> : undefined,
      });
    }
    return { id: message.id, keys };
  });
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const { id, keys } of entries) {
    if (id === undefined || keys.length === 0) continue;
    const items = new Map<string, Record<string, unknown>>();
    for (const key of keys) {
      const fact = facts.get(key)!;
      if (!hidden(fact)) items.set(`tool:${fact.toolCallId}`, itemOf(fact));
    }
    byId.set(id, [...items.values()]);
  }
  return shown.flatMap((id) => {
    const items = byId.get(id);
    return items ? [{ messageId: id, items }] : [];
  });
}
