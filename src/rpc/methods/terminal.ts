// `terminal.open` / `terminal.resize`: the Control UI's Terminal page. This gateway opens no shells
// for operators, so it answers as the reference does with terminals disabled: open is refused with
// `UNAVAILABLE` "terminal is disabled", a resize reports that nothing was resized.
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** `terminal.open`, `terminal.resize`. */
export function terminalMethods(): MethodTable {
  return {
    "terminal.open": validated("operator.admin", "validateTerminalOpenParams", () => {
      throw new RpcError("UNAVAILABLE", "terminal is disabled");
    }),
    "terminal.resize": validated("operator.admin", "validateTerminalResizeParams", () => ({ ok: false })),
  };
}
