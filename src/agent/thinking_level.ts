// Thinking levels as the reference names them: parsing what a user typed (`/think high`, `thinking`
// on `agent`/`chat.send`, `thinkingDefault`), which levels a model offers, which level a run uses, and
// what that level becomes on each wire (OpenAI-compatible `reasoning_effort`, Anthropic `thinking`).

/** The reference's canonical level ids. */
export type ThinkingLevel = "off" | "minimal" | "low" | "medium" | "high" | "xhigh" | "adaptive" | "max" | "ultra";

/** The reference's ranks: a level a model lacks falls back to the nearest lower one it offers. */
const RANKS: Record<ThinkingLevel, number> = {
  off: 0,
  minimal: 10,
  low: 20,
  medium: 30,
  high: 40,
  adaptive: 30,
  xhigh: 60,
  max: 70,
  ultra: 80,
};

/** The levels a reasoning model offers when no provider profile says otherwise (the reference's base set). */
const BASE_LEVELS: readonly ThinkingLevel[] = ["off", "minimal", "low", "medium", "high"];

/** The level a word names, with the reference's aliases (`on` → low, `ultrathink` → high, `x-high` → xhigh); undefined when none. */
export function normalizeThinkLevel(raw: unknown): ThinkingLevel | undefined {
  if (typeof raw !== "string") return undefined;
  const key = raw.trim().toLowerCase();
  if (!key) return undefined;
  const collapsed = key.replace(/[\s_-]+/g, "");
  if (collapsed === "adaptive" || collapsed === "auto") return "adaptive";
  if (collapsed === "max") return "max";
  if (collapsed === "ultra") return "ultra";
  if (collapsed === "xhigh" || collapsed === "extrahigh") return "xhigh";
  if (key === "off" || key === "none") return "off";
  if (key === "on" || key === "enable" || key === "enabled") return "low";
  if (key === "min" || key === "minimal" || key === "think") return "minimal";
  if (["low", "thinkhard", "think-hard", "think_hard"].includes(key)) return "low";
  if (["mid", "med", "medium", "thinkharder", "think-harder", "harder"].includes(key)) return "medium";
  if (["high", "ultrathink", "thinkhardest", "highest"].includes(key)) return "high";
  return undefined;
}

/** What a model offers: its levels (lowest first) and the level it runs at when nothing is chosen. */
export interface ThinkingProfile {
  levels: ThinkingLevel[];
  defaultLevel: ThinkingLevel;
}

/** A model as the thinking rules read it: whether it reasons, and its provider plugin's profile if it has one. */
export interface ThinkingModel {
  reasoning?: boolean | undefined;
  thinking?: { levels: readonly string[]; defaultLevel: string } | undefined;
}

/**
 * A model's profile: its provider plugin's (a built-in model's) when it has one; else as the reference
 * builds it for a configured model without a plugin: `reasoning: true` offers the base levels and
 * defaults to `medium`; any other model offers only `off`.
 */
export function thinkingProfile(model: ThinkingModel | undefined): ThinkingProfile {
  const plugin = model?.thinking;
  if (plugin) {
    const levels = plugin.levels.filter((level): level is ThinkingLevel => Object.hasOwn(RANKS, level));
    const defaultLevel = Object.hasOwn(RANKS, plugin.defaultLevel) ? plugin.defaultLevel as ThinkingLevel : "off";
    if (levels.length > 0) return { levels, defaultLevel };
  }
  return model?.reasoning === true
    ? { levels: [...BASE_LEVELS], defaultLevel: "medium" }
    : { levels: ["off"], defaultLevel: "off" };
}

/** A level clamped to the profile: itself when offered, else the nearest lower level the model offers. */
export function supportedLevel(profile: ThinkingProfile, level: ThinkingLevel): ThinkingLevel {
  if (profile.levels.includes(level)) return level;
  if (level === "adaptive" && profile.defaultLevel !== "off") return profile.defaultLevel;
  const ranked = [...profile.levels].sort((a, b) => RANKS[b] - RANKS[a]);
  return ranked.find((l) => l !== "off" && RANKS[l] <= RANKS[level]) ?? ranked.findLast((l) => l !== "off") ?? "off";
}

/** Where a run's level comes from, highest priority first; each may be unset. */
export interface ThinkingSources {
  /** The run's own `thinking` (an `agent`/`chat.send` parameter). */
  request?: string | undefined;
  /** The session's `thinkingLevel` (`/think`, `sessions.patch`). */
  session?: string | undefined;
  /** The agent's `thinkingDefault`, else `agents.defaults.thinkingDefault`. */
  configured?: string | undefined;
}

