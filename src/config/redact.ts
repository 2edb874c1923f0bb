import JSON5 from "json5";
import { isJsonObject } from "../log/json_object.ts";
import { json5Layout } from "./json5_locate.ts";
import { REDACTED } from "./redaction_marker.ts";
import { secretRefIds } from "./secret_ref_redaction.ts";
import { type ConfigPath, pathKey, sensitiveLeaves } from "./sensitive.ts";
import { secretUrls } from "./sensitive_url.ts";

/** Sets the value at a non-empty path inside a tree (a copy the caller owns), where that path exists. */
function setAt(tree: unknown, path: ConfigPath, value: unknown): void {
  let node = tree;
  for (const [index, key] of path.entries()) {
    const last = index === path.length - 1;
    if (Array.isArray(node)) {
      if (last) node[Number(key)] = value;
      else node = node[Number(key)];
    } else if (isJsonObject(node)) {
      if (last) node[String(key)] = value;
      else node = node[String(key)];
    } else return;
  }
}

/**
 * What a redacted config hides, as the reference hides it: every secret (see {@link sensitiveLeaves}),
 * every credential-bearing URL at a URL place (whole), and the `id` of every SecretRef at a secret's
 * place. `value` is set where the text itself is a secret, so comments are scrubbed of it too (a
 * SecretRef's id, an env name, is hidden for parity, not scrubbed from prose).
 */
function hidden(tree: unknown): { path: ConfigPath; value?: string }[] {
  return [
    ...sensitiveLeaves(tree),
    ...secretUrls(tree),
    ...secretRefIds(tree).map((path) => ({ path })),
  ];
}

/** A copy of a config tree with every secret, credential URL and SecretRef id replaced by {@link REDACTED}. */
export function redactConfig<T>(value: T): T {
  // A config tree is plain JSON data, so a deep clone is exact; its root is an object schema,
  // never a secret itself, so every leaf path is non-empty.
  const out = structuredClone(value);
  for (const leaf of hidden(value)) setAt(out, leaf.path, REDACTED);
  return out;
}

/** The whole tree as JSON text: what `raw` falls back to when in-place redaction cannot be proven. */
function structural(redacted: unknown): string {
  return `${JSON.stringify(redacted, null, 2)}\n`;
}

/**
 * Replaces string values in JSON5 text by key path, leaving every other character (comments,
 * layout, quotes of other values) as written. `pick` returns the new value for a path, or
 * undefined to keep it. Returns undefined when the text does not scan as JSON5.
 */
export function replaceStringValues(
  source: string,
  pick: (path: ConfigPath, literal: string) => string | undefined,
): { text: string; comments: [number, number][] } | undefined {
  const layout = json5Layout(source);
  if (!layout) return undefined;
  let text = "";
  let last = 0;
  for (const span of layout.strings) {
    const literal = source.slice(span.start, span.end);
    const next = pick(span.path, literal);
    if (next === undefined) continue;
    text += source.slice(last, span.start) + JSON.stringify(next);
    last = span.end;
  }
  return { text: text + source.slice(last), comments: layout.comments };
}

function equalTrees(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The file's text with each secret's value replaced by {@link REDACTED} at its own position in
 * the parsed document, never by substring (a token "tok" must not touch `mode: "token"`).
 * Comments keep their text except for secret values written in them. The result is checked: it
 * must parse to exactly the redacted tree; if not (an odd escape in a key), the redacted tree
 * itself is returned as JSON, so nothing can leak and a client saving `raw` back writes a
 * working config either way.
 */
export function redactRawText(raw: string, authored: unknown): string {
  const redacted = redactConfig(authored);
  const leaves = hidden(authored);
  if (leaves.length === 0) return raw;
  const secretPaths = new Set(leaves.map((leaf) => pathKey(leaf.path)));
  const replaced = replaceStringValues(raw, (path) => secretPaths.has(pathKey(path)) ? REDACTED : undefined);
  if (!replaced) return structural(redacted);
  let text = replaced.text;
  // Comment spans moved with the replacements; scan the new text's comments instead.
  const layout = json5Layout(text);
  if (!layout) return structural(redacted);
  const secrets = [...new Set(leaves.flatMap((leaf) => leaf.value ? [leaf.value] : []))]
    .sort((a, b) => b.length - a.length);
  for (const [start, end] of [...layout.comments].reverse()) {
    let comment = text.slice(start, end);
    // Inside a comment nothing is parsed, so a substring replacement cannot break the document.
    for (const secret of secrets) comment = comment.split(secret).join(REDACTED);
    text = text.slice(0, start) + comment + text.slice(end);
  }
  try {
    if (equalTrees(JSON5.parse(text), redacted)) return text;
  } catch {
    // Fall through to the structural form.
  }
  return structural(redacted);
}
