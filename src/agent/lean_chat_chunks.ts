// The stream parts of an OpenAI-compatible chat completion, made from its SSE chunks as
// @ai-sdk/openai-compatible 3.0.92 makes them (its `doStream` transform), without zod on the
// common chunk: a chunk whose shape is checked here by hand is used as parsed; any other chunk
// (odd fields, a suspect key, invalid JSON) goes through the SDK's own parse and schema.
import { InvalidResponseDataError, type LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { generateId, type ParseResult, safeParseJSON, StreamingToolCallTracker } from "@ai-sdk/provider-utils";

/** A stream part, in the SDK's shape (those streamCompletion reads, and the tool-input ones). */
export type LeanPart = { type: string; [key: string]: unknown };

type Json = Record<string, unknown>;

/** The SDK's chunk schema, handed over from its model (used for the chunks not checked here). */
// deno-lint-ignore no-explicit-any -- the SDK's own schema object, passed back to its own parser.
export type ChunkSchema = any;

// The SDK's checks for a prototype-polluting key (secure-json-parse): such text goes to its parser.
const SUSPECT_PROTO =
  /"(?:_|\\u005[Ff])(?:_|\\u005[Ff])(?:p|\\u0070)(?:r|\\u0072)(?:o|\\u006[Ff])(?:t|\\u0074)(?:o|\\u006[Ff])(?:_|\\u005[Ff])(?:_|\\u005[Ff])"\s*:/;
const SUSPECT_CONSTRUCTOR =
  /"(?:c|\\u0063)(?:o|\\u006[Ff])(?:n|\\u006[Ee])(?:s|\\u0073)(?:t|\\u0074)(?:r|\\u0072)(?:u|\\u0075)(?:c|\\u0063)(?:t|\\u0074)(?:o|\\u006[Ff])(?:r|\\u0072)"\s*:/;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const nullish = (v: unknown) => v === undefined || v === null;
const optString = (v: unknown) => nullish(v) || typeof v === "string";
// zod's number (the SDK's schema) rejects the infinities JSON.parse makes of `1e999`.
const optNumber = (v: unknown) => nullish(v) || (typeof v === "number" && Number.isFinite(v));

function usageOk(u: unknown): boolean {
  if (nullish(u)) return true;
  if (!isRecord(u) || !optNumber(u.prompt_tokens) || !optNumber(u.completion_tokens)) return false;
  if (!optNumber(u.total_tokens)) return false;
  const p = u.prompt_tokens_details;
  if (!nullish(p) && !(isRecord(p) && optNumber(p.cached_tokens))) return false;
  const c = u.completion_tokens_details;
  return nullish(c) || (isRecord(c) && optNumber(c.reasoning_tokens) && optNumber(c.accepted_prediction_tokens) &&
    optNumber(c.rejected_prediction_tokens));
}

/** True when the SDK's chunk schema accepts `v` and its parse would read the same as `v` itself. */
function plainChunk(v: unknown): v is Json {
  if (!isRecord(v) || "error" in v || !optString(v.id) || !optNumber(v.created) || !optString(v.model)) return false;
  if (!Array.isArray(v.choices) || !usageOk(v.usage)) return false;
  for (const choice of v.choices) {
    if (!isRecord(choice) || !optString(choice.finish_reason)) return false;
    const d = choice.delta;
    if (nullish(d)) continue;
    if (!isRecord(d) || !(nullish(d.role) || d.role === "assistant" || d.role === "")) return false;
    if (!optString(d.content) || !optString(d.reasoning_content) || !optString(d.reasoning)) return false;
    if (nullish(d.tool_calls)) continue;
    if (!Array.isArray(d.tool_calls)) return false;
    for (const call of d.tool_calls) {
      if (!isRecord(call) || !optNumber(call.index) || !optString(call.id) || !nullish(call.extra_content)) {
        return false;
      }
      const f = call.function;
      if (!isRecord(f) || !optString(f.name) || !optString(f.arguments)) return false;
    }
  }
  return true;
}

function contentParts(content: unknown): { type: "text" | "reasoning"; text: string }[] {
  if (content == null) return [];
  if (typeof content === "string") return content.length > 0 ? [{ type: "text", text: content }] : [];
  const out: { type: "text" | "reasoning"; text: string }[] = [];
  for (const part of content as Json[]) {
    if (part.type === "text" && typeof part.text === "string") {
      if (part.text.length > 0) out.push({ type: "text", text: part.text });
    } else if (part.type === "thinking" && Array.isArray(part.thinking)) {
      const text = part.thinking.filter((c) => isRecord(c) && c.type === "text" && typeof c.text === "string")
        .map((c) => (c as Json).text).join("");
      if (text.length > 0) out.push({ type: "reasoning", text });
    }
  }
  return out;
}

function finishUnified(raw: string, hasRefusal: boolean): string {
  switch (raw) {
    case "stop":
      return hasRefusal ? "content-filter" : "stop";
    case "length":
      return "length";
    case "content_filter":
      return "content-filter";
    case "function_call":
    case "tool_calls":
      return "tool-calls";
    default:
      return "other";
  }
}

function usageOf(usage: Json | null | undefined) {
  if (usage == null) {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
      raw: undefined,
    };
  }
  const prompt = (usage.prompt_tokens as number | null | undefined) ?? 0;
  const completion = (usage.completion_tokens as number | null | undefined) ?? 0;
  const cacheRead = ((usage.prompt_tokens_details as Json | null | undefined)?.cached_tokens as number | null) ?? 0;
  const reasoning = ((usage.completion_tokens_details as Json | null | undefined)?.reasoning_tokens as number | null) ??
    0;
  return {
    inputTokens: { total: prompt, noCache: prompt - cacheRead, cacheRead, cacheWrite: undefined },
    outputTokens: { total: completion, text: Math.max(0, completion - reasoning), reasoning },
    raw: usage,
  };
}

