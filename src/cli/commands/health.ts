import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

interface HealthPayload {
  ok: boolean;
  durationMs: number;
  eventLoop: { degraded: boolean; delayMaxMs: number; delayP99Ms: number; utilization: number; cpuCoreRatio: number };
  configReload: {
    hotReloadStatus: string;
    mode: string;
    lastError: string | null;
    pendingRestart: string[];
    ignoredKeys?: string[];
  };
  storage?: { ok: boolean; writeFailures: number; lastWriteError: { sessionKey: string; error: string } | null };
  channelOrder: string[];
  channelLabels: Record<string, string>;
  agents: { agentId: string; isDefault: boolean; heartbeat?: { everyMs?: number | null } }[];
  sessions: { path: string; count: number };
}

const DURATION_UNITS: [string, number][] = [
  ["w", 604_800_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1000],
  ["ms", 1],
];

/** `1h 30m`: the reference's exact duration, every non-zero unit from weeks down. */
function exactDuration(ms: number): string {
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of DURATION_UNITS) {
    const value = Math.floor(rest / size);
    rest -= value * size;
    if (value > 0) parts.push(`${value}${unit}`);
  }
  return parts.join(" ");
}

/**
 * `openclaw health`: the gateway's health snapshot. Fails fast (exit 1) when the gateway is
 * unreachable; there is no minute-long wait.
 */
export async function health(options: RpcOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  try {
    const connection = await connectGateway(target, {
      clientId: "gateway-client",
      mode: "backend",
      displayName: "gateway:health",
      timeoutMs,
    });
    try {
      const payload = await connection.request<HealthPayload>("health", {}, timeoutMs);
      if (options.json) {
        printJson(payload);
        return payload.ok ? 0 : 1;
      }
      const loop = payload.eventLoop;
      printLine(
        `Gateway event loop: ${
          loop.degraded ? "degraded" : "ok"
        } max=${loop.delayMaxMs}ms p99=${loop.delayP99Ms}ms util=${loop.utilization} cpu=${loop.cpuCoreRatio}`,
      );
      printLine(`Gateway probe duration: ${payload.durationMs}ms`);
      const reload = payload.configReload;
      printLine(`Config reload: ${reload.hotReloadStatus} (mode ${reload.mode})`);
      if (reload.lastError) printLine(`Config reload error: ${reload.lastError}`);
      if (reload.pendingRestart.length > 0) printLine(`Waiting for a restart: ${reload.pendingRestart.join(", ")}`);
      if (reload.ignoredKeys?.length) {
        printLine(`Config keys not implemented (ignored): ${reload.ignoredKeys.join(", ")}`);
      }
      printLine(
        payload.channelOrder.length === 0
          ? "Channels: none configured"
          : `Channels: ${payload.channelOrder.map((id) => payload.channelLabels[id] ?? id).join(", ")}`,
      );
      printLine(
        payload.agents.length === 0
          ? "Agents: none configured"
          : `Agents: ${payload.agents.map((a) => `${a.agentId}${a.isDefault ? " (default)" : ""}`).join(", ")}`,
      );
      if (payload.agents.length > 0) {
        const intervals = payload.agents.map((a) =>
          `${a.heartbeat?.everyMs ? exactDuration(a.heartbeat.everyMs) : "disabled"} (${a.agentId})`
        );
        printLine(`Heartbeat interval: ${intervals.join(", ")}`);
      }
      printLine(`Session store: ${payload.sessions.path} (${payload.sessions.count} entries)`);
      const failed = payload.storage?.ok === false ? payload.storage.lastWriteError : null;
      if (failed) printLine(`Session store write failed: ${failed.error} (${failed.sessionKey})`);
      return payload.ok ? 0 : 1;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Health check" });
  }
}
