// The config places an agent run reads a credential from, as the reference's `agent --local` picks the SecretRefs
// it resolves before the run (its agent-runtime secret targets: model providers, memory search, text to speech,
// skills, the per-agent memory and speech overrides, and web search/fetch). Channels are left out: a local run
// delivers nowhere. A required place that does not resolve stops the command; web search/fetch keys are optional
// there ("needed only if the model invokes the corresponding tool"), so their owner runs as if unset. Pure data.

/** How a place's SecretRef matters to an agent run. */
export type AgentRunSecretNeed = "required" | "optional";

/** The dotted config prefixes whose SecretRefs an agent run resolves, and whether a failure stops it. */
const AGENT_RUN_SECRET_PLACES: readonly { prefix: string; need: AgentRunSecretNeed }[] = [
  { prefix: "models.providers.", need: "required" },
  { prefix: "memory.", need: "required" },
  { prefix: "agents.", need: "required" },
  { prefix: "tts.", need: "required" },
  { prefix: "skills.entries.", need: "required" },
  { prefix: "tools.web.", need: "optional" },
  { prefix: "plugins.entries.", need: "optional" },
];

/** Whether an agent run needs the SecretRef at dotted `path` (undefined: the run does not read it). */
export function agentRunSecretNeed(path: string): AgentRunSecretNeed | undefined {
  return AGENT_RUN_SECRET_PLACES.find((place) => path.startsWith(place.prefix))?.need;
}
