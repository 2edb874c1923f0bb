// A SKILL.md's front matter as the reference reads it: a `---` block of `key: value` lines whose
// values are kept as strings; a nested block (the `metadata:` mapping, in YAML block or JSON5 flow
// style) becomes a JSON string that is parsed again as JSON5. No YAML library is a dependency, so
// this reads the subset skills use: scalars (plain or quoted), block scalars (`|`, `>`), flow
// mappings/lists spanning lines, and indented block mappings and `- item` lists.
import JSON5 from "json5";
import { isJsonObject } from "../../log/json_object.ts";

/** A front matter that cannot be read, worded as the reference's skill diagnostics. */
export class FrontmatterError extends Error {
  override name = "FrontmatterError";
}

/** The key → string map of a front matter block; `{}` when the file has none. */
export function parseFrontmatter(content: string): Record<string, string> {
  const normalized = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  // The reference's delimiters: a line of `---` (trailing blanks allowed) opens and closes the
  // block; `----` or `--- x` is content, not a delimiter.
  const opening = /^---[^\S\n]*\n/.exec(normalized);
  if (!opening) return {};
  const tail = normalized.slice(opening[0].length);
  const closing = /(?:^|\n)---[^\S\n]*(?:\n|$)/.exec(tail);
  if (!closing) {
    throw new FrontmatterError("invalid frontmatter: UNTERMINATED_FRONTMATTER: missing closing --- delimiter");
  }
  const lines = tail.slice(0, closing.index).split("\n");
  const out: Record<string, string> = {};
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    i += 1;
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const match = /^([A-Za-z0-9_.-]+)\s*:(.*)$/.exec(line);
    if (!match || /^\s/.test(line)) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    const block: string[] = [];
    while (i < lines.length && (lines[i]!.trim() === "" || /^\s/.test(lines[i]!))) block.push(lines[i++]!);
    while (block.length > 0 && block.at(-1)!.trim() === "") block.pop();
    out[key] = valueOf(rest.trim(), block);
  }
  return out;
}

function valueOf(inline: string, block: readonly string[]): string {
  if (inline === "|" || inline === ">" || /^[|>][-+]?$/.test(inline)) {
    const texts = dedent(block);
    return inline.startsWith(">") ? texts.join(" ").trim() : texts.join("\n").trim();
  }
  const whole = [inline, ...block].join("\n").trim();
  if (whole.startsWith("{") || whole.startsWith("[")) {
    try {
      return JSON.stringify(JSON5.parse(whole));
    } catch {
      return whole;
    }
  }
  if (inline === "" && block.length > 0) return JSON.stringify(parseBlock(dedent(block)));
  return unquote(whole);
}

