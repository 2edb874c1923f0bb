/** Error codes of the protocol's `error.code`, as the reference defines them. */
export type RpcErrorCode = "INVALID_REQUEST" | "FORBIDDEN" | "UNAVAILABLE" | "NOT_PAIRED";

/** An error body as the protocol sends it in `res.error`. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  retryable?: boolean;
  retryAfterMs?: number;
}

/** A method failure with a protocol code; the dispatcher turns it into `res {ok: false, error}`. */
export class RpcError extends Error {
  /** The protocol's `error.code`. */
  readonly code: RpcErrorCode;
  /** Structured `error.details`. */
  readonly details: unknown;
  /** Whether the client may retry (`error.retryable`). */
  readonly retryable: boolean | undefined;
  /** A payload sent alongside the error (a two-stage run that failed after `accepted`). */
  readonly payload: unknown;
  /** How long the client should wait before retrying (`error.retryAfterMs`). */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: RpcErrorCode,
    message: string,
    options: { details?: unknown; retryable?: boolean; retryAfterMs?: number; payload?: unknown } = {},
  ) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable;
    this.payload = options.payload;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The wire form of this error. */
  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.details !== undefined) body.details = this.details;
    if (this.retryable !== undefined) body.retryable = this.retryable;
    if (this.retryAfterMs !== undefined) body.retryAfterMs = this.retryAfterMs;
    return body;
  }
}
