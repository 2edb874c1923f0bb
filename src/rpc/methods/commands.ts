// `commands.list`: the slash commands a chat accepts. This gateway's chat takes no slash commands
// (every message goes to the model), so the catalog is empty; an unknown agent is refused as the
// reference refuses it.
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `commands.list`. */
export interface CommandsDeps {
  agentIds(): string[];
}

/** `commands.list`. */
export function commandsMethods(deps: CommandsDeps): MethodTable {
  return {
    "commands.list": validated("operator.read", "validateCommandsListParams", ({ params }) => {
      const agentId = params.agentId?.trim();
      if (agentId && !deps.agentIds().includes(agentId)) {
        throw new RpcError("INVALID_REQUEST", `unknown agent id "${agentId}"`);
      }
      return { commands: [] };
    }),
  };
}
