import { type Logger as SlackLogger, LogLevel } from "@slack/web-api";
import type { Logger } from "../../log/logger.ts";

function line(parts: unknown[]): string {
  return parts.map((part) => (typeof part === "string" ? part : String(part))).join(" ");
}

/**
 * The Slack SDKs' logger interface over ours, so their lines go to the gateway's log (not stdout) under
 * `channels/slack`; the SDKs' debug chatter (every frame, every request) stays at debug.
 */
export function libraryLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...parts) => log.debug(line(parts)),
    info: (...parts) => log.info(line(parts)),
    warn: (...parts) => log.warn(line(parts)),
    error: (...parts) => log.error(line(parts)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
