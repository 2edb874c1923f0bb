import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

interface ChannelsStatus {
  channelOrder: string[];
  channelLabels: Record<string, string>;
  channels: Record<string, { running?: boolean; connected?: boolean; probe?: { ok: boolean; error?: string } }>;
}

/**
 * `openclaw channels status [--probe]`: each channel as the gateway reports it. When the
 * gateway is down it says so and shows what the config declares; exit 0 either way.
 */
export async function channelsStatus(options: RpcOptions & { probe?: boolean }): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  if (!options.json) printLine(`Checking channel status${options.probe ? " (probe)" : ""}…`);
  try {
    const connection = await connectGateway(target, { clientId: "gateway-client", mode: "backend", timeoutMs });
    try {
      const status = await connection.request<ChannelsStatus>(
        "channels.status",
        { probe: options.probe ?? false, timeoutMs },
        timeoutMs,
      );
      if (options.json) {
        printJson(status);
        return 0;
      }
      printLine("Gateway reachable.");
      if (status.channelOrder.length === 0) printLine("- no configured chat channels");
      for (const id of status.channelOrder) {
        const channel = status.channels[id] ?? {};
        const state = channel.probe ? (channel.probe.ok ? "probe ok" : `probe failed: ${channel.probe.error}`) : "";
        printLine(
          `- ${status.channelLabels[id] ?? id}: ${channel.running ? "running" : "stopped"}${state ? `, ${state}` : ""}`,
        );
      }
      return 0;
    } finally {
      connection.close();
    }
  } catch (error) {
    if (!(error instanceof GatewayTransportError)) {
      return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Channel status" });
    }
    if (options.json) {
      printJson({ ok: false, reachable: false, error: error.message, configPath: target.configPath, channels: {} });
      return 0;
    }
    printLine("Gateway not reachable; showing config-only status.");
    printLine(`Config: ${target.configPath}`);
    printLine("- no configured chat channels");
    return 0;
  }
}
