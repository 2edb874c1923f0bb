// `openclaw gateway suspend` / `openclaw gateway resume <suspensionId>`: the host-suspension handshake from
// the command line, as the reference's CLI runs it: prepare with one stable request id (polling with
// `--wait` until the gateway is idle or the time is up), print the lease and the command that releases it.
import { delay } from "../../async/delay.ts";
import { connectGateway, type GatewayConnection } from "../../client/rpc_client.ts";
import { type ResolvedTarget, resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** `gateway suspend`'s own flags. */
export interface SuspendOptions extends RpcOptions {
  requestId?: string;
  wait?: string;
}

interface Blocker {
  kind: string;
  count: number;
  message: string;
}

type PrepareAnswer =
  | { status: "ready"; suspensionId: string; expiresAtMs: number }
  | { status: "busy"; reason: string; retryAfterMs: number; activeCount: number; blockers: Blocker[] }
  | { status: "draining" };

const MIN_POLL_MS = 50;

/** A refused flag, in the reference's words. */
export class SuspendFlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SuspendFlagError";
  }
}

/** `--wait <seconds>` in milliseconds; undefined without it. */
export function waitMsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value.trim() || NaN);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new SuspendFlagError("--wait must be a non-negative number of seconds");
  }
  const ms = Math.floor(seconds * 1000);
  if (!Number.isSafeInteger(ms)) throw new SuspendFlagError("--wait is too large");
  return ms;
}

/** `--request-id`, trimmed; a fresh `cli-<8 hex>` without it. */
export function requestIdOf(value: string | undefined): string {
  if (value === undefined) {
    const bytes = crypto.getRandomValues(new Uint8Array(4));
    return `cli-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
  const id = value.trim();
  if (!id || id.length > 128) throw new SuspendFlagError("--request-id must contain 1 to 128 characters");
  return id;
}

/** The busy answer as the reference's CLI words it. */
export function busyText(answer: { reason: string; activeCount: number; blockers: Blocker[] }): string {
  const blockers = answer.blockers.map((blocker) => `- ${blocker.message}`);
  return [
    `Gateway suspension is busy (${answer.reason}; ${answer.activeCount} active).`,
    ...(blockers.length > 0 ? ["Blockers:", ...blockers] : []),
  ].join("\n");
}

/** Runs `run` on one admin connection (both suspend methods need `operator.admin`). */
async function withAdmin<T>(
  target: ResolvedTarget,
  options: RpcOptions,
  run: (connection: GatewayConnection, timeoutMs: number) => Promise<T>,
): Promise<T> {
  const timeoutMs = timeoutOf(options, 10_000);
  const connection = await connectGateway(target, { scopes: ["operator.admin"], timeoutMs });
  try {
    return await run(connection, timeoutMs);
  } finally {
    connection.close();
  }
}

/** `openclaw gateway suspend [--request-id <id>] [--wait <seconds>]`. */
export async function gatewaySuspend(options: SuspendOptions): Promise<number> {
  let requestId: string;
  let waitMs: number | undefined;
  try {
    requestId = requestIdOf(options.requestId);
    waitMs = waitMsOf(options.wait);
  } catch (error) {
    printError(`Gateway suspend failed: ${(error as Error).message}`);
    return 1;
  }
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  try {
    return await withAdmin(target, options, async (connection, timeoutMs) => {
      const deadline = waitMs === undefined ? undefined : Date.now() + waitMs;
      for (;;) {
        const answer = await connection.request<PrepareAnswer>("gateway.suspend.prepare", { requestId }, timeoutMs);
        if (answer.status === "ready") {
          if (options.json) printJson({ ...answer, requestId });
          else {
            printLine("Gateway suspension prepared.");
            printLine(`Suspension ID: ${answer.suspensionId}`);
            printLine(`Expires: ${new Date(answer.expiresAtMs).toISOString()} (${answer.expiresAtMs} ms)`);
            const resume = `openclaw gateway resume ${answer.suspensionId}`;
            printLine(`Resume with: ${options.port === undefined ? resume : `${resume} --port ${options.port}`}`);
          }
          return 0;
        }
        if (answer.status !== "busy") {
          printError("Gateway suspend failed: Gateway suspension unexpectedly entered drain mode");
          return 1;
        }
        const remaining = deadline === undefined ? 0 : deadline - Date.now();
        if (remaining <= 0) {
          if (options.json) printJson({ ...answer, requestId });
          else {
            const hint = deadline === undefined
              ? "Retry later or use --wait <seconds>."
              : "Timed out waiting for the Gateway to become idle.";
            printError(`Gateway suspend failed: ${busyText(answer)}\n${hint}`);
          }
          return 1;
        }
        await delay(Math.min(remaining, Math.max(MIN_POLL_MS, answer.retryAfterMs)));
      }
    });
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Gateway suspend" });
  }
}

/** `openclaw gateway resume <suspensionId>`. */
export async function gatewayResume(suspensionId: string, options: RpcOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  try {
    const result = await withAdmin(
      target,
      options,
      (connection, timeoutMs) =>
        connection.request<{ ok: true; status: "running"; resumed: boolean }>(
          "gateway.suspend.resume",
          { suspensionId },
          timeoutMs,
        ),
    );
    if (options.json) printJson(result);
    else {
      printLine(
        result.resumed
          ? "Gateway resumed."
          : "No matching suspension was held (lease already expired or resumed); gateway is running.",
      );
    }
    return 0;
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Gateway resume" });
  }
}
