// The `, got: <value>` the reference appends to a config issue in text (never in `--json`): the value
// found at the issue's path, as JSON, when showing it is safe and says what was read. Not when the
// path is a credential's, belongs to a channel or a plugin's own config, holds an object or a list,
// was substituted from the environment (`${VAR}`: the file shows something else), or is not located
// in the file; nor when the message already says what it received.
import { truncateUtf16Safe } from "../text/utf16_slice.ts";
import { isSensitiveConfigPath } from "./sensitive.ts";

/** A key path into a config tree: keys, and array indices as numbers. */
export type IssueSegments = readonly (string | number)[];

/** The value at `segments` in a JSON tree, or undefined. */
export function valueAtSegments(root: unknown, segments: IssueSegments): unknown {
  let current = root;
  for (const segment of segments) {
    if (typeof segment === "number") {
      if (!Array.isArray(current) || segment >= current.length) return undefined;
      current = current[segment];
      continue;
    }
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** A value as the hint shows it: JSON, a string of more than 160 characters cut to 157 and `...`. */
export function receivedValueLabel(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number" && (!Number.isFinite(value) || Object.is(value, -0))) {
    return Object.is(value, -0) ? "-0" : String(value);
  }
  try {
    const serialized = JSON.stringify(value);
    if (serialized === undefined) return undefined;
    return serialized.length > 160 ? `${truncateUtf16Safe(serialized, 157)}...` : serialized;
  } catch {
    return undefined;
  }
}

function pluginOwned(segments: IssueSegments): boolean {
  return segments[0] === "channels" ||
    (segments[0] === "plugins" && segments[1] === "entries" && segments[3] === "config");
}

/**
 * The label to append as `, got: …` to an issue at `segments`, or undefined. `authored` is the file as
 * parsed, `effective` after `${VAR}` substitution; `located` says the issue's value was found in the text.
 */
export function receivedValueHint(
  segments: IssueSegments,
  message: string,
  options: { authored: unknown; effective: unknown; located: boolean },
): string | undefined {
  if (segments.length === 0 || !options.located) return undefined;
  const value = valueAtSegments(options.effective, segments);
  if (!Object.is(valueAtSegments(options.authored, segments), value)) return undefined;
  if (value === undefined || (typeof value === "object" && value !== null)) return undefined;
  if (isSensitiveConfigPath(segments.join(".")) || pluginOwned(segments)) return undefined;
  if (message.toLowerCase().includes("got:") || /\breceived\b/i.test(message)) return undefined;
  return receivedValueLabel(value);
}
