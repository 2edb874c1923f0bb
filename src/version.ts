/** The gateway's own release version, reported in `hello-ok`, probes and `--version`. */
export const VERSION = "2026.11.0";

/** The OpenClaw Gateway wire protocol version this gateway speaks. */
export const PROTOCOL_VERSION = 4;
