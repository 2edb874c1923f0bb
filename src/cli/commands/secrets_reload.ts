// `openclaw secrets reload`: asks the running gateway to resolve its SecretRefs again (after a CLI write to
// the team store, which the gateway does not watch) and prints the reference's answer: `Secrets reloaded.`,
// or with `--json` the `{ok, warningCount}` payload.
import { connectGateway } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import { reportGatewayFailure } from "../gateway_failure.ts";
import { printJson, printLine } from "../output.ts";
import { type RpcOptions, targetFlags, timeoutOf } from "../rpc_options.ts";
import { callWithScopes } from "./gateway_call.ts";

/** `openclaw secrets reload [--json] [--url --token --password --port --timeout]`. */
export async function secretsReload(options: RpcOptions): Promise<number> {
  const target = await resolveTarget(targetFlags(options), Deno.env.toObject());
  const timeoutMs = timeoutOf(options, 30_000);
  try {
    const payload = await callWithScopes<{ ok: boolean; warningCount?: number }>(
      (scopes) => connectGateway(target, { scopes, timeoutMs }),
      { method: "secrets.reload", params: {}, timeoutMs },
    );
    if (options.json) printJson(payload);
    else printLine("Secrets reloaded.");
    return 0;
  } catch (error) {
    return reportGatewayFailure(error, target, { json: options.json ?? false, action: "Secrets reload" });
  }
}
