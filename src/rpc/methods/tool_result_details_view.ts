// What `chat.history` (and `session.message`) show of a stored tool result's `details`, as the reference projects
// them for its clients: whether a write or an edit changed or created its file, and its diff (cut at the history's
// text limit), so the Control UI can render the change after a reload. Everything else the tool put there (a read's
// page, exec's output, a write's full patch) stays in the transcript; a result with none of these shows no details.
import { isJsonObject } from "../../log/json_object.ts";
import { truncateUtf16Safe } from "../../text/utf16_slice.ts";

/** The reference's cut for a history text (its `DEFAULT_CHAT_HISTORY_TEXT_MAX_CHARS`). */
export const HISTORY_TEXT_MAX_CHARS = 8_000;

/** The details a client is shown for a tool result, or undefined when none of them are there. */
export function toolResultDetailsView(
  details: unknown,
  maxChars: number = HISTORY_TEXT_MAX_CHARS,
): Record<string, unknown> | undefined {
  if (!isJsonObject(details)) return undefined;
  const shown: Record<string, unknown> = {};
  for (const key of ["changed", "created"]) if (typeof details[key] === "boolean") shown[key] = details[key];
  const diff = details.diff;
  if (typeof diff === "string" && diff.trim()) {
    shown.diff = diff.length <= maxChars ? diff : `${truncateUtf16Safe(diff, maxChars)}\n...(truncated)...`;
  }
  return Object.keys(shown).length > 0 ? shown : undefined;
}