/** The level one run uses on one model: the first source set, else the model's default, clamped to the model. */
export function resolveThinkingLevel(
  sources: ThinkingSources,
  model: ThinkingModel | undefined,
): ThinkingLevel {
  const profile = thinkingProfile(model);
  const wanted = normalizeThinkLevel(sources.request) ?? normalizeThinkLevel(sources.session) ??
    normalizeThinkLevel(sources.configured) ?? profile.defaultLevel;
  return supportedLevel(profile, wanted);
}

/** Anthropic thinking budgets per level (the reference's table; `xhigh` counts as `high`). */
const ANTHROPIC_BUDGETS: Partial<Record<ThinkingLevel, number>> = {
  minimal: 1024,
  low: 2048,
  medium: 8192,
  high: 16384,
  xhigh: 16384,
  max: 32768,
  adaptive: 8192,
};

/** The output limit the reference assumes for a model whose config gives no `maxTokens`. */
export const DEFAULT_MAX_TOKENS = 8192;

/** The smallest budget Anthropic accepts; below it thinking stays off. */
const MIN_BUDGET = 1024;

/** The OpenAI `reasoning_effort` a level sends (`adaptive` is the provider's medium; `max`/`ultra` its high). */
function reasoningEffort(level: ThinkingLevel): string {
  if (level === "adaptive") return "medium";
  if (level === "max" || level === "ultra") return "high";
  return level;
}

/** What a level adds to a request: the `ai` SDK provider options, and the answer's token limit when it must change. */
export interface ThinkingRequest {
  providerOptions?: Record<string, Record<string, unknown>> | undefined;
  /** The text's share of `max_tokens` (Anthropic: the SDK adds the thinking budget on top). */
  maxOutputTokens?: number | undefined;
}

/**
 * A level on a wire, as the reference sends it. OpenAI-compatible: `reasoning_effort`, only to an
 * endpoint whose model declares `compat.supportsReasoningEffort` (the reference sends none to a custom
 * endpoint otherwise). Anthropic: `thinking: {type: "enabled", budget_tokens}` inside the model's
 * `maxTokens` (default 8192): `max_tokens` is that limit and the budget shrinks to leave 1024 for the
 * text. `off` sends nothing.
 */
export function thinkingRequest(
  wire: "openai" | "anthropic",
  level: ThinkingLevel,
  model: { supportsReasoningEffort?: boolean | undefined; maxTokens?: number | undefined } | undefined,
): ThinkingRequest {
  if (level === "off") return {};
  if (wire === "openai") {
    return model?.supportsReasoningEffort === true
      ? { providerOptions: { openaiCompatible: { reasoningEffort: reasoningEffort(level) } } }
      : {};
  }
  const limit = model?.maxTokens ?? DEFAULT_MAX_TOKENS;
  let budget = ANTHROPIC_BUDGETS[level] ?? ANTHROPIC_BUDGETS.medium!;
  if (limit <= budget) budget = Math.max(0, limit - MIN_BUDGET);
  if (budget < MIN_BUDGET) return {};
  return {
    providerOptions: { anthropic: { thinking: { type: "enabled", budgetTokens: budget } } },
    maxOutputTokens: limit - budget,
  };
}

/** The profile as the reference's rows and lists show it (`thinkingLevels`, `thinkingOptions`, `thinkingDefault`). */
export function thinkingView(
  model: ThinkingModel | undefined,
  configured?: string | undefined,
): { thinkingLevels: { id: string; label: string }[]; thinkingOptions: string[]; thinkingDefault: string } {
  const profile = thinkingProfile(model);
  const configuredLevel = normalizeThinkLevel(configured);
  return {
    thinkingLevels: profile.levels.map((id) => ({ id, label: id })),
    thinkingOptions: [...profile.levels],
    thinkingDefault: configuredLevel ? supportedLevel(profile, configuredLevel) : profile.defaultLevel,
  };
}

/**
 * An `agent` request's explicit `thinking`, checked as the reference checks it against the model the
 * run asks: a word naming no level, or a level the model does not offer, is refused with its words.
 */
export function explicitThinkingLevel(
  raw: string,
  model: ThinkingModel | undefined,
  ref: { provider: string; model: string },
): { level: ThinkingLevel } | { error: string } {
  const levels = thinkingProfile(model).levels.join(", ");
  const level = normalizeThinkLevel(raw);
  if (!level) return { error: `Invalid thinking level. Use one of: ${levels}.` };
  if (!thinkingProfile(model).levels.includes(level)) {
    return {
      error: `Thinking level "${level}" is not supported for ${ref.provider}/${ref.model}. Use one of: ${levels}.`,
    };
  }
  return { level };
}
