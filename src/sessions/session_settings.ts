// A session's own settings as the reference's `sessions.patch` takes them (its TUI's `/verbose`, `/usage`,
// `/reasoning`, `/send`, `/activation` and its Control UI's session settings send them): each value
// normalized with the reference's aliases, refused with its words, null to clear (the agent's default again).

/** The settings kept, as the reference's session entry names them. */
export const SESSION_SETTINGS = [
  "verboseLevel",
  "responseUsage",
  "reasoningLevel",
  "sendPolicy",
  "groupActivation",
] as const;

/** One of {@link SESSION_SETTINGS}. */
export type SessionSetting = (typeof SESSION_SETTINGS)[number];

/** A value lower-cased and trimmed; undefined for a non-string or an empty one. */
function lowered(raw: unknown): string | undefined {
  if (typeof raw !== "string") return undefined;
  const key = raw.trim().toLowerCase();
  return key || undefined;
}

/** The level a word names among aliases, by the reference's tables. */
function fromTable(raw: unknown, table: Record<string, readonly string[]>): string | undefined {
  const key = lowered(raw);
  if (!key) return undefined;
  return Object.entries(table).find(([, words]) => words.includes(key))?.[0];
}

/** `verboseLevel` words (`/verbose`): off, on, full. */
const VERBOSE = {
  off: ["off", "false", "no", "0"],
  full: ["full", "all", "everything"],
  on: ["on", "minimal", "true", "yes", "1"],
} as const;

/** `responseUsage` words (`/usage`): off, tokens (`on` is its legacy name), full. */
const USAGE = {
  off: ["off", "false", "no", "0", "disable", "disabled"],
  tokens: ["on", "true", "yes", "1", "enable", "enabled", "tokens", "token", "tok", "minimal", "min"],
  full: ["full", "session"],
} as const;

/** `reasoningLevel` words (`/reasoning`): off, on, stream. */
const REASONING = {
  off: ["off", "false", "no", "0", "hide", "hidden", "disable", "disabled"],
  on: ["on", "true", "yes", "1", "show", "visible", "enable", "enabled"],
  stream: ["stream", "streaming", "draft", "live"],
} as const;

/** `sendPolicy` and `groupActivation` take their values only. */
const SEND = { allow: ["allow"], deny: ["deny"] } as const;
const ACTIVATION = { mention: ["mention"], always: ["always"] } as const;

/** Each setting's words and the reference's refusal of any other value. */
const RULES: Record<SessionSetting, { table: Record<string, readonly string[]>; refusal: string }> = {
  verboseLevel: { table: VERBOSE, refusal: 'invalid verboseLevel (use "on"|"off"|"full")' },
  responseUsage: { table: USAGE, refusal: 'invalid responseUsage (use "off"|"tokens"|"full")' },
  reasoningLevel: { table: REASONING, refusal: 'invalid reasoningLevel (use "on"|"off"|"stream")' },
  sendPolicy: { table: SEND, refusal: 'invalid sendPolicy (use "allow"|"deny")' },
  groupActivation: { table: ACTIVATION, refusal: 'invalid groupActivation (use "mention"|"always")' },
};

/** Why a setting's value was refused: the reference's words. */
export class SessionSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SessionSettingError";
  }
}

/**
 * The settings a patch names, normalized (null and an absent value: cleared and untouched); throws
 * {@link SessionSettingError} with the reference's words for the first refused one, in the reference's order.
 */
export function settingsPatch(params: Record<string, unknown>): Partial<Record<SessionSetting, string | undefined>> {
  const patch: Partial<Record<SessionSetting, string | undefined>> = {};
  for (const field of ["verboseLevel", "reasoningLevel", "responseUsage", "sendPolicy", "groupActivation"] as const) {
    if (!(field in params) || params[field] === undefined) continue;
    const raw = params[field];
    if (raw === null) {
      patch[field] = undefined;
      continue;
    }
    const normalized = fromTable(raw, RULES[field].table);
    if (!normalized) throw new SessionSettingError(RULES[field].refusal);
    patch[field] = normalized;
  }
  return patch;
}

/** The usage footer a word names (`/usage on` is "tokens"), by the reference's aliases; undefined for any other. */
export function usageDisplay(raw: string | undefined): string | undefined {
  return fromTable(raw, USAGE);
}

/** The usage footer a session's replies carry: its own choice, else "off" (no configured default here). */
export function effectiveResponseUsage(own: string | undefined): string {
  return usageDisplay(own) ?? "off";
}

/**
 * Whether a command's argument sends a session's own setting back to the default (`/think default`, `/usage reset`):
 * the reference's one list of such words (its isSessionDefaultDirectiveValue).
 */
export function isSessionDefaultValue(raw: string): boolean {
  return ["default", "inherit", "inherited", "clear", "reset", "unpin"].includes(raw.trim().toLowerCase());
}
