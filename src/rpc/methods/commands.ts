// `commands.list`: the slash commands a chat accepts, those the gateway answers itself
// (agent/chat_commands.ts); an unknown agent is refused as the reference refuses it.
import { commandsListResult } from "../../agent/chat_commands.ts";
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
      return commandsListResult({ scope: params.scope, includeArgs: params.includeArgs });
    }),
  };
}
