// The "## Memory Recall" section of the system prompt, worded as the reference's: when the run
// offers memory_search and/or memory_get, the model is told to search before answering about the
// past, and whether to cite `Source: <path#line>`.

/** The section's lines; none when neither memory tool is offered. */
export function memoryRecallSection(tools: ReadonlySet<string>, citations: "auto" | "on" | "off"): string[] {
  const search = tools.has("memory_search");
  const get = tools.has("memory_get");
  if (!search && !get) return [];
  const guidance = search
    ? `Before answering anything about prior work, decisions, dates, people, preferences, or todos: run memory_search${
      get ? "; for memory-file hits, use memory_get to pull only the needed lines" : ""
    }. If low confidence after search, say you checked.`
    : "Before answering anything about prior work, decisions, dates, people, preferences, or todos that point to a specific memory file: run memory_get to pull only the needed lines. If low confidence after reading, say you checked.";
  const sessions = !search ? [] : [
    tools.has("sessions_search")
      ? `For session hits, use sessions_search with distinctive snippet text (and sessionKey set to the transcript ID when known)${
        tools.has("sessions_history")
          ? ", then sessions_history with the returned sessionKey, messageId, and sessionId for a bounded sanitized excerpt"
          : "; exact session history is unavailable with the enabled tools"
      }.`
      : tools.has("sessions_history")
      ? "For session hits, use sessions_history with a known session key or transcript ID and a small limit; paginate its returned history metadata to locate the excerpt."
      : "Session hits are search snippets only; exact session history is unavailable with the enabled tools.",
    "Session search line numbers are not history offsets. Never read raw transcript files to expand session hits.",
  ];
  return [
    "## Memory Recall",
    guidance,
    ...sessions,
    "Report partial, unavailable, or stale recall to the user, including returned warning and action guidance.",
    citations === "off"
      ? "Citations are disabled: do not mention file paths or line numbers in replies unless the user explicitly asks."
      : "Citations: include Source: <path#line> when it helps the user verify memory snippets.",
    "",
  ];
}