/** A tool-call delta with only the keys the SDK's schema keeps (the tracker's errors carry it as `data`). */
function schemaDelta(call: Json): Json {
  const out: Json = {};
  if ("index" in call) out.index = call.index;
  if ("id" in call) out.id = call.id;
  const fn = call.function as Json;
  out.function = {
    ...("name" in fn ? { name: fn.name } : {}),
    ...("arguments" in fn ? { arguments: fn.arguments } : {}),
  };
  if ("extra_content" in call) out.extra_content = call.extra_content;
  return out;
}

/**
 * The chunk-to-parts state of one answer: `data` takes each SSE event's data (in order) and `end`
 * the end of the body; both push the parts they make onto `out`. Parts the SDK brackets a text or
 * reasoning run with (`text-start`, `text-end`, ...) and its `stream-start` are not made.
 */
export function leanChunkReader(
  schema: ChunkSchema,
  metadataKey: string,
  out: LeanPart[],
): { data: (text: string) => Promise<void> | void; end: () => void } {
  const tracker = new StreamingToolCallTracker(
    { enqueue: (part?: LanguageModelV4StreamPart) => void (part && out.push(part as unknown as LeanPart)) },
    {
      generateId,
      extractMetadata: (delta: Json) => {
        const signature = ((delta.extra_content as Json | null | undefined)?.google as Json | null | undefined)
          ?.thought_signature;
        return signature ? { [metadataKey]: { thoughtSignature: signature as string } } : undefined;
      },
      buildToolCallProviderMetadata: (metadata) => metadata,
    },
  );
  const pendingCalls = new Map<number, { id: string | null; args: string; extra: unknown }>();
  const forwarded = new Set<number>();
  let finishReason: { unified: string; raw: string | undefined } | undefined;
  let rawFinish: string | undefined;
  let usage: Json | null | undefined;
  let metadataDone = false;
  let hasRefusal = false;

  const toolDelta = (delta: Json) => {
    const index = delta.index as number | null | undefined;
    if (index == null || forwarded.has(index)) return tracker.processDelta(delta);
    let pending = pendingCalls.get(index);
    if (!pending) {
      pending = { id: (delta.id as string | null | undefined) ?? null, args: "", extra: delta.extra_content ?? null };
      pendingCalls.set(index, pending);
    } else {
      if (pending.id == null && delta.id != null) pending.id = delta.id as string;
      if (pending.extra == null && delta.extra_content != null) pending.extra = delta.extra_content;
    }
    const fn = delta.function as Json | null | undefined;
    if (fn?.arguments != null) pending.args += fn.arguments as string;
    if (fn?.name != null) {
      tracker.processDelta({
        index,
        id: pending.id,
        function: { name: fn.name, arguments: pending.args },
        extra_content: pending.extra ?? undefined,
      });
      pendingCalls.delete(index);
      forwarded.add(index);
    }
  };

  const chunk = (value: Json) => {
    if (!metadataDone) {
      const id = (value.id as string | null | undefined) ?? undefined;
      const modelId = (value.model as string | null | undefined) ?? undefined;
      const created = (value.created as number | null | undefined) || undefined;
      const timestamp = created != null ? new Date(created * 1000) : undefined;
      if (id || modelId || timestamp) {
        metadataDone = true;
        out.push({ type: "response-metadata", id, modelId, timestamp });
      }
    }
    if (value.usage != null) usage = value.usage as Json;
    const choice = (value.choices as Json[])[0];
    if (choice?.finish_reason != null) rawFinish = choice.finish_reason as string;
    const delta = choice?.delta as Json | null | undefined;
    if (delta == null) return;
    const reasoning = (delta.reasoning_content ?? delta.reasoning) as string | null | undefined;
    if (reasoning) out.push({ type: "reasoning-delta", id: "reasoning-0", delta: reasoning });
    for (const part of contentParts(delta.content)) {
      out.push(
        part.type === "reasoning"
          ? { type: "reasoning-delta", id: "reasoning-0", delta: part.text }
          : { type: "text-delta", id: "txt-0", delta: part.text },
      );
    }
    const refusal = delta.refusal;
    if (typeof refusal === "string" && refusal.length > 0) {
      hasRefusal = true;
      out.push({ type: "text-delta", id: "txt-0", delta: refusal });
    }
    const calls = delta.tool_calls as Json[] | null | undefined;
    if (calls != null) { for (const call of calls) toolDelta(schemaDelta(call)); }
  };

  const failed = (error: unknown) => {
    finishReason = { unified: "error", raw: undefined };
    rawFinish = undefined;
    out.push({ type: "error", error });
  };

  const parsed = (result: ParseResult<unknown>) => {
    if (!result.success) return failed(result.error);
    const value = result.value as Json;
    if ("error" in value) return failed(value.error);
    chunk(value);
  };

  return {
    data(text: string) {
      if (text === "[DONE]") return;
      if (!SUSPECT_PROTO.test(text) && !SUSPECT_CONSTRUCTOR.test(text)) {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          value = undefined;
        }
        if (plainChunk(value)) return chunk(value);
      }
      // The SDK's own parse and schema, for the chunks checked here as anything but plain.
      return safeParseJSON({ text, schema }).then(parsed);
    },
    end() {
      for (const [index, pending] of pendingCalls) {
        tracker.processDelta({ index, id: pending.id, function: { arguments: pending.args } });
      }
      pendingCalls.clear();
      tracker.flush();
      if (rawFinish != null) finishReason = { unified: finishUnified(rawFinish, hasRefusal), raw: rawFinish };
      if (finishReason == null) {
        finishReason = { unified: "error", raw: undefined };
        out.push({
          type: "error",
          error: new InvalidResponseDataError({
            data: undefined,
            message: "Response stream ended without a finish reason.",
          }),
        });
      }
      const metadata: Json = {};
      const details = usage?.completion_tokens_details as Json | null | undefined;
      if (details?.accepted_prediction_tokens != null) {
        metadata.acceptedPredictionTokens = details.accepted_prediction_tokens;
      }
      if (details?.rejected_prediction_tokens != null) {
        metadata.rejectedPredictionTokens = details.rejected_prediction_tokens;
      }
      out.push({ type: "finish", finishReason, usage: usageOf(usage), providerMetadata: { [metadataKey]: metadata } });
    },
  };
}
