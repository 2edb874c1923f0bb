// `webSearch.status`: the Search settings page. This gateway's agents have no web search tool and no
// search provider plugins, so it answers as the reference does when the agent's tool policy leaves
// search out: no providers, route `disabled`, with the agent and model the page asked about.
import { REFERENCE_DEFAULT_MODEL } from "../../config/model_selection.ts";
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";

const KEYS = new Set(["agentId", "modelProvider", "modelId"]);

/**
 * The reference's default model, which it names when an agent has none configured (its Search page
 * always shows a model); used only then.
 */

/** The 2026.9.6 params (optional `agentId`, `modelProvider`, `modelId`: 1-512 characters, not blank). */
function statusParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  for (const key of KEYS) {
    const value = params[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value.length === 0 || value.length > 512 || !/\S/.test(value)) {
      return `at /${key}: must be a non-blank string of at most 512 characters`;
    }
  }
  const extra = Object.keys(params).find((key) => !KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** Dependencies of `webSearch.status`. */
export interface WebSearchDeps {
  /** The agent asked about (the default one when undefined) and its model, or undefined when unknown. */
  agent(
    agentId: string | undefined,
  ): { id: string; model: { provider: string; model: string } | undefined } | undefined;
}

/** `webSearch.status`. */
export function webSearchMethods(deps: WebSearchDeps): MethodTable {
  return {
    "webSearch.status": {
      scope: "operator.read",
      check: statusParams,
      handler: ({ params }) => {
        const request = params as { agentId?: string; modelProvider?: string; modelId?: string };
        if (Boolean(request.modelProvider) !== Boolean(request.modelId)) {
          throw new RpcError("INVALID_REQUEST", "modelProvider and modelId must be supplied together.");
        }
        const agent = deps.agent(request.agentId?.trim());
        if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${request.agentId}"`);
        const model = agent.model ?? REFERENCE_DEFAULT_MODEL;
        return {
          enabled: true,
          provider: null,
          agentId: agent.id,
          model: {
            provider: request.modelProvider?.trim() || model.provider,
            id: request.modelId?.trim() || model.model,
            runtime: "unknown",
            runtimeLabel: "Not resolved",
          },
          providers: [],
          route: {
            kind: "disabled",
            label: "Search disabled",
            testable: false,
            reason: "The agent's tool policy does not allow web search.",
          },
        };
      },
    },
  };
}
