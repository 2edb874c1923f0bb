/**
 * What ended a run early, as every edge maps it: the HTTP API to a status, the chat event to an
 * `errorKind`, the run log to its `kind=` word. Never read from a message.
 */
export type RunErrorKind =
  /** The request names an agent the config does not have. */
  | "unknown_agent"
  /** The agent has no usable model (none configured, or one naming no provider). */
  | "no_model"
  /** The model's provider is not declared under `models.providers` (answered 404, as the reference does). */
  | "unknown_model"
  /** No credential to send to the model's provider (no key in the auth profiles, environment or config), or an unreadable profile store. */
  | "no_credentials"
  /** The provider speaks an API this gateway does not. */
  | "unsupported"
  /** The provider answered an HTTP error; `status` holds it. */
  | "upstream"
  /** The provider could not be reached (connection, DNS). */
  | "unreachable"
  /** The provider did not answer within its timeout. */
  | "timeout"
  /** The caller (or a gateway stop) aborted the run. */
  | "aborted"
  /** The model call failed some other way. */
  | "model_failed"
  /** A caller's function tools (the HTTP API's `tools`) clash with the agent's tools or with each other. */
  | "client_tools"
  /** The session store could not be written. */
  | "storage"
  /** Something inside the gateway failed (a workspace the OS refused, a provider package that did not load). */
  | "internal";

/**
 * A run that failed, by kind. The message is what callers see (HTTP clients, chat users, RPC
 * events) and never carries upstream text, the provider's URL or OS error text: an upstream may
 * echo the request's Authorization header back. That detail is logged (redacted) where the
 * failure is classified, and kept as `cause`.
 */
export class RunError extends Error {
  readonly kind: RunErrorKind;
  /** The HTTP status the kind carries: the upstream's own for `upstream`, 404 for `unknown_model`. */
  readonly status: number | undefined;
  /** The wait the provider asked for before a retry (its `retry-after` header or its error's words), in ms. */
  readonly retryAfterMs: number | undefined;
  /** The provider's error said it is overloaded (a 503 "Service Unavailable"): the reference's `overloaded`. */
  readonly overloaded: boolean;
  /**
   * The provider's own account of the failure, as the reference's fallback events and notice show it ("503 Service
   * Unavailable", "429 Rate limit reached; Retry-After: 1 seconds", "terminated"): its status and error message,
   * with the provider's key masked and the length bounded. Never the run's message; absent when nothing answered.
   */
  readonly providerDetail: string | undefined;

  constructor(
    kind: RunErrorKind,
    message: string,
    options: {
      status?: number | undefined;
      cause?: unknown;
      retryAfterMs?: number | undefined;
      overloaded?: boolean;
      providerDetail?: string | undefined;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "RunError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.overloaded = options.overloaded ?? false;
    this.providerDetail = options.providerDetail;
  }
}

/** The reference's words for a run its deadline ended before it answered. */
export const RUN_TIMEOUT_TEXT = "Request timed out before a response was generated. Please try again, or increase " +
  "`agents.defaults.timeoutSeconds` in your config.";

/** The abort reason of a run its deadline ended, so the turn reports a timeout rather than a caller's abort. */
export class RunDeadlineExpired extends Error {
  constructor() {
    super(RUN_TIMEOUT_TEXT);
    this.name = "TimeoutError";
  }
}
