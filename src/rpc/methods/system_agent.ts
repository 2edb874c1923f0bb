// `openclaw.setup.detect`: the Control UI asks on load whether the gateway's own assistant has a
// model to run on. This gateway has no system agent or provider sign-in flows; the only candidate is
// the model the default agent is configured with, and setup is complete once there is one.
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `openclaw.setup.detect`. */
export interface SystemAgentDeps {
  /** The agent asked about (the default one when undefined): its workspace and model, or undefined when unknown. */
  agent(agentId: string | undefined): { workspace: string; model: string | undefined } | undefined;
}

/** The `openclaw.setup.detect` payload for an agent's workspace and model. */
export function setupDetectPayload(agent: { workspace: string; model: string | undefined }) {
  // In the reference's key order; the lists of sign-in flows and installs this gateway lacks are empty.
  return {
    manualProviders: [],
    authOptions: [],
    prepareOptions: [],
    nativeSessionCatalogs: [],
    nativeSessionCatalogPreferenceRequired: false,
    workspace: agent.workspace,
    setupComplete: agent.model !== undefined,
    candidates: agent.model
      ? [{
        kind: "existing-model",
        label: agent.model,
        detail: "Configured default model",
        modelRef: agent.model,
        recommended: true,
      }]
      : [],
    unavailableCandidates: [],
    recommendedInstalls: [],
  };
}

/** `openclaw.setup.detect`. */
export function systemAgentMethods(deps: SystemAgentDeps): MethodTable {
  return {
    "openclaw.setup.detect": validated("operator.admin", "validateSystemAgentSetupDetectParams", ({ params }) => {
      const agent = deps.agent(params.agentId);
      if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      return setupDetectPayload(agent);
    }),
  };
}
