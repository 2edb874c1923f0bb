import type { LogRecord } from "@logtape/logtape";

/**
 * Runs the log formatters once on a record shaped like the gateway's first line (never written anywhere), so
 * the first real line does not pay for compiling the redaction patterns and the formatting paths (timezone data,
 * JSON): the gateway logs its "listening on" lines right after the port accepts, in front of a client
 * connecting then. Twice each: V8 compiles a regular expression to bytecode on its first use and to machine
 * code on its second.
 */
export function warmFormatters(formatters: readonly ((record: LogRecord) => unknown)[]): void {
  const text = "listening on ws://127.0.0.1:18789 (pid 1; ready 1ms after start) token=warm-up-0123";
  const record: LogRecord = {
    category: ["openclaw", "gateway"],
    level: "info",
    message: [text],
    rawMessage: text,
    timestamp: Date.now(),
    properties: {},
  };
  for (const format of formatters) {
    format(record);
    format(record);
  }
}
