import { isJsonObject } from "../log/json_object.ts";
import { mainSessionSettings } from "./client_facts.ts";
import { bareModelMessage, resolveBareModel } from "./model_apis.ts";
import { type ProviderSpec, resolveProviders } from "./resolve_providers.ts";
import {
  type ResolvedExecSettings,
  type ResolvedSandbox,
  resolveExecSettings,
  resolveSandbox,
} from "./resolve_exec.ts";
import { type ResolvedFileTools, resolveFileTools } from "./resolve_file_tools.ts";
import { resolveLoopDetection } from "./resolve_loop_detection.ts";
import { type ResolvedWebFetch, resolveWebFetch } from "./resolve_web_fetch.ts";
import { type ModelPolicy, resolveModelPolicy } from "./model_policy.ts";
import { REFERENCE_DEFAULT_MODEL } from "./model_selection.ts";
import { type CompactionSettings, compactionSettings } from "./compaction_settings.ts";
import type { RawConfig } from "./schema.ts";
import { agentWorkspace } from "./agent_roster.ts";
import { configuredRunTimeoutSeconds } from "./run_timeout.ts";
import {
  type AgentMemorySettings,
  type AgentSkillsSettings,
  resolveAgentMemory,
  resolveAgentSkills,
} from "./resolve_knowledge.ts";

/** A `provider/model` reference. */
export interface ModelRef {
  provider: string;
  model: string;
}

/** An agent the gateway can run. */
export interface AgentSpec {
  id: string;
  isDefault: boolean;
  name: string;
  /** `identity` as configured (name, theme, emoji, avatar: the non-empty strings); absent without one. */
  identity?: AgentIdentityConfig | undefined;
  model: ModelRef | undefined;
  /**
   * The models a run falls back to when `model` fails over (`model.fallbacks`): the agent's own
   * list when its model object has one, the defaults' when it inherits the default model, else none.
   */
  fallbacks: ModelRef[];
  /** Why `model` is undefined although one is configured (a bare id naming no provider); the run says this. */
  modelProblem?: string | undefined;
  /** The embedding model (`memorySearch.provider` + `memorySearch.model`), when configured. */
  embedding: ModelRef | undefined;
  workspace: string;
  /** `bootstrapMaxChars` / `bootstrapTotalMaxChars` (per agent, else `agents.defaults`); unset keys take the defaults. */
  bootstrapLimits?: { maxChars?: number; totalMaxChars?: number } | undefined;
  /** `contextInjection` (per agent, else `agents.defaults`): `"never"` injects no workspace files. */
  contextInjection?: string | undefined;
  /** `verboseDefault` (per agent, else `agents.defaults`): `on`/`full` make clients show tool calls by default. */
  verboseDefault?: string | undefined;
  /** `sandbox` (per agent, else `agents.defaults.sandbox`); absent means off. */
  sandbox?: ResolvedSandbox | undefined;
  /** `tools.exec.*` (per agent `tools.exec`, else the global one); absent means the defaults. */
  exec?: ResolvedExecSettings | undefined;
  /** `tools.fs.workspaceOnly` and `tools.exec.applyPatch.*` (global, overlaid by the agent's own `tools`). */
  fileTools?: ResolvedFileTools | undefined;
  /** `tools.web.fetch.*` (the web_fetch tool). */
  webFetch?: ResolvedWebFetch | undefined;
  /** `tools.loopDetection.enabled` (the agent's own overlaying the global one): runs warn, then block, loops. */
  loopDetection?: boolean | undefined;
  /** `thinkingDefault` (per agent, else `agents.defaults`): the thinking level a run uses when none is chosen. */
  thinkingDefault?: string | undefined;
  /** `agents.defaults.compaction`: automatic compaction and the kept tail. */
  compaction?: CompactionSettings | undefined;
  /** `skills.*` and the agent's skill allowlist (resolve_knowledge.ts); absent in hand-built specs. */
  skills?: AgentSkillsSettings | undefined;
  /** `memory.search` with this agent's overrides (resolve_knowledge.ts); absent in hand-built specs. */
  memory?: AgentMemorySettings | undefined;
  /** Which models a session of this agent may switch to (model_policy.ts); absent in hand-built specs: any. */
  modelPolicy?: ModelPolicy | undefined;
}

export type { ProviderSpec };

/** Agents and providers resolved from one config snapshot. */
export interface AgentsConfig {
  agents: AgentSpec[];
  defaultAgentId: string;
  /** The providers declared under `models.providers` (with a `baseUrl`, or a built-in's id). */
  providers: Map<string, ProviderSpec>;
  /** The built-in providers no entry declares, each with its default endpoint (resolve_providers.ts providerSpecOf looks in both). */
  builtIns?: Map<string, ProviderSpec> | undefined;
  /** `agents.defaults.timeoutSeconds` resolved (0: no deadline); absent: the 48-hour default. */
  runTimeoutSeconds?: number | undefined;
  /** `session.scope: "global"`: the default agent's main session is the one `global` session. */
  globalSession?: boolean | undefined;
}

