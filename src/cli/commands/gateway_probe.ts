import { messageOf } from "../../log/error_text.ts";
import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { capabilityOf } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/**
 * `openclaw gateway probe`: connect to the local (or `--url`) gateway and try the read calls
 * `status` needs. Exit 1 only when nothing answered.
 */
export async function gatewayProbe(options: RpcOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 3000);
  const started = performance.now();
  let connect: Record<string, unknown>;
  let capability = "unknown";
  let server: unknown = null;
  try {
    const connection = await connectGateway(target, { clientId: "cli", mode: "probe", timeoutMs });
    try {
      capability = capabilityOf(connection.hello.auth.scopes);
      server = connection.hello.server;
      let rpcOk = true;
      let rpcError: string | null = null;
      for (const method of ["health", "status", "system-presence"]) {
        try {
          await connection.request(method, {}, timeoutMs);
        } catch (error) {
          rpcOk = false;
          rpcError = messageOf(error);
          break;
        }
      }
      connect = { ok: true, rpcOk, latencyMs: connection.connectLatencyMs, error: rpcError };
    } finally {
      connection.close();
    }
  } catch (error) {
    connect = {
      ok: false,
      rpcOk: false,
      latencyMs: null,
      error: error instanceof GatewayTransportError ? error.reason : messageOf(error),
    };
  }
  const ok = connect.ok === true;
  if (options.json) {
    printJson({
      ok,
      capability: capability.replaceAll("-", "_"),
      ts: Date.now(),
      durationMs: Math.round(performance.now() - started),
      timeoutMs,
      targets: [{ id: target.urlSource === "flag" ? "explicit" : "localLoopback", url: target.url, connect, server }],
    });
    return ok ? 0 : 1;
  }
  printLine("Gateway Status");
  printLine(`Reachable: ${ok ? "yes" : "no"}`);
  printLine(`Capability: ${capability}`);
  printLine(`Probe budget: ${timeoutMs}ms`);
  printLine("");
  printLine("Targets");
  printLine(`${target.urlSource === "flag" ? "Explicit" : "Local loopback"} ${target.url}`);
  printLine(
    ok
      ? `  Connect: ok (${connect.latencyMs}ms) · Capability: ${capability} · Read probe: ${
        connect.rpcOk ? "ok" : `limited - ${connect.error}`
      }`
      : `  Connect: failed - ${connect.error} · Capability: unknown`,
  );
  return ok ? 0 : 1;
}
