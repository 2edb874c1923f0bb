import type { LogLevel, LogRecord } from "@logtape/logtape";

/** OpenClaw's (tslog) numeric level ids, which `openclaw logs` reads from `_meta.logLevelId`. */
const LEVEL_IDS: Record<LogLevel, number> = { trace: 1, debug: 2, info: 3, warning: 4, error: 5, fatal: 6 };
const LEVEL_NAMES: Record<LogLevel, string> = {
  trace: "TRACE",
  debug: "DEBUG",
  info: "INFO",
  warning: "WARN",
  error: "ERROR",
  fatal: "FATAL",
};

/** The subsystem of a record: its category below the `openclaw` root, slash-joined. */
export function subsystemOf(record: LogRecord): string {
  const parts = record.category[0] === "openclaw" ? record.category.slice(1) : record.category;
  return parts.join("/") || "gateway";
}

/** Console shortening, as OpenClaw prints it: `gateway/ws` shows as `ws`, keep the last two parts. */
export function shortSubsystem(subsystem: string): string {
  const trimmed = subsystem.replace(/^(gateway|channels|providers)\//, "");
  return trimmed.split("/").slice(-2).join("/");
}

/** Renders a record's message template with its values. */
export function renderMessage(record: LogRecord): string {
  let out = "";
  record.message.forEach((part, index) => {
    out += index % 2 === 0 ? String(part) : renderValue(part);
  });
  return out;
}

function renderValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Local ISO time with offset (`2026-11-25T01:07:10.661+00:00`), as OpenClaw's file log writes it. */
export function localIsoTime(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${
    pad(date.getMinutes())
  }:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** Formats a console line: `HH:MM:SS [sub] msg` on a terminal, ISO time otherwise. */
export function consoleLine(record: LogRecord, options: { tty: boolean }): string {
  const date = new Date(record.timestamp);
  const time = options.tty
    ? `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
    : localIsoTime(date);
  return `${time} [${shortSubsystem(subsystemOf(record))}] ${renderMessage(record)}\n`;
}

/**
 * Formats one JSON log line in the shape OpenClaw's file log uses (tslog): numbered positional
 * arguments, `_meta` with the level, `time` and `message`. The real `openclaw logs` parses it.
 */
export function jsonLine(record: LogRecord, meta: { hostname: string }): string {
  const subsystem = JSON.stringify({ subsystem: subsystemOf(record) });
  const message = renderMessage(record);
  const date = new Date(record.timestamp);
  const line: Record<string, unknown> = {
    "0": subsystem,
    "1": message,
    _meta: {
      runtime: "deno",
      runtimeVersion: Deno.version.deno,
      hostname: meta.hostname,
      date: date.toISOString(),
      logLevelId: LEVEL_IDS[record.level],
      logLevelName: LEVEL_NAMES[record.level],
      name: subsystem,
      parentNames: ["openclaw"],
    },
    time: localIsoTime(date),
    hostname: meta.hostname,
    message,
  };
  if (Object.keys(record.properties).length > 0) line.props = safeProps(record.properties);
  return `${JSON.stringify(line)}\n`;
}

function safeProps(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}
