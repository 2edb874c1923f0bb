import { getLogger as getLogTapeLogger, type Logger } from "@logtape/logtape";

/** A logger for an OpenClaw subsystem such as `gateway` or `gateway/ws`. */
export function getLogger(subsystem: string): Logger {
  return getLogTapeLogger(["openclaw", ...subsystem.split("/")]);
}

export type { Logger };
