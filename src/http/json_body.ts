import { readBody } from "./body.ts";
import { apiError } from "./http_error.ts";

/** Largest request body of the OpenAI-compatible APIs, as in the reference. */
export const MAX_BODY_BYTES = 20 * 1024 * 1024;

/**
 * Reads a JSON object body of the OpenAI-compatible APIs under their size limit; a body too
 * large (413), too slow (408), not JSON or not an object (400) is thrown as the refusal to answer.
 */
export async function readJsonBody<T extends object>(request: Request): Promise<T> {
  const read = await readBody(request, { maxBytes: MAX_BODY_BYTES });
  if (!read.ok) {
    throw read.reason === "too_large"
      ? apiError(413, "Payload too large", "invalid_request_error", { connection: "close" })
      : apiError(408, "Request body timeout", "invalid_request_error", { connection: "close" });
  }
  let body: T | null;
  try {
    body = JSON.parse(new TextDecoder().decode(read.bytes));
  } catch (error) {
    throw apiError(400, error instanceof Error ? error.message : String(error));
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw apiError(400, "Request body must be a JSON object.");
  }
  return body;
}
