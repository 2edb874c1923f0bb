// The model providers a config makes: those declared under `models.providers.<id>` (`baseUrl`, `apiKey`,
// `api`, `headers`, `timeoutMs`, `models[]`, `auth`) and the built-in ones no entry declares
// (built_in_providers.ts), each resolved once per config.
import { isJsonObject } from "../log/json_object.ts";
import { BUILT_IN_PROVIDERS, builtInProvider } from "./built_in_providers.ts";
import { DEFAULT_MODEL_API } from "./model_apis.ts";
import type { RawConfig } from "./schema.ts";

/** A model provider as `models.providers.<id>` declares it. */
export interface ProviderSpec {
  id: string;
  baseUrl: string;
  apiKey: string | undefined;
  /** Wire API: OpenAI-compatible chat completions (Ollama, vLLM, llama.cpp, LM Studio, OpenAI). */
  api: string;
  headers: Record<string, string>;
  timeoutMs: number;
  models: string[];
  /** `auth` as written: `"api-key"` makes the configured key win over auth profiles and the environment. */
  auth?: string | undefined;
  /** A built-in provider (built_in_providers.ts): a run refuses it without a key rather than send none. */
  builtIn?: boolean | undefined;
}

const DEFAULT_TIMEOUT_MS = 120_000;

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** The declared providers (with a `baseUrl`, or a built-in's id) and the built-in ones no entry declares. */
export function resolveProviders(
  config: RawConfig,
): { providers: Map<string, ProviderSpec>; builtIns: Map<string, ProviderSpec> } {
  const providers = new Map<string, ProviderSpec>();
  const entries = record(record(config.models).providers);
  for (const [id, value] of Object.entries(entries)) {
    const spec = record(value);
    const builtIn = builtInProvider(id);
    const baseUrl = typeof spec.baseUrl === "string" ? spec.baseUrl : builtIn?.baseUrl;
    if (baseUrl === undefined) continue;
    providers.set(id, {
      id,
      baseUrl: baseUrl.replace(/\/+$/, ""),
      apiKey: typeof spec.apiKey === "string" ? spec.apiKey : undefined,
      api: typeof spec.api === "string" ? spec.api : builtIn?.api ?? DEFAULT_MODEL_API,
      headers: Object.fromEntries(
        Object.entries(record(spec.headers)).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
      ),
      timeoutMs: typeof spec.timeoutMs === "number" ? spec.timeoutMs : DEFAULT_TIMEOUT_MS,
      models: Array.isArray(spec.models)
        ? spec.models.map((m) => typeof m === "string" ? m : String(record(m).id ?? "")).filter(Boolean)
        : [],
      ...(typeof spec.auth === "string" ? { auth: spec.auth } : {}),
      ...(builtIn ? { builtIn: true } : {}),
    });
  }
  const builtIns = new Map<string, ProviderSpec>();
  for (const [id, builtIn] of Object.entries(BUILT_IN_PROVIDERS)) {
    if (providers.has(id)) continue;
    const spec = { ...builtIn, apiKey: undefined, headers: {}, timeoutMs: DEFAULT_TIMEOUT_MS, models: [] };
    builtIns.set(id, { id, ...spec, builtIn: true });
  }
  return { providers, builtIns };
}

/** The provider a model reference names: its declared entry, else the built-in one; undefined when neither. */
export function providerSpecOf(
  config: { providers: Map<string, ProviderSpec>; builtIns?: Map<string, ProviderSpec> | undefined },
  id: string,
): ProviderSpec | undefined {
  return config.providers.get(id) ?? config.builtIns?.get(id);
}

/** Every provider id a model reference may name: the declared ones, then the built-ins none declares. */
export function knownProviderIds(
  config: { providers: Map<string, ProviderSpec>; builtIns?: Map<string, ProviderSpec> | undefined },
): string[] {
  return [...config.providers.keys(), ...(config.builtIns?.keys() ?? [])];
}
