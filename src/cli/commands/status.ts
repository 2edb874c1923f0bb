import { isJsonObject } from "../../log/json_object.ts";
import { messageOf } from "../../log/error_text.ts";
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { inspectService } from "../../service/runtime.ts";
import { VERSION } from "../../version.ts";
import { authFailureHints, isAuthFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** One model cooldown as the status overview shows it: `fake/m1 rate_limit (28s left)`. */
function cooldownText(c: Record<string, unknown>): string {
  const seconds = Math.ceil(Number(c.remainingMs ?? 0) / 1000);
  return `${c.provider}/${c.model} ${c.reason} (${seconds}s left)`;
}

/** The Heartbeat row as the reference words it: each agent's interval, or why it does not run or deliver. */
function heartbeatValue(agents: Record<string, unknown>[]): string {
  const parts = agents.map((agent) => {
    if (agent.enabled !== true || !agent.everyMs) return `disabled (${agent.agentId})`;
    if (agent.waitingForRoute === true) {
      return `${agent.every} (${agent.agentId}; waiting for delivery route — set commands.ownerAllowFrom=["telegram:123456789"] ` +
        `or channel allowFrom; explicit delivery: heartbeat.target="telegram" with heartbeat.to="123456789")`;
    }
    return `${agent.every} (${agent.agentId})`;
  });
  return parts.length > 0 ? parts.join(", ") : "disabled";
}

/**
 * `openclaw status`: one overview of this host's gateway: where it is, whether it answers, its
 * service, config, heartbeat and model cooldowns. Always exits 0; an unreachable gateway is a row, not an error.
 */
export async function status(options: RpcOptions & { deep?: boolean }): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  const service = await inspectService({ profile: target.profile });
  let gateway: Record<string, unknown>;
  let remote: Record<string, unknown> | undefined;
  // It answered and refused the credentials: the port is fine, the token is not (not in the JSON shape).
  let unauthorized = false;
  try {
    const connection = await connectGateway(target, {
      clientId: "gateway-client",
      mode: "backend",
      displayName: "gateway:status",
      timeoutMs,
    });
    try {
      remote = await connection.request<Record<string, unknown>>(
        "status",
        { includeChannelSummary: false, includeCliProjection: true },
        timeoutMs,
      );
      if (options.deep) remote.lastHeartbeat = await connection.request("last-heartbeat", {}, timeoutMs);
      gateway = {
        url: target.url,
        urlSource: target.urlSource,
        reachable: true,
        connectLatencyMs: connection.connectLatencyMs,
        version: connection.hello.server.version,
        error: null,
      };
    } finally {
      connection.close();
    }
  } catch (error) {
    unauthorized = isAuthFailure(error);
    gateway = {
      url: target.url,
      urlSource: target.urlSource,
      reachable: false,
      connectLatencyMs: null,
      error: messageOf(error),
    };
  }
  if (options.json) {
    printJson({
      ...(remote ?? {}),
      gateway,
      gatewayService: { manager: service.manager, unit: service.unit, loaded: service.loaded, status: service.status },
      config: { path: target.configPath, exists: target.configExists, valid: target.configError === undefined },
      cli: { version: VERSION },
    });
    return 0;
  }
  const rows: [string, string][] = [
    ["OS", `${Deno.build.os} ${Deno.build.arch} · deno ${Deno.version.deno}`],
    [
      "Config",
      `${target.configPath}${target.configExists ? "" : " (missing)"}${target.configError ? " (invalid)" : ""}`,
    ],
    ["Dashboard", `http://127.0.0.1:${target.port}${target.controlUiBasePath}/`],
    [
      "Gateway",
      gateway.reachable
        ? `local · ${target.url} (${target.urlSource}) · reachable ${gateway.connectLatencyMs}ms · ${gateway.version}`
        : unauthorized
        ? `local · ${target.url} (${target.urlSource}) · unauthorized (${gateway.error})`
        : `local · ${target.url} (${target.urlSource}) · unreachable (${gateway.error})`,
    ],
    [
      "Gateway service",
      service.manager === "none" ? "no supported service manager detected" : `${service.unit} · ${service.detail}`,
    ],
  ];
  const heartbeat = isJsonObject(remote?.heartbeat) ? remote.heartbeat.agents : undefined;
  if (remote) {
    rows.push(["Heartbeat", heartbeatValue(Array.isArray(heartbeat) ? heartbeat.filter(isJsonObject) : [])]);
    const cooldowns = isJsonObject(remote.modelRuntime) ? remote.modelRuntime.cooldowns : undefined;
    // Models a run failed over from, skipped by later runs until their cooldown ends.
    if (Array.isArray(cooldowns) && cooldowns.length > 0) {
      rows.push(["Model cooldowns", cooldowns.filter(isJsonObject).map(cooldownText).join(", ")]);
    }
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  printLine("OpenClaw status");
  printLine("");
  for (const [key, value] of rows) printLine(`${key.padEnd(width)}  ${value}`);
  printLine("");
  if (unauthorized) { for (const line of authFailureHints(target)) printLine(line); }
  else if (!gateway.reachable) printLine("Fix reachability first: openclaw gateway probe");
  printLine("Need to debug live? openclaw logs --follow");
  return 0;
}
