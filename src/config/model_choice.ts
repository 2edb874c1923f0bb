// What a session may be switched to, in the reference's words (OpenClaw 2026.9.6, recorded in
// tests/fixtures/model_policy/): a model text resolved and checked against an agent's policy
// (model_policy.ts) and the declared providers, and the refusals sessions.patch, `/model`, runs
// and cron jobs answer with. Pure.
import {
  bareOwner,
  modelKey,
  type ModelPolicy,
  policyAllows,
  type PolicyRef,
  resolveModelText,
} from "./model_policy.ts";

/**
 * Resolves a model a client asks for (sessions.patch `model`) and checks it against the policy,
 * with the reference's words: `invalid model: empty`, `invalid model: <text>`, `model not allowed: <key>`.
 */
export function resolveAllowedModel(
  policy: ModelPolicy,
  raw: string,
  defaultProvider: string,
): { ref: PolicyRef; key: string } | { error: string } {
  const text = raw.trim();
  if (!text) return { error: "invalid model: empty" };
  const provider = text.includes("/") ? defaultProvider : bareOwner(policy.bareScopes, text) ?? defaultProvider;
  const resolved = resolveModelText(text, { aliases: policy.aliases, defaultProvider: provider });
  if (!resolved) return { error: `invalid model: ${text}` };
  const key = modelKey(resolved.ref);
  return policyAllows(policy, resolved.ref) ? { ref: resolved.ref, key } : { error: `model not allowed: ${key}` };
}

/** The refusal `/model` answers with when the policy forbids a model (the reference's three lines). */
export function notAllowedReply(key: string, repairPath: string): string {
  return [
    `Model "${key}" is not allowed. Use /models to list providers, or /models <provider> to list models.`,
    `Add "${key}" or its provider wildcard to ${repairPath}.`,
    `Then retry: /model ${key}`,
  ].join("\n");
}

/** The refusal for a provider no config names (the reference's words, in sessions.patch and `/model`). */
export function unknownProviderMessage(provider: string): string {
  return `Unknown provider "${provider}". Use /models to list providers.`;
}

/**
 * The model a session may be switched to (sessions.patch, sessions.create): resolved and allowed by
 * the policy, then on a provider the config declares (the reference runs the policy check first).
 */
export function sessionModelChoice(
  policy: ModelPolicy,
  raw: string,
  context: { defaultProvider: string; providers: ReadonlySet<string> },
): { ref: PolicyRef } | { error: string } {
  const allowed = resolveAllowedModel(policy, raw, context.defaultProvider);
  if ("error" in allowed) return allowed;
  const provider = configuredProvider(context.providers, allowed.ref.provider);
  return provider !== undefined
    ? { ref: { provider, model: allowed.ref.model } }
    : { error: unknownProviderMessage(allowed.ref.provider) };
}

/** The configured provider id `provider` names (compared case-insensitively), as written; else undefined. */
export function configuredProvider(providers: Iterable<string>, provider: string): string | undefined {
  const wanted = provider.toLowerCase();
  return [...providers].find((p) => p.toLowerCase() === wanted);
}

/** The refusal of a model a run request names that the agent's policy forbids (the reference's words). */
export function overrideNotAllowedMessage(ref: PolicyRef, agentId: string, policy: ModelPolicy): string {
  const key = `${ref.provider}/${ref.model}`;
  return `Model override "${key}" is not allowed for agent "${agentId}" by ${
    policy.configPath ?? "modelPolicy.allow"
  }. ` +
    `Add "${key}" or "${ref.provider}/*" to ${policy.repairPath}, or remove/empty the list to allow any model.`;
}
