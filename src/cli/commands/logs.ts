import { delay as sleepFor } from "../../async/delay.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { connectGateway, type GatewayConnection, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { type LogsTailResult, tailLog } from "../../log/tail.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** Options of `openclaw logs`. */
export interface LogsOptions extends RpcOptions {
  follow?: boolean;
  limit?: string;
  maxBytes?: string;
  plain?: boolean;
  utc?: boolean;
  interval?: string;
}

interface LogLine {
  time: string;
  level: string;
  subsystem: string;
  message: string;
  raw: string;
}

/** Reads one JSON log record as the reference's `openclaw logs` does; other lines pass raw. */
export function parseLogLine(raw: string, options: { utc: boolean }): LogLine {
  try {
    const record: unknown = JSON.parse(raw);
    // A JSON value that is not a record (a number, an array) is not a log record: show it raw.
    if (!isJsonObject(record)) return { time: "", level: "", subsystem: "", message: raw, raw };
    const meta = isJsonObject(record._meta) ? record._meta : {};
    let subsystem = "";
    try {
      subsystem = JSON.parse(String(record["0"] ?? meta.name ?? "{}")).subsystem ?? "";
    } catch {
      subsystem = "";
    }
    const time = String(record.time ?? meta.date ?? "");
    return {
      time: options.utc && time ? new Date(time).toISOString() : time,
      level: String(meta.logLevelName ?? record.level ?? "info").toLowerCase(),
      subsystem,
      message: String(record.message ?? record["1"] ?? ""),
      raw,
    };
  } catch {
    return { time: "", level: "", subsystem: "", message: raw, raw };
  }
}

function emit(lines: string[], options: LogsOptions): void {
  for (const raw of lines) {
    const line = parseLogLine(raw, { utc: options.utc ?? false });
    if (options.json) printLine(JSON.stringify({ type: "log", ...line }));
    else if (!line.time) printLine(line.message);
    else printLine(`${line.time} ${line.level}${line.subsystem ? ` ${line.subsystem}` : ""} ${line.message}`);
  }
}

function notice(message: string, options: LogsOptions): void {
  if (options.json) printLine(JSON.stringify({ type: "notice", message }));
  else printError(message);
}

function report(result: LogsTailResult, options: LogsOptions, state: { announced: boolean; source: string }): void {
  if (!state.announced) {
    state.announced = true;
    if (options.json) {
      printLine(
        JSON.stringify({
          type: "meta",
          file: result.file,
          sourceKind: state.source,
          cursor: result.cursor,
          size: result.size,
        }),
      );
    } else {
      printLine(`Log file: ${result.file}`);
    }
  }
  if (result.reset) {
    notice(
      result.skippedBytes
        ? `Log cursor re-anchored (skipped ${result.skippedBytes} bytes).`
        : "Log cursor reset (file rotated).",
      options,
    );
  }
  emit(result.lines, options);
  if (result.truncated) notice("Log tail truncated (increase --limit or --max-bytes).", options);
}

/**
 * `openclaw logs [--follow]`: the gateway's JSON log over `logs.tail`, pretty or as JSONL. When
 * the gateway is down a one-shot read falls back to the file and says so; `--follow` keeps
 * retrying with backoff instead of pretending.
 */
export async function logs(options: LogsOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  const limit = Number(options.limit ?? 200);
  const maxBytes = Number(options.maxBytes ?? 250_000);
  const interval = Number(options.interval ?? 1000);
  const state = { announced: false, source: "rpc" };
  let connection: GatewayConnection | undefined;
  try {
    connection = await connectGateway(target, {
      clientId: "gateway-client",
      mode: "backend",
      displayName: "gateway:logs.tail",
      timeoutMs,
    });
  } catch (error) {
    const down = error instanceof GatewayTransportError;
    if (down && !options.follow && target.urlSource !== "flag") {
      // A local gateway that is down: its file is right here, so read it and say so.
      notice("Local Gateway RPC unavailable; reading configured file log instead.", options);
      state.source = "file";
      report(await tailLog(target.logFile, { limit, maxBytes }), options, state);
      return 0;
    }
    // --follow keeps retrying below; everything else is a failure to report.
    if (!(down && options.follow)) {
      return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Logs" });
    }
  }
  let cursor: number | undefined;
  let failures = 0;
  for (;;) {
    try {
      connection ??= await connectGateway(target, {
        clientId: "gateway-client",
        mode: "backend",
        displayName: "gateway:logs.tail",
        timeoutMs,
      });
      if (failures > 0) notice("[logs] gateway reconnected", options);
      failures = 0;
      const result = await connection.request<LogsTailResult>(
        "logs.tail",
        cursor === undefined ? { limit, maxBytes } : { cursor, limit, maxBytes },
        timeoutMs,
      );
      report(result, options, state);
      cursor = result.cursor;
      if (!options.follow) {
        connection.close();
        return 0;
      }
      await sleepFor(interval);
    } catch (error) {
      connection?.close();
      connection = undefined;
      if (!options.follow || !(error instanceof GatewayTransportError)) {
        return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Logs" });
      }
      failures++;
      if (failures > 8) {
        printError(`[logs] gateway still unreachable after ${failures - 1} retries; giving up`);
        return 1;
      }
      const delay = Math.min(1000 * 2 ** (failures - 1), 30_000);
      notice(`[logs] gateway disconnected, reconnecting in ${Math.round(delay / 1000)}s...`, options);
      await sleepFor(delay);
    }
  }
}
