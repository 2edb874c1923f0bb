// The providers a model reference may name without a `models.providers` entry, as the reference's
// bundled provider plugins serve them: their endpoint and wire API. An entry under
// `models.providers.<id>` overrides what it sets (a `baseUrl` alone moves the endpoint: tests and
// proxies), and the key comes from the auth profiles, the environment or the entry
// (provider_credentials.ts).

/** What a built-in provider is when nothing overrides it. */
export interface BuiltInProvider {
  baseUrl: string;
  api: string;
}

/**
 * Anthropic's Messages API (its base URL without `/v1`, as the reference writes it) and OpenAI's
 * API, spoken here as chat completions (the reference speaks OpenAI's Responses API to it).
 */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, BuiltInProvider>> = {
  anthropic: { baseUrl: "https://api.anthropic.com", api: "anthropic-messages" },
  openai: { baseUrl: "https://api.openai.com/v1", api: "openai-completions" },
};

/** The built-in provider of this id, if it is one. */
export function builtInProvider(id: string): BuiltInProvider | undefined {
  return Object.hasOwn(BUILT_IN_PROVIDERS, id) ? BUILT_IN_PROVIDERS[id] : undefined;
}
