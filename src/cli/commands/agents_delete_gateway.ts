// `openclaw agents delete` beside a running gateway, as the reference's CLI does it: the gateway deletes the
// agent (`agents.delete`: the config, its cron jobs, its files) so its scheduler, sessions and reload see it
// happen, and the CLI prints what it answered. Only a gateway that cannot be reached (nothing listening) sends
// the CLI back to deleting on its own; a gateway that answers with an error is that command's failure.
import { connectGateway, GatewayRequestError, GatewayTransportError } from "../../client/rpc_client.ts";
import type { ClientTarget } from "../../client/rpc_client.ts";
import { AgentsFailure } from "./agents_common.ts";

/** What `agents.delete` answers. */
export interface GatewayDeleteAnswer {
  removedBindings: number;
  removed?: { path: string; method: string }[];
  failed?: { path: string; reason: string }[];
  purgeFailed?: boolean;
}

/** How asking the gateway went: it deleted the agent, nothing listens, or it wants credentials the CLI has not. */
export type GatewayDeleteOutcome =
  | { kind: "deleted"; answer: GatewayDeleteAnswer }
  | { kind: "unreachable" }
  | { kind: "credentials-required" };

/**
 * Asks the gateway at `target` to delete the agent. Only "nothing listens" and "no credentials to offer" send
 * the caller back to deleting offline; a gateway that refuses (or lacks `agents.delete`) fails the command.
 */
export async function deleteThroughGateway(
  target: ClientTarget,
  agentId: string,
  options: { authOff: boolean },
): Promise<GatewayDeleteOutcome> {
  const anonymous = target.token === undefined && target.password === undefined;
  // As the reference's CLI: with nothing to authenticate with it does not try, unless the gateway wants nothing.
  if (anonymous && !options.authOff) return { kind: "credentials-required" };
  let connection;
  try {
    connection = await connectGateway(target, { clientId: "cli", mode: "cli", scopes: ["operator.admin"] });
  } catch (error) {
    if (error instanceof GatewayTransportError && error.kind === "unreachable") return { kind: "unreachable" };
    if (anonymous && error instanceof GatewayRequestError) return { kind: "credentials-required" };
    if (error instanceof GatewayTransportError || error instanceof GatewayRequestError) {
      throw new AgentsFailure(error.message);
    }
    throw error;
  }
  try {
    if (!connection.hello.features.methods.includes("agents.delete")) {
      throw new AgentsFailure(
        'active gateway does not support required method "agents.delete" for "agents.delete". Update or restart the active gateway and try again.',
      );
    }
    const answer = await connection.request<GatewayDeleteAnswer>("agents.delete", { agentId, deleteFiles: true });
    return { kind: "deleted", answer };
  } catch (error) {
    if (error instanceof GatewayRequestError || error instanceof GatewayTransportError) {
      throw new AgentsFailure(error.message);
    }
    throw error;
  } finally {
    connection.close();
  }
}
