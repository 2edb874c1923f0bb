// The session-memory hook's artifact, as the reference's bundled handler writes it: the ended session's
// excerpt (sessions/session_memory_excerpt.ts) under a header naming the session and why it ended.

/** Date, time and the `HHMM` filename slug of a moment in a time zone. */
export function localStamp(at: Date, timeZone: string): { date: string; time: string; slug: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return {
    date: `${part("year")}-${part("month")}-${part("day")}`,
    time: `${part("hour")}:${part("minute")}:${part("second")}`,
    slug: `${part("hour")}${part("minute")}`,
  };
}

/** The time zone dates are written in: the configured one when valid, else `TZ`, else the host's. */
export function memoryTimeZone(configured: string | undefined): string {
  const wanted = configured?.trim();
  if (wanted) {
    try {
      // The name is written as configured (not canonicalised), as the reference does.
      new Intl.DateTimeFormat("en-US", { timeZone: wanted });
      return wanted;
    } catch {
      // An unknown zone falls back to the host's.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone?.trim() || "UTC";
}

/** What the artifact records. */
export interface MemoryArtifact {
  date: string;
  time: string;
  timeZone: string;
  sessionKey: string;
  sessionId: string | undefined;
  /** `Source` for a command (`/new`, `/reset`), `Reason` for an automatic reset. */
  boundary: { source: string } | { reason: string };
  excerpt: { content: string | null } | { unavailable: string };
}

/** The Markdown file's text. */
export function memoryMarkdown(artifact: MemoryArtifact): string {
  const boundary = "source" in artifact.boundary
    ? `- **Source**: ${artifact.boundary.source}`
    : `- **Reason**: ${artifact.boundary.reason}`;
  const parts = [
    `# Session: ${artifact.date} ${artifact.time} ${artifact.timeZone}`,
    "",
    `- **Session Key**: ${artifact.sessionKey}`,
    `- **Session ID**: ${artifact.sessionId ?? "unknown"}`,
    boundary,
    "",
  ];
  if ("unavailable" in artifact.excerpt) {
    parts.push(
      "## Conversation Summary",
      "",
      `> Transcript content was unavailable: ${JSON.stringify(artifact.excerpt.unavailable)}`,
      "",
    );
  } else if (artifact.excerpt.content) {
    parts.push("## Conversation Summary", "", artifact.excerpt.content, "");
  }
  return parts.join("\n");
}
