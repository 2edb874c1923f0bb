// `previous_response_id` on `/v1/responses`: which conversation an earlier answer belongs to. As
// the reference does, each answer's id is kept for 30 minutes (at most 500, oldest out first) with
// the scope that asked (bearer token hash, agent, session header); only the same scope can continue
// it, and an unknown, expired or foreign id is ignored (the request runs as if it named none).
// The reference keeps every answer's session on disk and maps the id to it; this gateway keeps no
// transcript for a stateless call, so for one of those the id maps to the conversation itself, kept
// here in memory (bounded), and a follow-up gets it back as context.
import { createHash } from "node:crypto";
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { ModelToolCall, PromptMessage } from "../agent/provider.ts";
import type { RunOutcome } from "../agent/runs.ts";
import { bearerSecret } from "../auth/http_bearer.ts";
import { callInput } from "./caller_messages.ts";
import { agentForModel, type CallerRun } from "./caller_run.ts";
import type { ChatAsk } from "./chat_api.ts";

/** How long an answer can be continued (the reference's `RESPONSE_SESSION_TTL_MS`). */
const TTL_MS = 30 * 60_000;
/** The most answers kept (the reference's `MAX_RESPONSE_SESSION_ENTRIES`). */
const MAX_ENTRIES = 500;
/** The most text a stateless conversation may hold to be kept; a longer one cannot be continued by id. */
const MAX_KEPT_CHARS = 256 * 1024;
/** The most text all kept conversations hold together (64 full ones); past it the oldest answers go first. */
const MAX_TOTAL_CHARS = 64 * MAX_KEPT_CHARS;

/** Who may continue an answer: the reference's `responseSessionScope`. */
interface Scope {
  authSubject: string;
  agentId: string;
  requestedSessionKey: string | undefined;
}

interface Entry extends Scope {
  sessionKey: string;
  /** A stateless call's conversation, answer included; absent for a kept session (its transcript holds it). */
  conversation?: PromptMessage[] | undefined;
  /** What the conversation holds, as {@link chars} counts it (0 for a kept session). */
  size: number;
  at: number;
}

/** Where a follow-up runs: the kept session, or the earlier stateless conversation as context. */
export interface Resumed {
  sessionKey?: string | undefined;
  earlier?: PromptMessage[] | undefined;
}

function subjectOf(bearer: string | undefined): string {
  return bearer ? `bearer:${createHash("sha256").update(bearer).digest("hex")}` : "gateway-auth";
}

function sameScope(a: Scope, b: Scope): boolean {
  return a.authSubject === b.authSubject && a.agentId === b.agentId && a.requestedSessionKey === b.requestedSessionKey;
}

/**
 * The characters a conversation keeps in memory: every string a client sent or the answer holds
 * (text, call arguments, results, images, thinking), so no part of a hostile input escapes the bound.
 */
function chars(messages: readonly PromptMessage[]): number {
  let total = 0;
  for (const m of messages) {
    if (m.role === "tool") {
      for (const part of m.content) total += part.type === "text" ? part.text.length : part.data.length;
      continue;
    }
    total += m.text.length;
    for (const call of m.toolCalls ?? []) total += call.id.length + call.name.length + jsonLength(call.input);
    for (const image of m.images ?? []) total += image.data.length;
    for (const block of m.thinking ?? []) total += block.thinking.length + (block.thinkingSignature?.length ?? 0);
  }
  return total;
}

function jsonLength(value: unknown): number {
  return JSON.stringify(value)?.length ?? 0;
}

/** The assistant's answer as the follow-up's model must see it: every step's text, and the calls it handed back. */
function answerMessage(outcome: RunOutcome): PromptMessage {
  const calls: ModelToolCall[] = (outcome.pendingToolCalls ?? []).map((call) => ({
    id: call.id,
    name: call.name,
    input: callInput(call.arguments),
  }));
  const text = outcome.shownText ?? outcome.text;
  return calls.length === 0 ? { role: "assistant", text } : { role: "assistant", text, toolCalls: calls };
}

/** The answers of one `/v1/responses` route that a later request may continue. */
export class ResponseSessions {
  readonly #entries = new Map<string, Entry>();
  /** The sum of the entries' sizes. */
  #total = 0;
  readonly #now: () => number;
  /** The last bearer seen and its subject: nearly every request carries the same token, so it is hashed once. */
  #last: { bearer: string | undefined; subject: string } = { bearer: undefined, subject: subjectOf(undefined) };

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #scopeOf(request: Request, agentId: string): Scope {
    const bearer = bearerSecret(request.headers.get("authorization"));
    if (bearer !== this.#last.bearer) this.#last = { bearer, subject: subjectOf(bearer) };
    return {
      authSubject: this.#last.subject,
      agentId,
      requestedSessionKey: request.headers.get("x-openclaw-session-key")?.trim() || undefined,
    };
  }

  /** Where a request naming `previous_response_id` continues; undefined when it names none this scope can continue. */
  resume(
    request: Request,
    body: { model?: unknown; "previous_response_id"?: unknown },
    agents: AgentsConfig,
  ): Resumed | undefined {
    const id = body.previous_response_id;
    const entry = typeof id === "string" ? this.#entries.get(id) : undefined;
    if (!entry || typeof id !== "string") return undefined;
    if (this.#now() - entry.at > TTL_MS) {
      this.#drop(id, entry);
      return undefined;
    }
    let agentId: string;
    try {
      const header = request.headers.get("x-openclaw-agent-id") ?? request.headers.get("x-openclaw-agent");
      agentId = agentForModel(agents, typeof body.model === "string" ? body.model : undefined, header);
    } catch {
      return undefined; // The request's own refusal comes when it is routed.
    }
    if (!sameScope(entry, this.#scopeOf(request, agentId))) return undefined;
    return entry.conversation ? { earlier: entry.conversation } : { sessionKey: entry.sessionKey };
  }

  /** Keeps an answer for a later `previous_response_id`. */
  remember(request: Request, id: string, caller: CallerRun, ask: ChatAsk, outcome: RunOutcome): void {
    let conversation: PromptMessage[] | undefined;
    let size = 0;
    if (caller.ephemeral) {
      // Its instructions and `tool_choice` prompt were this request's: the follow-up brings its own (as the reference's do).
      conversation = [
        ...ask.context.filter((m) => m.role !== "system"),
        { role: "user", text: ask.message },
        ...(ask.continuation ?? []),
        answerMessage(outcome),
      ];
      size = chars(conversation);
      if (size > MAX_KEPT_CHARS) return;
    }
    const now = this.#now();
    const prior = this.#entries.get(id);
    if (prior) this.#drop(id, prior);
    this.#entries.set(id, {
      ...this.#scopeOf(request, caller.agentId),
      sessionKey: caller.sessionKey,
      conversation,
      size,
      at: now,
    });
    this.#total += size;
    // Oldest first: expired ones, then any over the bounds (count, then the text they hold together).
    for (const [key, entry] of this.#entries) {
      if (now - entry.at <= TTL_MS && this.#entries.size <= MAX_ENTRIES && this.#total <= MAX_TOTAL_CHARS) break;
      this.#drop(key, entry);
    }
  }

  #drop(id: string, entry: Entry): void {
    this.#entries.delete(id);
    this.#total -= entry.size;
  }
}
