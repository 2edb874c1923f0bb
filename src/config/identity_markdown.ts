// An agent's IDENTITY.md as the reference reads it (`- **Name:** value` lines, labels in any case,
// unfilled placeholders ignored): `agents set-identity --from-identity` copies it into config and
// `agents list` falls back to it. Parsing is pure; readIdentityFile reads the one file it is given.

/** The identity fields IDENTITY.md can carry. */
export interface MarkdownIdentity {
  name?: string;
  emoji?: string;
  creature?: string;
  vibe?: string;
  theme?: string;
  avatar?: string;
}

/** The template's prompts: a field still holding one of these is unset. */
const PLACEHOLDERS = new Set([
  "not set yet",
  "pick something you like",
  "ai? robot? familiar? ghost in the machine? something weirder?",
  "how do you come across? sharp? warm? chaotic? calm?",
  "your signature - pick one that feels right",
  "workspace-relative path, http(s) url, or data uri",
]);

const FIELDS = new Set(["name", "emoji", "creature", "vibe", "theme", "avatar"]);

function isPlaceholder(value: string): boolean {
  let text = value.trim().replace(/^[*_`\s]+|[*_`\s]+$/g, "").trim();
  if (text.startsWith("(") && text.endsWith(")")) text = text.slice(1, -1).trim();
  text = text.replace(/[\u2013\u2014]/g, "-").replace(/\s+/g, " ").toLowerCase();
  return PLACEHOLDERS.has(text);
}

/** The fields a Markdown identity sets; a later line for the same label wins, as in the reference. */
export function parseIdentityMarkdown(content: string): MarkdownIdentity {
  const identity: Record<string, string> = {};
  for (const line of content.split(/\r?\n/)) {
    const cleaned = line.trim().replace(/^\s*-\s*/, "");
    const colon = cleaned.indexOf(":");
    if (colon === -1) continue;
    const label = cleaned.slice(0, colon).replace(/[*_`]/g, "").toLowerCase();
    const value = cleaned.slice(colon + 1).replace(/^[*_`\s]+|[*_`\s]+$/g, "").trim();
    if (!value || isPlaceholder(value) || !FIELDS.has(label)) continue;
    identity[label] = value;
  }
  return identity;
}

/** True when the identity holds any value. */
export function identityHasValues(identity: MarkdownIdentity): boolean {
  return Object.values(identity).some((value) => typeof value === "string" && value !== "");
}

/** The identity read from a file: undefined when absent, unreadable or without values. */
export async function readIdentityFile(path: string): Promise<MarkdownIdentity | undefined> {
  try {
    const info = await Deno.stat(await Deno.realPath(path));
    if (!info.isFile || info.size > 4 * 1024 * 1024) return undefined;
    const parsed = parseIdentityMarkdown(await Deno.readTextFile(path));
    return identityHasValues(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const WRITABLE: readonly (readonly [string, string])[] = [["name", "Name"], ["theme", "Theme"], [
  "emoji",
  "Emoji",
], ["avatar", "Avatar"]];

function labelOf(line: string): string | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("-")) return undefined;
  const cleaned = trimmed.replace(/^\s*-\s*/, "");
  const colon = cleaned.indexOf(":");
  return colon === -1 ? undefined : cleaned.slice(0, colon).replace(/[*_`]/g, "").toLowerCase();
}

/**
 * IDENTITY.md with the given name/theme/emoji/avatar written in, as the reference merges them: an
 * existing `- Label:` line is replaced (duplicates dropped), a new one goes after the last identity
 * line, else after the heading; everything else is kept.
 */
export function mergeIdentityMarkdown(content: string | undefined, identity: Record<string, string | undefined>) {
  const lines = content ? content.replace(/\r\n/g, "\n").split("\n") : ["# IDENTITY.md - Agent Identity", ""];
  for (const [field, label] of WRITABLE) {
    const value = identity[field]?.trim();
    if (!value) continue;
    const matches = lines.flatMap((line, i) => labelOf(line) === field ? [i] : []);
    if (matches.length > 0) {
      lines[matches[0]!] = `- ${label}: ${value}`;
      for (const duplicate of matches.slice(1).reverse()) lines.splice(duplicate, 1);
      continue;
    }
    let at = -1;
    lines.forEach((line, i) => {
      const cleaned = line.trim().replace(/^\s*-\s*/, "");
      const colon = cleaned.indexOf(":");
      if (colon !== -1 && FIELDS.has(cleaned.slice(0, colon).replace(/[*_`]/g, "").toLowerCase())) at = i + 1;
    });
    if (at === -1) {
      const heading = lines.findIndex((line) => line.trim().startsWith("#"));
      at = heading === -1 ? 0 : heading + 1;
      while (heading !== -1 && at < lines.length && lines[at]!.trim() === "") at += 1;
    }
    lines.splice(at, 0, `- ${label}: ${value}`);
  }
  return lines.join("\n").replace(/\n*$/, "\n");
}
