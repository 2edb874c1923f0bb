// Which `models.providers.<id>.api` values this gateway can run, and the model references a
// config makes, checked without running anything. The reference accepts more `api` values at load
// (and skips providers it cannot use), so the config schema does not reject them: `doctor` says
// which ones this gateway cannot run, and runs name them when they fail.

import { isJsonObject } from "../log/json_object.ts";

/** Wire APIs spoken through the OpenAI-compatible chat completions client. */
export const OPENAI_COMPATIBLE_APIS: ReadonlySet<string> = new Set([
  "openai-completions",
  "openai-compat",
  "openai",
  "ollama",
]);

/** Wire APIs spoken through Anthropic's Messages client. */
export const ANTHROPIC_MESSAGES_APIS: ReadonlySet<string> = new Set(["anthropic-messages", "anthropic"]);

/** The `api` a provider gets when it names none (as the reference defaults a custom provider). */
export const DEFAULT_MODEL_API = "openai-completions";

/** Whether this gateway can run a provider declared with this `api`. */
export function isRunnableModelApi(api: string): boolean {
  return OPENAI_COMPATIBLE_APIS.has(api) || ANTHROPIC_MESSAGES_APIS.has(api);
}

/** A model reference that names no provider (`"m1"`), resolved as the reference resolves it. */
export type BareModelResolution =
  | { kind: "resolved"; provider: string }
  | { kind: "unknown" }
  | { kind: "ambiguous"; providers: string[] };

/**
 * Resolves a bare model id against the declared providers: the one provider that lists it, as the
 * reference's unique configured-provider match does. `declared` maps provider id to its model ids.
 */
export function resolveBareModel(model: string, declared: ReadonlyMap<string, readonly string[]>): BareModelResolution {
  const providers = [...declared].filter(([, models]) => models.includes(model)).map(([id]) => id);
  if (providers.length === 1) return { kind: "resolved", provider: providers[0]! };
  return providers.length === 0 ? { kind: "unknown" } : { kind: "ambiguous", providers };
}

/** The message for a bare model id that cannot be run, naming the missing provider and the fix. */
export function bareModelMessage(model: string, where: string, resolution: BareModelResolution): string {
  const why = resolution.kind === "ambiguous"
    ? `several providers list it (${resolution.providers.join(", ")})`
    : "no provider under models.providers lists it";
  return `Model "${model}" (${where}) names no provider and ${why}. Write it as "<provider>/${model}" ` +
    `with the provider declared under models.providers.<provider>`;
}

/** One `api` or model reference problem in a config, for `doctor`. */
export interface ModelConfigProblem {
  path: string;
  message: string;
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function modelText(value: unknown): string | undefined {
  const text = typeof value === "string" ? value : record(value).primary;
  return typeof text === "string" && text !== "" ? text : undefined;
}

/**
 * Problems a run would hit, found without running: providers whose `api` this gateway cannot
 * speak, and agent models that name no provider or an undeclared one.
 */
export function modelConfigProblems(config: Record<string, unknown>): ModelConfigProblem[] {
  const problems: ModelConfigProblem[] = [];
  const declared = new Map<string, string[]>();
  for (const [id, value] of Object.entries(record(record(config.models).providers))) {
    const spec = record(value);
    const api = typeof spec.api === "string" ? spec.api : DEFAULT_MODEL_API;
    const models = Array.isArray(spec.models)
      ? spec.models.map((m) => typeof m === "string" ? m : String(record(m).id ?? "")).filter(Boolean)
      : [];
    declared.set(id, models);
    if (!isRunnableModelApi(api)) {
      problems.push({
        path: `models.providers.${id}.api`,
        message: `Provider ${id} uses api "${api}", which this gateway cannot run; use "openai-completions" ` +
          `(OpenAI-compatible) or "anthropic-messages"`,
      });
    }
  }
  const agents = record(config.agents);
  const refs: [string, unknown][] = [["agents.defaults.model", record(agents.defaults).model]];
  for (const [id, entry] of Object.entries(record(agents.entries))) {
    refs.push([`agents.entries.${id}.model`, record(entry).model]);
  }
  if (Array.isArray(agents.list)) {
    agents.list.forEach((entry, i) => refs.push([`agents.list.${i}.model`, record(entry).model]));
  }
  for (const [path, value] of refs) {
    const text = modelText(value);
    if (text === undefined) continue;
    const slash = text.indexOf("/");
    if (slash === -1) {
      const resolution = resolveBareModel(text, declared);
      if (resolution.kind !== "resolved") problems.push({ path, message: bareModelMessage(text, path, resolution) });
    } else if (!declared.has(text.slice(0, slash))) {
      const provider = text.slice(0, slash);
      problems.push({
        path,
        message: `Model "${text}" (${path}) uses provider ${provider}, which is not declared; add ` +
          `models.providers.${provider} with its baseUrl`,
      });
    }
  }
  return problems;
}
