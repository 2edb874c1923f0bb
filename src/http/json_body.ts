import { readBody } from "./body.ts";
import { apiError } from "./http_error.ts";

/** Largest request body of the OpenAI-compatible APIs, as in the reference. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** A body parsed as a JSON object, or why it is not one (`syntax`: the parser's message; absent: not an object). */
export type JsonObjectParse<T> = { ok: true; value: T } | { ok: false; syntax?: string };

/**
 * Parses a request body as a JSON object, the one shape every JSON route takes; with
 * `emptyIsObject` an empty body is `{}` (hooks and `/tools/invoke` accept a bare POST).
 */
export function parseJsonObject<T extends object = Record<string, unknown>>(
  bytes: Uint8Array,
  options: { emptyIsObject?: boolean } = {},
): JsonObjectParse<T> {
  const text = new TextDecoder().decode(bytes);
  let value: T | null;
  try {
    value = JSON.parse(text === "" && options.emptyIsObject ? "{}" : text);
  } catch (error) {
    return { ok: false, syntax: error instanceof Error ? error.message : String(error) };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false };
  return { ok: true, value };
}

/**
 * Reads a body under `maxBytes`, refusing one too large (413) or too slow (408) in the OpenAI
 * error shape, with `connection: close` (the rest of the body is never read).
 */
export async function readApiBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const read = await readBody(request, { maxBytes });
  if (read.ok) return read.bytes;
  throw read.reason === "too_large"
    ? apiError(413, "Payload too large", "invalid_request_error", { connection: "close" })
    : apiError(408, "Request body timeout", "invalid_request_error", { connection: "close" });
}

/**
 * Reads a JSON object body of the OpenAI-compatible APIs under their size limit; a body too
 * large (413), too slow (408), not JSON or not an object (400) is thrown as the refusal to answer.
 */
export async function readJsonBody<T extends object>(request: Request, maxBytes = MAX_BODY_BYTES): Promise<T> {
  const parsed = parseJsonObject<T>(await readApiBody(request, maxBytes));
  if (!parsed.ok) throw apiError(400, parsed.syntax ?? "Request body must be a JSON object.");
  return parsed.value;
}
