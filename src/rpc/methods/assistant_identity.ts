// An agent's display identity as the reference's `agent.identity.get` resolves it (recorded against OpenClaw
// 2026.9.6): the name from the config's `identity.name`, else the workspace's IDENTITY.md, else "Assistant"; the
// avatar from the config's avatar or emoji, else the file's, else "A"; the emoji from the first candidate that
// is one. Pure but for reading IDENTITY.md. Avatar files in the workspace are not served here: an avatar that
// names one falls back to the emoji (or "A"), as the reference's does for a file it cannot serve.
import type { AgentIdentityConfig } from "../../config/resolve_agents.ts";
import type { MarkdownIdentity } from "../../config/identity_markdown.ts";

/** The reference's default identity. */
const DEFAULT_IDENTITY = { name: "Assistant", avatar: "A" };

/** The reference's bounds on a display name and an emoji (UTF-16 units). */
const LIMITS = { name: 50, emoji: 16 };

/** The reference's bound on an inline avatar: a 2 MiB image as a data URL. */
const MAX_DATA_URL_CHARS = Math.ceil(2_097_152 / 3) * 4 + 26;

const HTTP = /^https?:\/\//i;
const IMAGE_DATA_URL = /^data:image\//i;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const WINDOWS_ABSOLUTE = /^[a-zA-Z]:[\\/]/;
const IMAGE_PATH = /\.(png|jpe?g|gif|webp|svg|ico)$/i;

/** What `agent.identity.get` answers. */
export interface AssistantIdentity {
  agentId: string;
  name: string;
  nameSource: "agent" | "workspace" | "default";
  avatar: string;
  emoji?: string;
  avatarSource?: string;
  avatarStatus?: "remote" | "data";
}

/** `value` trimmed and cut to `max` UTF-16 units without splitting a surrogate pair; undefined when empty. */
function bounded(value: string | undefined, max: number): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

function isUrl(value: string): boolean {
  return HTTP.test(value) || (value.length <= MAX_DATA_URL_CHARS && IMAGE_DATA_URL.test(value));
}

function isForeignScheme(value: string): boolean {
  return SCHEME.test(value) && !WINDOWS_ABSOLUTE.test(value);
}

function isPath(value: string): boolean {
  return /[\\/]/.test(value) || IMAGE_PATH.test(value);
}

/** An avatar candidate the reference keeps: a URL, a path, or a short text without spaces (an emoji, a letter). */
function avatarValue(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed || trimmed.length > MAX_DATA_URL_CHARS) return undefined;
  if (isUrl(trimmed)) return trimmed;
  if (isForeignScheme(trimmed)) return undefined;
  if (isPath(trimmed)) return trimmed;
  return !/\s/.test(trimmed) && trimmed.length <= 4 ? trimmed : undefined;
}

/** An emoji candidate the reference keeps: something non-ASCII that is no URL or path. */
function emojiValue(value: string | undefined): string | undefined {
  if (!value || ![...value].some((c) => c.charCodeAt(0) > 127)) return undefined;
  return isUrl(value) || isForeignScheme(value) || isPath(value) ? undefined : value;
}

/** The identity `agent.identity.get` answers for an agent, from its configured identity and its IDENTITY.md. */
export function assistantIdentity(
  agentId: string,
  config: AgentIdentityConfig | undefined,
  file: MarkdownIdentity | undefined,
): AssistantIdentity {
  const configName = bounded(config?.name, LIMITS.name);
  const fileName = bounded(file?.name, LIMITS.name);
  const [name, nameSource] = configName
    ? [configName, "agent" as const]
    : fileName
    ? [fileName, "workspace" as const]
    : [DEFAULT_IDENTITY.name, "default" as const];
  const emoji = [config?.emoji, file?.emoji, config?.avatar, file?.avatar]
    .map((candidate) => emojiValue(bounded(candidate, LIMITS.emoji)))
    .find(Boolean);
  const source = [config?.avatar, config?.emoji, file?.avatar, file?.emoji].map(avatarValue).find(Boolean);
  const base = { agentId, name, nameSource, ...(emoji ? { emoji } : {}) };
  if (!source) return { ...base, avatar: DEFAULT_IDENTITY.avatar };
  if (HTTP.test(source)) return { ...base, avatar: source, avatarSource: "remote URL", avatarStatus: "remote" };
  if (IMAGE_DATA_URL.test(source)) {
    const comma = source.indexOf(",");
    const header = comma > 0 ? source.slice(0, Math.min(comma, 64)) : source.slice(0, 64);
    return { ...base, avatar: source, avatarSource: `${header},...`, avatarStatus: "data" };
  }
  // A file in the workspace (not served here), or another scheme: the emoji stands in, as the reference's.
  if (isPath(source) || isForeignScheme(source)) return { ...base, avatar: emoji ?? DEFAULT_IDENTITY.avatar };
  return { ...base, avatar: source };
}
