import { messageOf } from "./error_text.ts";
import { configure, dispose, getLevelFilter, type LogLevel, type LogRecord, type Sink } from "@logtape/logtape";
import { redactByPattern } from "@logtape/redaction";
import { dailyFileSink, rotatingFileSink } from "./file_sink.ts";
import { consoleLine, jsonLine } from "./format.ts";
import { currentLogFile, dailyLogName } from "./log_file_name.ts";

export { currentLogFile, dailyLogName };
import { redactionPatterns } from "./redact.ts";
import { warmFormatters } from "./warm_formats.ts";

/** OpenClaw's level names (`logging.level`, `--log-level`, OPENCLAW_LOG_LEVEL). */
export type LevelName = "silent" | "fatal" | "error" | "warn" | "info" | "debug" | "trace";

/** Where and how the gateway logs. */
export interface LoggingOptions {
  /** Level for the JSON file. */
  fileLevel: LevelName;
  /** Level for the console; `--verbose` lowers it to debug. */
  consoleLevel: LevelName;
  /** An explicit log file (`logging.file`), rotated by size; else a daily file in `directory`. */
  file?: string | undefined;
  /** Directory of the daily files (`<stateDir>/logs`). */
  directory: string;
  /** Profile name, which becomes part of the daily file name. */
  profile?: string | undefined;
  maxFileBytes?: number | undefined;
  /** Secret values to mask wherever they appear. */
  secrets?: readonly string[] | undefined;
  /** Key names whose values are masked in `key: "value"` text (the config schema's sensitive fields). */
  credentialKeys?: readonly string[] | undefined;
}

/** A text sink such as stdout; injected so tests can capture console lines. */
export interface LineWriter {
  writeSync(bytes: Uint8Array): number;
  isTerminal(): boolean;
}

const LEVEL_MAP: Record<Exclude<LevelName, "silent">, LogLevel> = {
  fatal: "fatal",
  error: "error",
  warn: "warning",
  info: "info",
  debug: "debug",
  trace: "trace",
};

/** Daily log files older than this are deleted. */
const DAILY_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

function levelFilter(level: LevelName) {
  return level === "silent" ? () => false : getLevelFilter(LEVEL_MAP[level]);
}

/**
 * A level-gated sink that can never take the gateway down: a full disk or a closed stdout drops the line
 * (and says so once on stderr) instead of throwing into the code that logged.
 */
function guardedSink(sink: Sink, options: { name: string; level: LevelName }): Sink {
  const name = options.name;
  const accept = levelFilter(options.level);
  let warned = false;
  const guarded = (record: LogRecord) => {
    if (!accept(record)) return;
    try {
      sink(record);
    } catch (error) {
      if (warned) return;
      warned = true;
      try {
        Deno.stderr.writeSync(
          new TextEncoder().encode(`log sink ${name} failed, dropping its lines: ${messageOf(error)}\n`),
        );
      } catch {
        // stderr is gone too; nothing left to tell.
      }
    }
  };
  // LogTape disposes the sinks it was given on reconfigure and shutdown: pass that on, or every
  // reload would leave the previous log file open.
  const dispose = () => {
    const own: unknown = Symbol.dispose in sink ? sink[Symbol.dispose] : undefined;
    if (typeof own === "function") own.call(sink);
  };
  return Object.assign(guarded, { [Symbol.dispose]: dispose });
}

function writerSink(
  streams: { out: LineWriter; err: LineWriter },
  format: (record: LogRecord, tty: boolean) => string,
): Sink {
  const encoder = new TextEncoder();
  const tty = streams.out.isTerminal();
  return (record) => {
    const target = record.level === "warning" || record.level === "error" || record.level === "fatal"
      ? streams.err
      : streams.out;
    target.writeSync(encoder.encode(format(record, tty)));
  };
}

/**
 * Configures LogTape for the process: human lines on the console, OpenClaw-shaped JSON lines in
 * the file, both redacted. Calling it again (on reload) replaces the previous configuration.
 */
export async function setupLogging(
  options: LoggingOptions,
  streams: { out: LineWriter; err: LineWriter } = { out: Deno.stdout, err: Deno.stderr },
): Promise<void> {
  const patterns = redactionPatterns({
    secrets: options.secrets ?? [],
    credentialKeys: options.credentialKeys ?? [],
  });
  const hostname = safeHostname();
  const consoleFormat = redactByPattern((record: LogRecord) => consoleLine(record, { tty: false }), patterns);
  const ttyFormat = redactByPattern((record: LogRecord) => consoleLine(record, { tty: true }), patterns);
  const fileFormat = redactByPattern((record: LogRecord) => jsonLine(record, { hostname }), patterns);
  warmFormatters([streams.out.isTerminal() ? ttyFormat : consoleFormat, fileFormat]);

  await Deno.mkdir(options.directory, { recursive: true, mode: 0o700 });
  let fileSink: Sink;
  try {
    // Files are 0600 (file_sink.ts), and every line reaches the file at once.
    fileSink = options.file
      ? rotatingFileSink(options.file, {
        formatter: fileFormat,
        maxSize: options.maxFileBytes ?? 104_857_600,
        maxFiles: 5,
      })
      : dailyFileSink({
        directory: options.directory,
        filename: (date) => dailyLogName(date, options.profile),
        maxAgeMs: DAILY_RETENTION_MS,
        formatter: fileFormat,
      });
  } catch (error) {
    // A log file that cannot be opened must not keep the gateway from starting or reloading.
    const where = options.file ?? options.directory;
    streams.err.writeSync(
      new TextEncoder().encode(
        `log file ${where} is unavailable (${messageOf(error)}); logging to the console only\n`,
      ),
    );
    fileSink = () => {};
  }
  const console = writerSink(streams, (record, tty) => tty ? ttyFormat(record) : consoleFormat(record));

  await configure({
    reset: true,
    sinks: {
      console: guardedSink(console, { name: "console", level: options.consoleLevel }),
      file: guardedSink(fileSink, { name: "file", level: options.fileLevel }),
    },
    loggers: [
      { category: ["openclaw"], sinks: ["console", "file"], lowestLevel: "trace" },
      { category: ["logtape", "meta"], sinks: [], lowestLevel: "warning" },
    ],
  });
}

/** Flushes and closes every sink; call before the process exits. */
export async function shutdownLogging(): Promise<void> {
  await dispose();
}

function safeHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}
