import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

// Least privilege: the scope each call asks for is the one the method needs.
const ADMIN_METHODS = /^(config\.(set|patch|apply)|system-event|channels\.pairing\.[a-z]+)$/;
const WRITE_METHODS = /^(wake|send)$/;

/** The scopes `gateway call` requests for a method. */
export function scopesFor(method: string): string[] {
  if (ADMIN_METHODS.test(method)) return ["operator.admin"];
  if (WRITE_METHODS.test(method)) return ["operator.write"];
  return ["operator.read"];
}

/** `openclaw gateway call <method> --params <json>`: one RPC, the payload printed as JSON. */
export async function gatewayCall(method: string, options: RpcOptions & { params?: string }): Promise<number> {
  let params: unknown;
  try {
    params = JSON.parse(options.params ?? "{}");
  } catch (error) {
    printError(`Invalid --params: ${(error as Error).message}. Pass a JSON object, for example --params '{"limit":3}'`);
    return 1;
  }
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  try {
    const connection = await connectGateway(target, { scopes: scopesFor(method), timeoutMs });
    try {
      const payload = await connection.request(method, params, timeoutMs);
      if (!options.json) printLine(`Gateway call: ${method}`);
      printJson(payload);
      return 0;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Gateway call" });
  }
}

/** `openclaw gateway health`: the health RPC, summarised. */
export async function gatewayHealth(options: RpcOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  try {
    const started = performance.now();
    const connection = await connectGateway(target, { clientId: "gateway-client", mode: "backend", timeoutMs });
    try {
      const health = await connection.request<{ ok: boolean }>("health", {}, timeoutMs);
      if (options.json) {
        printJson(health);
      } else {
        printLine("Gateway Health");
        printLine(`${health.ok ? "OK" : "DEGRADED"} (${Math.round(performance.now() - started)}ms)`);
      }
      return health.ok ? 0 : 1;
    } finally {
      connection.close();
    }
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Gateway health" });
  }
}
