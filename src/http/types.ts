/** What the listener hands every HTTP request besides the request itself. */
export interface HttpBindings {
  /** The peer's address as seen on the socket (never from headers). */
  remoteAddr: string;
}

/** Hono environment of the gateway app. */
export interface HttpEnv {
  Bindings: HttpBindings;
}

/** The gateway's lifecycle phase, as probes report it. */
export type GatewayPhase = "starting" | "ready" | "draining";