function unquote(text: string): string {
  const quote = text.at(0);
  if ((quote === '"' || quote === "'") && text.at(-1) === quote && text.length >= 2) {
    const body = text.slice(1, -1);
    return quote === "'" ? body.replaceAll("''", "'") : body.replace(/\\"/g, '"').replace(/\\n/g, "\n");
  }
  // A trailing comment after a plain scalar is not part of it.
  return text.replace(/\s+#.*$/, "");
}

function dedent(lines: readonly string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}

function scalar(text: string): unknown {
  const value = unquote(text.trim());
  if (text.trim().startsWith("{") || text.trim().startsWith("[")) {
    try {
      return JSON5.parse(text.trim());
    } catch {
      return value;
    }
  }
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (value === "null" || value === "~") return null;
  return value;
}

/** A dedented YAML block: a `- item` list or a `key: value` mapping, recursively. */
function parseBlock(lines: readonly string[]): unknown {
  const rows = lines.filter((l) => l.trim() && !l.trimStart().startsWith("#"));
  if (rows.length === 0) return null;
  if (rows[0]!.startsWith("- ") || rows[0] === "-") {
    const items: unknown[] = [];
    let current: string[] | undefined;
    for (const row of rows) {
      if (row.startsWith("-") && !/^\s/.test(row)) {
        if (current) items.push(itemOf(current));
        current = [row.replace(/^-\s?/, "")];
      } else current?.push(row.slice(2));
    }
    if (current) items.push(itemOf(current));
    return items;
  }
  const map: Record<string, unknown> = {};
  let index = 0;
  while (index < rows.length) {
    const row = rows[index++]!;
    const match = /^([^:\s][^:]*?)\s*:(.*)$/.exec(row);
    if (!match) continue;
    const child: string[] = [];
    while (index < rows.length && /^\s/.test(rows[index]!)) child.push(rows[index++]!);
    const key = String(unquote(match[1]!.trim()));
    const inline = match[2]!.trim();
    map[key] = inline === "" && child.length > 0
      ? parseBlock(dedent(child))
      : child.length > 0
      ? scalar([inline, ...child.map((c) => c.trim())].join(" "))
      : scalar(inline);
  }
  return map;
}

function itemOf(lines: readonly string[]): unknown {
  if (lines.length === 1 && !/^[^:\s][^:]*:(\s|$)/.test(lines[0]!)) return scalar(lines[0]!);
  return parseBlock(dedent(lines));
}

/** What a skill's `metadata.openclaw` block (or a legacy `clawdbot`/`clawdis` one) declares. */
export interface SkillMetadata {
  always?: boolean | undefined;
  emoji?: string | undefined;
  homepage?: string | undefined;
  skillKey?: string | undefined;
  primaryEnv?: string | undefined;
  os?: string[] | undefined;
  requires?: { bins: string[]; anyBins: string[]; env: string[]; config: string[] } | undefined;
  /** Installer specs as written (kind, label, bins...), for clients; never run here. */
  install?: Record<string, unknown>[] | undefined;
}

const MANIFEST_KEYS = ["openclaw", "clawdbot", "clawdis"];

/** A list from an array or a comma-separated string, trimmed, empties dropped. */
export function stringList(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return raw.map((item) => String(item).trim()).filter((item) => item.length > 0);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Requirements a skill or hook manifest declares (`metadata.openclaw.requires`). */
export interface ManifestRequires {
  bins: string[];
  anyBins: string[];
  env: string[];
  config: string[];
}

/** The OpenClaw block of a front matter's `metadata`: the first of `keys` holding an object, its requirements and os. */
export function manifestBlock(
  frontmatter: Readonly<Record<string, string>>,
  keys: readonly string[],
): { block: Record<string, unknown>; requires: ManifestRequires | undefined; os: string[] } | undefined {
  const raw = frontmatter.metadata;
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON5.parse(raw);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed)) return undefined;
  const block = keys.map((key) => parsed[key]).find(isJsonObject);
  if (!block) return undefined;
  const requires = isJsonObject(block.requires)
    ? {
      bins: stringList(block.requires.bins),
      anyBins: stringList(block.requires.anyBins),
      env: stringList(block.requires.env),
      config: stringList(block.requires.config),
    }
    : undefined;
  return { block, requires, os: stringList(block.os) };
}

/** The manifest of a skill's front matter: undefined when `metadata` has no OpenClaw block. */
export function skillMetadata(frontmatter: Readonly<Record<string, string>>): SkillMetadata | undefined {
  const manifest = manifestBlock(frontmatter, MANIFEST_KEYS);
  if (!manifest) return undefined;
  const { block, requires, os } = manifest;
  const install = Array.isArray(block.install) ? block.install.filter(isJsonObject) : [];
  const skillKey = optionalString(block.skillKey);
  return {
    always: typeof block.always === "boolean" ? block.always : undefined,
    emoji: optionalString(block.emoji),
    homepage: optionalString(block.homepage),
    skillKey: skillKey?.trim() ? skillKey : undefined,
    primaryEnv: optionalString(block.primaryEnv),
    os: os.length > 0 ? os : undefined,
    requires,
    install: install.length > 0 ? install : undefined,
  };
}

/** A front matter boolean (`true`/`yes`/`1`, `false`/`no`/`0`), else the fallback. */
export function frontmatterBool(value: string | undefined, fallback: boolean): boolean {
  const text = value?.trim().toLowerCase();
  if (text === "true" || text === "yes" || text === "1" || text === "on") return true;
  if (text === "false" || text === "no" || text === "0" || text === "off") return false;
  return fallback;
}
