// An agent's provider retry settings, where the reference keeps them: `<agentDir>/settings.json`, its embedded
// agent's global settings file, `retry.provider.maxRetries` and `retry.provider.maxRetryDelayMs`. Read at each run,
// as the reference reads the file for each run it prepares.
import { DEFAULT_MAX_RETRY_DELAY_MS, type ProviderRetrySettings } from "./transient_retry.ts";

/** A non-negative number, or undefined. */
function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The settings in a settings file's text; the defaults for what it does not set (or for text that is not JSON). */
export function providerRetrySettings(text: string | undefined): ProviderRetrySettings {
  let provider: Record<string, unknown> | undefined;
  try {
    const parsed = text === undefined ? undefined : JSON.parse(text) as { retry?: { provider?: unknown } } | null;
    const found = parsed?.retry?.provider;
    provider = found !== null && typeof found === "object" ? found as Record<string, unknown> : undefined;
  } catch {
    // The reference ignores a settings file it cannot parse (and reports it elsewhere): the defaults apply.
  }
  return {
    maxRetries: count(provider?.maxRetries),
    maxRetryDelayMs: count(provider?.maxRetryDelayMs) ?? DEFAULT_MAX_RETRY_DELAY_MS,
  };
}

/** Reads `<agentDir>/settings.json`'s provider retry settings; the defaults when the file is absent or unreadable. */
export async function readProviderRetrySettings(agentDir: string): Promise<ProviderRetrySettings> {
  const text = await Deno.readTextFile(`${agentDir}/settings.json`).catch(() => undefined);
  return providerRetrySettings(text);
}
