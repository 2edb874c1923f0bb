// `agent.wait`'s `terminalReply`: what a run left the user to see, as the reference reports it. A run that
// ended without visible text (a failed run, an answer of whitespace) is `empty`, not `visible` with no text.

/** The longest reply text reported; longer ones are cut and end with `…`. */
const MAX_CHARS = 4096;

/** `visible` with the run's text (trimmed, at most 4096 characters), or `empty` when there is none. */
export function terminalReply(text: string): { disposition: "visible"; text: string } | { disposition: "empty" } {
  const trimmed = text.trim();
  if (!trimmed) return { disposition: "empty" };
  if (trimmed.length <= MAX_CHARS) return { disposition: "visible", text: trimmed };
  return { disposition: "visible", text: `${trimmed.slice(0, MAX_CHARS - 1).trimEnd()}…` };
}
