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

/** Why the reference refuses a chat turn with its assistant when it has no verified inference route. */
const NO_INFERENCE = "OpenClaw requires working inference: OpenClaw could not verify a usable inference route. " +
  "Check model setup and try again.";

/** The reference's refusals of contradictory chat inputs, checked before anything runs. */
function chatInputError(params: Record<string, unknown>): string | undefined {
  const has = (key: string) => params[key] !== undefined;
  if (has("message") && has("wizardAnswer")) return "Send either message or wizardAnswer, not both.";
  if (has("wizardAnswer") && has("delegation")) {
    return "Delegated OpenClaw sessions cannot submit structured wizard answers.";
  }
  if (has("wizardAnswer") && params.reset === true) return "A wizard answer cannot reset its OpenClaw chat session.";
  if (has("wizardCancel") && (has("message") || has("wizardAnswer"))) {
    return "Send wizardCancel without a message or wizardAnswer.";
  }
  if (has("wizardCancel") && has("delegation")) return "Delegated OpenClaw sessions cannot cancel hosted wizards.";
  if (has("wizardCancel") && params.reset === true) return "A wizard cancel cannot reset its OpenClaw chat session.";
  return undefined;
}

/** `openclaw.setup.detect`, `openclaw.chat`. */
export function systemAgentMethods(deps: SystemAgentDeps): MethodTable {
  return {
    "openclaw.setup.detect": validated("operator.admin", "validateSystemAgentSetupDetectParams", ({ params }) => {
      const agent = deps.agent(params.agentId);
      if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      return setupDetectPayload(agent);
    }),
    // This gateway has no built-in assistant to talk to: every turn is refused as the reference
    // refuses one without a usable inference route, so the page shows its "set up a model" state.
    "openclaw.chat": validated("operator.admin", "validateSystemAgentChatParams", ({ params }) => {
      const inputError = chatInputError(params as Record<string, unknown>);
      if (inputError) throw new RpcError("INVALID_REQUEST", inputError);
      throw new RpcError("UNAVAILABLE", NO_INFERENCE, { details: { code: "system_agent_inference_unavailable" } });
    }),
  };
}
