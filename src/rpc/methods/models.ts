import type { ModelEntry } from "../../config/resolve.ts";
import type { MethodTable } from "../registry.ts";

/** One entry of `models.list` (resolved from `models.providers.<id>.models[]` by config/). */
export type { ModelEntry };

/** Dependencies of `models.list`. */
export interface ModelsDeps {
  /** The models of the resolved config in force. */
  models(): readonly ModelEntry[];
}

/** `models.list`: what the running config makes available. */
export function modelsMethods(deps: ModelsDeps): MethodTable {
  return {
    "models.list": {
      scope: "operator.read",
      validator: "validateModelsListParams",
      handler: () => ({ models: deps.models() }),
    },
  };
}
