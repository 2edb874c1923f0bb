import { HTTPException } from "hono/http-exception";

/** A status Hono's `HTTPException` accepts (a response with a body). */
type ErrorStatus = ConstructorParameters<typeof HTTPException>[0] & number;

/** Whether `status` is an HTTP error status; an upstream's unofficial code (499, 520) passes through as it came. */
function isErrorStatus(status: number): status is ErrorStatus {
  return status >= 400 && status <= 599;
}

/**
 * A refusal a route throws instead of returning: its status, its body (JSON, or the text of
 * `message`) and its headers. `app.onError` answers it, and so does Hono's own default handler
 * for a route app mounted alone, since `getResponse()` is how Hono reads an `HTTPException`.
 */
export class HttpError extends HTTPException {
  /** The JSON body; absent for a `text/plain` body holding `message`. */
  readonly json: unknown;
  /** Headers besides the content type (`allow`, `retry-after`, `connection: close`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, message: string, options: { json?: unknown; headers?: Record<string, string> } = {}) {
    super(isErrorStatus(status) ? status : 500, { message });
    this.name = "HttpError";
    this.json = options.json;
    this.headers = options.headers ?? {};
  }

  /** The response this refusal is answered with, as the reference words it. */
  override getResponse(): Response {
    if (this.json !== undefined) return Response.json(this.json, { status: this.status, headers: this.headers });
    return new Response(this.message, {
      status: this.status,
      headers: { "content-type": "text/plain; charset=utf-8", ...this.headers },
    });
  }
}

/** An error in OpenAI's shape: `{"error":{"message","type"}}`. */
export function apiError(
  status: number,
  message: string,
  type = "invalid_request_error",
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, message, { json: { error: { message, type } }, headers });
}

/** A `text/plain; charset=utf-8` refusal, as the reference sends its 404s, 405s and hook errors. */
export function plainError(status: number, text: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, text, { headers });
}

/** The plain-text 404 of a disabled endpoint or an unknown path. */
export function notFound(): HttpError {
  return plainError(404, "Not Found");
}

/** 405 with the `Allow` header the reference sends. */
export function methodNotAllowed(allow: string): HttpError {
  return plainError(405, "Method Not Allowed", { allow });
}

/** The reference's answer to an unhandled exception. */
export function internalServerError(): Response {
  return new Response("Internal Server Error", {
    status: 500,
    headers: { "content-type": "text/plain; charset=utf-8" },
  });
}
