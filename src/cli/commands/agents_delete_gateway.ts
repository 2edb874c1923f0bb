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

/**
 * Asks the gateway at `target` to delete the agent; undefined when nothing listens there (the caller then
 * deletes offline). A gateway that does not offer `agents.delete` is refused in the reference's words.
 */
export async function deleteThroughGateway(
  target: ClientTarget,
  agentId: string,
): Promise<GatewayDeleteAnswer | undefined> {
  let connection;
  try {
    connection = await connectGateway(target, { clientId: "cli", mode: "cli", scopes: ["operator.admin"] });
  } catch (error) {
    if (error instanceof GatewayTransportError && error.kind === "unreachable") return undefined;
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
    return await connection.request<GatewayDeleteAnswer>("agents.delete", { agentId, deleteFiles: true });
  } catch (error) {
    if (error instanceof GatewayRequestError || error instanceof GatewayTransportError) {
      throw new AgentsFailure(error.message);
    }
    throw error;
  } finally {
    connection.close();
  }
}