/** Agent ids as OpenClaw accepts them (`openclaw/<id>`, session keys, transcript folders); the one pattern. */
export const AGENT_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Parses `provider/model` (or `{primary: "provider/model"}`); undefined when absent or malformed. */
export function parseModelRef(value: unknown): ModelRef | undefined {
  const text = typeof value === "string"
    ? value
    : value && typeof value === "object" && "primary" in value
    ? value.primary
    : undefined;
  if (typeof text !== "string") return undefined;
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { provider: text.slice(0, slash), model: text.slice(slash + 1) };
}

/**
 * An agent's fallback chain: its own `model.fallbacks` when written (`[]` makes it strict), the
 * defaults' when the agent has no model of its own, none when it names its own primary (the
 * reference keeps an agent primary without its own fallbacks strict).
 */
function fallbacksOf(agentModel: unknown, defaultModel: unknown): ModelRef[] {
  const list = (value: unknown) =>
    isJsonObject(value) && Array.isArray(value.fallbacks)
      ? value.fallbacks.map(parseModelRef).filter((ref): ref is ModelRef => ref !== undefined)
      : undefined;
  const own = list(agentModel);
  if (own) return own;
  if (agentModel !== undefined && parseModelRef(agentModel)) return [];
  return list(defaultModel) ?? [];
}

function embeddingRef(search: Record<string, unknown>): ModelRef | undefined {
  return typeof search.provider === "string" && typeof search.model === "string"
    ? { provider: search.provider, model: search.model }
    : undefined;
}

