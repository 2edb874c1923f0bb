// Renders what a client visit recorded (FrameLog) as the markdown list of methods each page or
// screen calls, with the params sent and the shape of the answers and events, for
// tools/record_reference_clients.ts.
import type { FrameLog, RecordedRequest } from "./ws_frame_log.ts";

/** The key paths of a JSON value down to `depth` (arrays as `[]`, first element stands for all). */
export function shapeOf(value: unknown, depth = 2, prefix = ""): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0 || depth < 0) return [`${prefix}[]`];
    return shapeOf(value[0], depth, `${prefix}[]`);
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return [`${prefix}{}`];
    if (depth <= 0) return [`${prefix}{${keys.join(",")}}`];
    return keys.flatMap((key) =>
      shapeOf((value as Record<string, unknown>)[key], depth - 1, prefix ? `${prefix}.${key}` : key)
    );
  }
  return [`${prefix || "(value)"}: ${value === null ? "null" : typeof value}`];
}

function answerText(requests: RecordedRequest[]): string {
  const answered = requests.find((r) => r.answer?.ok) ?? requests.find((r) => r.answer);
  if (!answered?.answer) return "(no answer)";
  if (!answered.answer.ok) return `error ${answered.answer.error?.code}: ${answered.answer.error?.message}`;
  const shape = shapeOf(answered.answer.payload, 1);
  const text = shape.join(", ");
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

function paramsText(requests: RecordedRequest[]): string {
  const distinct = [...new Set(requests.map((r) => JSON.stringify(r.params ?? null)))];
  const shown = distinct.slice(0, 3).map((p) => p.length > 300 ? `${p.slice(0, 300)}…` : p);
  return shown.join(" ; ") + (distinct.length > 3 ? ` ; (+${distinct.length - 3} more)` : "");
}

/** Markdown for one client's visit: per section, every method with count, params and answer shape. */
export function renderVisit(title: string, log: FrameLog): string {
  const lines = [`## ${title}`, ""];
  const sections = [...new Set(log.requests.map((r) => r.section))];
  for (const section of sections) {
    const requests = log.requests.filter((r) => r.section === section);
    const methods = [...new Set(requests.map((r) => r.method))];
    lines.push(`### ${section} (${requests.length} requests, ${methods.length} methods)`, "");
    lines.push(`Methods: ${methods.map((m) => `\`${m}\``).join(", ")}`, "");
    lines.push("| method | sent | params sent | answer (top-level keys) |", "|---|---|---|---|");
    for (const method of methods) {
      const calls = requests.filter((r) => r.method === method);
      const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
      lines.push(`| \`${method}\` | ${calls.length} | ${cell(paramsText(calls))} | ${cell(answerText(calls))} |`);
    }
    const events = log.events.filter((e) => e.section === section);
    if (events.length > 0) {
      const counts = new Map<string, number>();
      for (const event of events) counts.set(event.event, (counts.get(event.event) ?? 0) + 1);
      lines.push("", `Events received: ${[...counts].map(([name, n]) => `\`${name}\` ×${n}`).join(", ")}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** Markdown for the event payload shapes seen in a visit (one line per event name). */
export function renderEvents(log: FrameLog): string {
  const seen = new Map<string, string>();
  for (const event of log.events) {
    if (!seen.has(event.event)) seen.set(event.event, shapeOf(event.payload, 1).join(", "));
  }
  return [...seen].map(([name, shape]) => `- \`${name}\`: ${shape.length > 500 ? `${shape.slice(0, 500)}…` : shape}`)
    .join("\n");
}
