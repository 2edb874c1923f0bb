// The reference's `(allowed: …)` hint on a config issue: the candidate values a refused value could
// have been, de-duplicated, at most twelve shown, each label at most 160 characters.
import { truncateUtf16Safe } from "../text/utf16_slice.ts";

/** How many allowed values a hint shows before `... (+n more)`. */
const MAX_ALLOWED_VALUES_HINT = 12;
/** How long one value's label may be before it is cut. */
const MAX_ALLOWED_VALUE_CHARS = 160;

/** The allowed values of one issue, as `--json` lists them and the hint words them. */
export interface AllowedValuesSummary {
  /** The values shown (strings as they are, others as JSON). */
  values: string[];
  /** How many more there were. */
  hiddenCount: number;
  /** The hint's text: `"a", "b", ... (+n more)`. */
  formatted: string;
}

function truncateHintText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const truncated = truncateUtf16Safe(text, limit);
  return `${truncated}... (+${text.length - truncated.length} chars)`;
}

function safeStringify(value: unknown): string {
  if (value === undefined) return "";
  try {
    const serialized = JSON.stringify(value);
    if (serialized !== undefined) return serialized;
  } catch {
    // A value JSON cannot write (a BigInt) is shown as String() shows it.
  }
  return String(value);
}

/** The candidates summarized for a hint, or undefined when there are none. */
export function summarizeAllowedValues(values: readonly unknown[]): AllowedValuesSummary | undefined {
  if (values.length === 0) return undefined;
  const seen = new Set<string>();
  const entries: { value: string; label: string }[] = [];
  for (const item of values) {
    const value = typeof item === "string" ? item : safeStringify(item);
    const key = `${item === null ? "null" : typeof item}:${value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const label = typeof item === "string"
      ? JSON.stringify(truncateHintText(item, MAX_ALLOWED_VALUE_CHARS))
      : truncateHintText(safeStringify(item), MAX_ALLOWED_VALUE_CHARS);
    entries.push({ value, label });
  }
  const shown = entries.slice(0, MAX_ALLOWED_VALUES_HINT);
  const hiddenCount = entries.length - shown.length;
  const core = shown.map((entry) => entry.label).join(", ");
  return {
    values: shown.map((entry) => entry.value),
    hiddenCount,
    formatted: hiddenCount > 0 ? `${core}, ... (+${hiddenCount} more)` : core,
  };
}

/** `message (allowed: …)`, unless the message already lists the choices (zod's enum words do). */
export function appendAllowedValuesHint(message: string, summary: AllowedValuesSummary): string {
  const lower = message.toLowerCase();
  if (lower.includes("(allowed:") || lower.includes("expected one of")) return message;
  return `${message} (allowed: ${summary.formatted})`;
}
