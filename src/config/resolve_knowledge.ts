// The `skills.*` and `memory.*` settings of one agent, resolved from a config snapshot with the
// reference's keys and defaults: `skills.entries`, `skills.allowBundled`, `skills.load.extraDirs`,
// `skills.limits`, the agent allowlist `agents.defaults.skills` / `agents.entries.<id>.skills`,
// and `memory.search` (enabled, query limits) with `agents.entries.<id>.memory.search` overrides.
import { isJsonObject } from "../log/json_object.ts";

/** One `skills.entries.<key>` as written (unknown keys kept for clients). */
export interface SkillEntryConfig {
  enabled?: boolean | undefined;
  env?: Record<string, string> | undefined;
  /** A plaintext key or a SecretRef object; satisfies the skill's `primaryEnv`. */
  apiKey?: unknown;
}

/** What skill discovery and gating read for one agent. */
export interface AgentSkillsSettings {
  entries: Record<string, SkillEntryConfig>;
  /** `skills.allowBundled`: only bundled skills are filtered by it (this gateway bundles none). */
  allowBundled: string[] | undefined;
  extraDirs: string[];
  maxSkillsInPrompt: number | undefined;
  maxSkillsPromptChars: number | undefined;
  /** The agent allowlist: undefined is unrestricted, `[]` exposes none. */
  filter: string[] | undefined;
  /** The whole config snapshot, for `requires.config` paths (read only). */
  config: Readonly<Record<string, unknown>>;
  /** The state dir (its `skills/` is the managed root). */
  stateDir: string;
}

/** What memory search reads for one agent (`memory.search`, per-agent overrides, `memory.citations`). */
export interface AgentMemorySettings {
  enabled: boolean;
  /** `memory.search.provider` (a `models.providers` id, or "none" for keywords only), when set. */
  provider?: string | undefined;
  /** `memory.search.model`, the embedding model of that provider. */
  model?: string | undefined;
  maxResults: number;
  minScore: number;
  citations: "auto" | "on" | "off";
}

const DEFAULT_MAX_RESULTS = 6;
const DEFAULT_MIN_SCORE = 0.35;

function obj(value: unknown): Record<string, unknown> {
  return isJsonObject(value) ? value : {};
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string" && v.trim() !== "") : undefined;
}

function positive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}

/** The skills settings of the agent whose config entry is `entry`. */
export function resolveAgentSkills(
  config: Readonly<Record<string, unknown>>,
  entry: Readonly<Record<string, unknown>>,
  defaults: Readonly<Record<string, unknown>>,
  stateDir: string,
): AgentSkillsSettings {
  const skills = obj(config.skills);
  const entries: Record<string, SkillEntryConfig> = {};
  for (const [key, value] of Object.entries(obj(skills.entries))) {
    if (!isJsonObject(value)) continue;
    const env = Object.fromEntries(
      Object.entries(obj(value.env)).filter((pair): pair is [string, string] => typeof pair[1] === "string"),
    );
    entries[key] = {
      ...value,
      enabled: typeof value.enabled === "boolean" ? value.enabled : undefined,
      env,
    };
  }
  const limits = obj(skills.limits);
  return {
    entries,
    allowBundled: strings(skills.allowBundled),
    extraDirs: strings(obj(skills.load).extraDirs) ?? [],
    maxSkillsInPrompt: positive(limits.maxSkillsInPrompt),
    maxSkillsPromptChars: positive(limits.maxSkillsPromptChars),
    filter: strings(entry.skills) ?? strings(defaults.skills),
    config,
    stateDir,
  };
}

/** The memory-search settings of the agent whose config entry is `entry`. */
export function resolveAgentMemory(
  config: Readonly<Record<string, unknown>>,
  entry: Readonly<Record<string, unknown>>,
): AgentMemorySettings {
  const memory = obj(config.memory);
  const defaults = obj(memory.search);
  const overrides = obj(obj(entry.memory).search);
  const query = { ...obj(defaults.query), ...obj(overrides.query) };
  const enabled = overrides.enabled ?? defaults.enabled ?? true;
  const minScore = typeof query.minScore === "number" && Number.isFinite(query.minScore)
    ? Math.min(1, Math.max(0, query.minScore))
    : DEFAULT_MIN_SCORE;
  const citations = memory.citations === "on" || memory.citations === "off" ? memory.citations : "auto";
  const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : undefined);
  return {
    enabled: enabled !== false,
    provider: text(overrides.provider) ?? text(defaults.provider),
    model: text(overrides.model) ?? text(defaults.model),
    maxResults: positive(query.maxResults) ?? DEFAULT_MAX_RESULTS,
    minScore,
    citations,
  };
}