/** A limit as the reference reads it: a finite number above zero, floored; anything else is unset. */
function positiveInt(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** A verbose level as the reference accepts it (`off`, `on`, `full`). */
function verboseLevel(value: unknown): string | undefined {
  return value === "off" || value === "on" || value === "full" ? value : undefined;
}

function record(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

/** An agent's configured identity: each field a trimmed, non-empty string when set. */
export interface AgentIdentityConfig {
  name?: string;
  theme?: string;
  emoji?: string;
  avatar?: string;
}

/** The configured identity's non-empty string fields; undefined when the entry has no `identity` object. */
function identityConfigOf(value: unknown): AgentIdentityConfig | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const fields = value as Record<string, unknown>;
  return Object.fromEntries(
    (["name", "theme", "emoji", "avatar"] as const).flatMap((key) => {
      const text = typeof fields[key] === "string" ? (fields[key] as string).trim() : "";
      return text ? [[key, text]] : [];
    }),
  );
}

/**
 * Reads agents and model providers the way OpenClaw configs write them: `agents.defaults`
 * (model, workspace), `agents.entries.<id>` or `agents.list[]` with per-agent overrides, and
 * `models.providers.<id>` with `baseUrl`, `apiKey`, `api` and `models[]`. With no agents
 * declared there is one: `main`. Workspaces resolve as `agents list` shows them ({@link agentWorkspace}):
 * `~` is `home`, and a non-owner agent under `agents.defaults.workspace` gets `<workspace>/<id>`.
 */
export function resolveAgents(config: RawConfig, stateDir: string, home: string): AgentsConfig {
  const agentsSection = record(config.agents);
  const defaults = record(agentsSection.defaults);
  const declared: [string, Record<string, unknown>][] = [
    ...Object.entries(record(agentsSection.entries)).map((
      [id, value],
    ): [string, Record<string, unknown>] => [id, record(value)]),
    ...(Array.isArray(agentsSection.list)
      ? agentsSection.list.map((value): [string, Record<string, unknown>] => [
        String(record(value).id ?? ""),
        record(value),
      ])
      : []),
  ].filter(([id]) => AGENT_ID.test(id));
  if (declared.length === 0) declared.push(["main", {}]);
  // An explicitly owned roster names its default in `agents.defaults.systemAgent.agentId` (what
  // `openclaw agents add` writes and the reference's `agents list` badges).
  const system = agentsSection.ownership === "explicit" ? record(defaults.systemAgent).agentId : undefined;
  const defaultId = declared.find(([id]) => id === system)?.[0] ??
    declared.find(([, entry]) => entry.default === true)?.[0] ??
    (declared.some(([id]) => id === "main") ? "main" : declared[0]![0]);
  const agents = declared.map(([id, entry]): AgentSpec => ({
    id,
    isDefault: id === defaultId,
    name: typeof record(entry.identity).name === "string" ? String(record(entry.identity).name) : id,
    identity: identityConfigOf(entry.identity),
    model: parseModelRef(entry.model) ?? parseModelRef(defaults.model),
    fallbacks: fallbacksOf(entry.model, defaults.model),
    embedding: embeddingRef(record(entry.memorySearch)) ?? embeddingRef(record(defaults.memorySearch)),
    // One resolver for the gateway, the CLI and the reference: a second one drifted (a non-owner
    // agent under `agents.defaults.workspace` ran in `<state>/workspace-<id>`, not `<workspace>/<id>`).
    workspace: agentWorkspace(config, id, { stateDir, home }),
    bootstrapLimits: {
      maxChars: positiveInt(entry.bootstrapMaxChars) ?? positiveInt(defaults.bootstrapMaxChars),
      totalMaxChars: positiveInt(entry.bootstrapTotalMaxChars) ?? positiveInt(defaults.bootstrapTotalMaxChars),
    },
    contextInjection: typeof entry.contextInjection === "string"
      ? entry.contextInjection
      : typeof defaults.contextInjection === "string"
      ? defaults.contextInjection
      : undefined,
    verboseDefault: verboseLevel(entry.verboseDefault) ?? verboseLevel(defaults.verboseDefault),
    sandbox: resolveSandbox(defaults, entry, stateDir),
    exec: resolveExecSettings(config.tools, entry),
    fileTools: resolveFileTools(config, id),
    webFetch: resolveWebFetch(config),
    loopDetection: resolveLoopDetection(config, id),
    thinkingDefault: typeof entry.thinkingDefault === "string"
      ? entry.thinkingDefault
      : typeof defaults.thinkingDefault === "string"
      ? defaults.thinkingDefault
      : undefined,
    compaction: compactionSettings(defaults.compaction),
    skills: resolveAgentSkills(config, entry, defaults, stateDir),
    memory: resolveAgentMemory(config, entry),
  }));
  const { providers, builtIns } = resolveProviders(config);
  // A model written without its provider ("m1") runs on the one declared provider that lists it,
  // as the reference resolves it; otherwise the run names what is missing.
  const listed = new Map([...providers].map(([id, spec]) => [id, spec.models]));
  for (const [i, [, entry]] of declared.entries()) {
    const agent = agents[i]!;
    if (agent.model) continue;
    const where = entry.model !== undefined ? `agent ${agent.id}` : "agents.defaults.model";
    const text = bareModelText(entry.model) ?? (entry.model === undefined ? bareModelText(defaults.model) : undefined);
    if (text === undefined) continue;
    const resolution = resolveBareModel(text, listed);
    if (resolution.kind === "resolved") agent.model = { provider: resolution.provider, model: text };
    else agent.modelProblem = bareModelMessage(text, where, resolution);
  }
  // The policy resolves bare ids against the agent's default provider, known only now.
  for (const agent of agents) {
    agent.modelPolicy = resolveModelPolicy(config, agent.id, agent.model?.provider ?? REFERENCE_DEFAULT_MODEL.provider);
  }
  return {
    agents,
    defaultAgentId: defaultId,
    providers,
    builtIns,
    runTimeoutSeconds: configuredRunTimeoutSeconds(defaults.timeoutSeconds),
    ...(mainSessionSettings(config).scope === "global" ? { globalSession: true } : {}),
  };
}

/** The model id of a reference written without a provider (`"m1"` or `{ primary: "m1" }`). */
function bareModelText(value: unknown): string | undefined {
  const text = typeof value === "string" ? value : record(value).primary;
  return typeof text === "string" && text !== "" && !text.includes("/") ? text : undefined;
}

/** One entry of `models.list`. */
export interface ModelEntry {
  id: string;
  name: string;
  provider: string;
  contextWindow?: number;
  /** `contextTokens`: a runtime cap below the native window (`models list` shows `cap/window`). */
  contextTokens?: number;
  /** `maxTokens`: the most output tokens a request may ask for (thinking budgets fit inside it). */
  maxTokens?: number;
  reasoning: boolean;
  /** `compat.supportsReasoningEffort`: the endpoint takes `reasoning_effort` (the reference sends none to a custom endpoint without it). */
  supportsReasoningEffort?: boolean;
  available: boolean;
  /** `input`: what the model reads (`["text","image"]` for a vision model), as written; absent when unset. */
  input?: string[];
  /** A provider plugin's thinking profile (built-in models only); without it the generic reasoning rule applies. */
  thinking?: { levels: string[]; defaultLevel: string };
}

/**
 * The models configured under `models.providers.<id>.models[]`, as OpenClaw configs write them
 * (a model is a string id or `{id, name?, contextWindow?, reasoning?}`).
 */
export function resolveModels(config: RawConfig): ModelEntry[] {
  const out: ModelEntry[] = [];
  for (const [provider, spec] of Object.entries(config.models?.providers ?? {})) {
    for (const model of spec.models ?? []) {
      if (typeof model === "string") {
        out.push({ id: model, name: model, provider, reasoning: false, available: true });
        continue;
      }
      const entry: ModelEntry = {
        id: model.id,
        name: typeof model.name === "string" ? model.name : model.id,
        provider,
        reasoning: model.reasoning === true,
        available: true,
      };
      if (typeof model.contextWindow === "number") entry.contextWindow = model.contextWindow;
      if (typeof model.maxTokens === "number") entry.maxTokens = model.maxTokens;
      const cap = (model as { contextTokens?: unknown }).contextTokens;
      if (typeof cap === "number" && Number.isSafeInteger(cap) && cap > 0) entry.contextTokens = cap;
      if (model.input) entry.input = [...model.input];
      const compat = (model as { compat?: unknown }).compat;
      if (isJsonObject(compat) && typeof compat.supportsReasoningEffort === "boolean") {
        entry.supportsReasoningEffort = compat.supportsReasoningEffort;
      }
      out.push(entry);
    }
  }
  return out;
}
