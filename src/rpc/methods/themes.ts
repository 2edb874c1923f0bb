// `themes.list`: the theme catalog lives with the reference's plugins and user profiles, neither of
// which this gateway has. The Control UI keeps its built-in themes when the list is unavailable (it
// shows the reason and does not retry), so the method answers that, never `unknown method`.
import { RpcError } from "../errors.ts";
import { type MethodTable } from "../registry.ts";

/** `themes.list`. */
export function themesMethods(): MethodTable {
  return {
    "themes.list": {
      scope: "operator.read",
      handler: () => {
        throw new RpcError(
          "UNAVAILABLE",
          "Themes are not available on this gateway: the Control UI's built-in themes apply.",
        );
      },
    },
  };
}
