// `openclaw sessions compact <key>`: asks the running gateway's `sessions.compact` to compact a session,
// as the reference's CLI does, and says how it went in its words: `Compacted session <key> (<before> →
// <after> tokens).`, `No compaction needed for session <key> (<reason>).`, or a failure with exit 1
// (the gateway's `ok: false`, or a request it refused). Recorded in
// tests/fixtures/sessions/reference_sessions_compact.json.
import { connectGateway, GatewayRequestError, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure, unreachableLines } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags } from "../rpc_options.ts";
import { jsonFailure } from "./config_common.ts";

/** Flags of `sessions compact`. */
export interface CompactOptions extends RpcOptions {
  agent?: string;
  maxLines?: string;
}

/** The gateway's answer, as the CLI reads it. */
export interface CompactAnswer {
  ok?: boolean;
  key?: string;
  compacted?: boolean;
  reason?: string;
  kept?: number;
  result?: { tokensBefore?: unknown; tokensAfter?: unknown; details?: { pending?: unknown } };
}

const DEFAULT_TIMEOUT_MS = 10_000;

function positiveInt(value: string | undefined): number | undefined {
  const trimmed = value?.trim() ?? "";
  if (!/^\+?\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The line a successful answer prints. */
export function describeCompaction(answer: CompactAnswer, fallbackKey: string): string {
  const key = answer.key ?? fallbackKey;
  if (!answer.compacted) {
    if (answer.result?.details?.pending === true) {
      return `Compaction started for session ${key} (pending; completion is reported asynchronously by the backend).`;
    }
    return `No compaction needed for session ${key}${answer.reason ? ` (${answer.reason})` : ""}.`;
  }
  const before = answer.result?.tokensBefore;
  const after = answer.result?.tokensAfter;
  const detail = typeof before === "number" && typeof after === "number"
    ? ` (${before} → ${after} tokens)`
    : typeof answer.kept === "number"
    ? ` (kept ${answer.kept} lines)`
    : "";
  return `Compacted session ${key}${detail}.`;
}

function refuse(message: string, json: boolean): number {
  if (json) printJson(jsonFailure(message));
  printError(message);
  return 1;
}

/** Compacts `key` through the gateway; exit 0 when the gateway answered `ok: true`. */
export async function sessionsCompact(key: string, options: CompactOptions): Promise<number> {
  const json = options.json === true;
  const maxLines = positiveInt(options.maxLines);
  if (options.maxLines !== undefined && maxLines === undefined) {
    return refuse("--max-lines must be a positive integer.", json);
  }
  const timeoutMs = positiveInt(options.timeout);
  if (options.timeout !== undefined && timeoutMs === undefined) {
    return refuse("--timeout must be a positive integer (milliseconds).", json);
  }
  const agent = options.agent?.trim();
  if (options.agent !== undefined && !agent) return refuse("--agent must not be blank", json);
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const params = { key, ...(agent ? { agentId: agent } : {}), ...(maxLines !== undefined ? { maxLines } : {}) };
  let answer: CompactAnswer;
  try {
    const connection = await connectGateway(target, {
      scopes: ["operator.admin"],
      timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    try {
      answer = await connection.request<CompactAnswer>("sessions.compact", params, timeoutMs ?? DEFAULT_TIMEOUT_MS);
    } finally {
      connection.close();
    }
  } catch (error) {
    if (error instanceof GatewayTransportError) {
      // The reference's CLI failure: its lines on stderr, and as one message in the JSON failure.
      return refuse(unreachableLines(error, target).join("\n"), json);
    }
    if (!(error instanceof GatewayRequestError)) {
      return reportGatewayFailure(error, target, { json, action: "Compaction" });
    }
    if (json) printJson({ ok: false, key, error: error.message });
    else printError(`Compaction failed: ${error.message}`);
    return 1;
  }
  if (json) {
    printJson(answer);
    return answer?.ok === true ? 0 : 1;
  }
  if (answer?.ok !== true) {
    printError(`Compaction failed for session ${answer?.key ?? key}${answer?.reason ? `: ${answer.reason}` : ""}.`);
    return 1;
  }
  printLine(describeCompaction(answer, key));
  return 0;
}
