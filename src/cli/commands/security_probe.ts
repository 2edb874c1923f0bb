// `security audit --deep`: the reference's live probe of the local gateway (connect, then
// `health`), reported as the report's `deep.gateway` object.
import { connectGateway, GatewayTransportError } from "../../client/rpc_client.ts";
import { resolveTarget } from "../../client/target.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import { messageOf } from "../../log/error_text.ts";
import type { GlobalOptions } from "../main.ts";

/** The report's `deep` object, in the reference's shape. */
export interface DeepReport {
  gateway: {
    attempted: true;
    url: string;
    ok: boolean;
    error: string | null;
    close: { code: number; reason: string } | null;
  };
}

/** Probes the gateway the config names, with `--token`/`--password` when given (5 s, as the reference). */
export async function probeGateway(
  options: GlobalOptions & { token?: string; password?: string },
  env: EnvSnapshot,
): Promise<{ deep: DeepReport }> {
  const target = await resolveTarget(
    { token: options.token, password: options.password, profile: options.profile, dev: options.dev },
    env,
  );
  const timeoutMs = 5000;
  try {
    const connection = await connectGateway(target, { clientId: "cli", mode: "probe", timeoutMs });
    try {
      await connection.request("health", {}, timeoutMs);
    } finally {
      connection.close();
    }
    return { deep: { gateway: { attempted: true, url: target.url, ok: true, error: null, close: null } } };
  } catch (error) {
    const transport = error instanceof GatewayTransportError;
    return {
      deep: {
        gateway: {
          attempted: true,
          url: target.url,
          ok: false,
          error: transport ? error.reason : messageOf(error),
          close: transport && error.kind === "unreachable" ? { code: 1006, reason: "" } : null,
        },
      },
    };
  }
}
