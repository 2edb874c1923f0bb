import { messageOf } from "../../log/error_text.ts";
import { connectGateway, type GatewayConnection, GatewayRequestError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";

/** The scopes a call asks for first: least privilege, enough for every read method. */
export const FIRST_SCOPES: readonly string[] = ["operator.read"];

/** The scopes a `missing scope` refusal names (`details.requiredScopes`), or undefined for any other error. */
export function requiredScopesOf(error: unknown): string[] | undefined {
  if (!(error instanceof GatewayRequestError) || error.code !== "FORBIDDEN") return undefined;
  const required = error.detail("requiredScopes");
  if (error.detail("code") !== "MISSING_SCOPE" || !Array.isArray(required)) return undefined;
  const scopes = required.filter((scope): scope is string => typeof scope === "string");
  return scopes.length > 0 ? scopes : undefined;
}

/**
 * One RPC with the scope the method needs. Which scope that is, is the server's table
 * (`rpc/`, out of the CLI's reach, and the reference's differs): the call asks for read first and,
 * refused with `missing scope`, asks once more with the scopes the refusal names. The scope check
 * precedes params and handler on both gateways, so the refused attempt did nothing.
 */
export async function callWithScopes<T = unknown>(
  connect: (scopes: string[]) => Promise<GatewayConnection>,
  request: { method: string; params: unknown; timeoutMs: number },
): Promise<T> {
  const attempt = async (scopes: string[]) => {
    const connection = await connect(scopes);
    try {
      return await connection.request<T>(request.method, request.params, request.timeoutMs);
    } finally {
      connection.close();
    }
  };
  try {
    return await attempt([...FIRST_SCOPES]);
  } catch (error) {
    const required = requiredScopesOf(error);
    if (!required || required.every((scope) => FIRST_SCOPES.includes(scope))) throw error;
    return await attempt(required);
  }
}

/** `openclaw gateway call <method> --params <json>`: one RPC, the payload printed as JSON. */
export async function gatewayCall(method: string, options: RpcOptions & { params?: string }): Promise<number> {
  let params: unknown;
  try {
    params = JSON.parse(options.params ?? "{}");
  } catch (error) {
    printError(`Invalid --params: ${messageOf(error)}. Pass a JSON object, for example --params '{"limit":3}'`);
    return 1;
  }
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 10_000);
  try {
    const payload = await callWithScopes((scopes) => connectGateway(target, { scopes, timeoutMs }), {
      method,
      params,
      timeoutMs,
    });
    if (!options.json) printLine(`Gateway call: ${method}`);
    printJson(payload);
    return 0;
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
