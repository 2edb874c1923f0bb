// `openclaw system event|heartbeat last|enable|disable|presence`: the reference's system tools, each
// one RPC (`wake`, `last-heartbeat`, `set-heartbeats`, `system-presence`) with its output: the
// payload as JSON, or `ok` for an event without `--json`.
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printError, printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";
import { callWithScopes } from "./gateway_call.ts";

/** One RPC; the payload is printed as JSON, or `successText` when given and `--json` is not. */
async function systemCall(
  options: RpcOptions,
  request: { method: string; params: unknown; successText?: string },
): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  const machine = options.json === true || request.successText === undefined;
  try {
    const payload = await callWithScopes((scopes) => connectGateway(target, { scopes, timeoutMs }), {
      method: request.method,
      params: request.params,
      timeoutMs,
    });
    if (machine) printJson(payload);
    else printLine(request.successText!);
    return 0;
  } catch (error) {
    return reportGatewayFailure(error, target, { json: machine, action: "System" });
  }
}

/** `openclaw system event --text <text> [--mode now|next-heartbeat] [--session-key <key>]`. */
export function systemEvent(
  options: RpcOptions & { text?: string; mode?: string; sessionKey?: string },
): Promise<number> {
  const fail = (message: string) => {
    if (options.json) printJson({ ok: false, error: message });
    else printError(message);
    return Promise.resolve(1);
  };
  const text = options.text?.trim() ?? "";
  if (!text) return fail('--text is required. Example: openclaw system event --text "deploy finished".');
  const mode = options.mode?.trim() || "next-heartbeat";
  if (mode !== "now" && mode !== "next-heartbeat") return fail("--mode must be now or next-heartbeat");
  const sessionKey = options.sessionKey?.trim();
  return systemCall(options, {
    method: "wake",
    params: sessionKey ? { mode, text, sessionKey } : { mode, text },
    successText: "ok",
  });
}

/** `openclaw system heartbeat last`: the last heartbeat event, or null. */
export function systemHeartbeatLast(options: RpcOptions): Promise<number> {
  return systemCall(options, { method: "last-heartbeat", params: undefined });
}

/** `openclaw system heartbeat enable|disable`. */
export function systemHeartbeatSwitch(enabled: boolean, options: RpcOptions): Promise<number> {
  return systemCall(options, { method: "set-heartbeats", params: { enabled } });
}

/** `openclaw system presence`. */
export function systemPresence(options: RpcOptions): Promise<number> {
  return systemCall(options, { method: "system-presence", params: undefined });
}
