// A session's trajectory bundle, built in memory as the reference builds it: the active transcript branch
// turned into transcript events, merged with the runtime events by time (runtime first on a tie), every
// value redacted (trajectory_redaction.ts), and the files with their manifest. Pure: reading the rows
// and writing the files is trajectory_export.ts.
import {
  artifactsCapture,
  type CaptureHeader,
  metadataCapture,
  promptsCapture,
  runtimeContext,
  type TrajectoryEvent,
} from "./trajectory_captures.ts";
import { sanitizeDiagnosticPayload } from "./trajectory_projection.ts";
import { redactTokens } from "./secret_text_redaction.ts";
import { redactExportValue, type RedactionPlaces, redactPathString } from "./trajectory_redaction.ts";

/** One file of a bundle. */
export interface BundleFile {
  path: string;
  mediaType: string;
  content: string;
}

/** What a bundle is built from. */
export interface BundleInput {
  sessionId: string;
  sessionKey: string;
  /** The transcript's stored events, in order (the `session` header first). */
  transcript: readonly Record<string, unknown>[];
  /** The runtime events, in order. */
  runtime: readonly TrajectoryEvent[];
  places: RedactionPlaces;
  now: () => Date;
}

/** A built bundle: its files (manifest first) and the counts the command reports. */
export interface Bundle {
  files: BundleFile[];
  supplementalFiles: string[];
  eventCount: number;
  runtimeEventCount: number;
  transcriptEventCount: number;
}

const CANONICAL_TYPES = new Set([
  "message",
  "thinking_level_change",
  "model_change",
  "compaction",
  "reset",
  "branch_summary",
  "custom",
  "custom_message",
  "label",
  "session_info",
]);

type Entry = Record<string, unknown> & { id: string; parentId?: unknown; type: string };

/**
 * The active branch, as the reference walks it: from the current leaf (the last entry written, or the
 * target of a later `leaf` navigation) back through the parents, an entry without `parentId` hanging off
 * the leaf before it, and a `leaf` row standing for its target. Each entry carries the parent it was
 * reached from.
 */
export function activeBranch(entries: readonly Record<string, unknown>[]): { leafId: string | null; branch: Entry[] } {
  const nodes = new Map<string, { entry: Record<string, unknown>; parentId: string | null; canonical: boolean }>();
  let leafId: string | null = null;
  for (const entry of entries) {
    if (typeof entry.id !== "string" || entry.type === "session") continue;
    const isLeaf = entry.type === "leaf";
    const canonical = CANONICAL_TYPES.has(entry.type as string);
    if (!isLeaf && !canonical) continue;
    const stated = Object.hasOwn(entry, "parentId") ? entry.parentId : leafId;
    let parentId = typeof stated === "string" ? stated : null;
    // A parent that is a `leaf` row means the entry it selected.
    for (
      const seen = new Set<string>();
      parentId && nodes.get(parentId)?.entry.type === "leaf" && !seen.has(parentId);
    ) {
      seen.add(parentId);
      parentId = nodes.get(parentId)!.parentId;
    }
    if (isLeaf) {
      const target = typeof entry.targetId === "string" ? entry.targetId : null;
      nodes.set(entry.id, { entry, parentId: target, canonical: false });
      leafId = target;
      continue;
    }
    nodes.set(entry.id, { entry, parentId, canonical });
    leafId = entry.id;
  }
  const branch: Entry[] = [];
  const seen = new Set<string>();
  let child: Entry | undefined;
  for (let id = leafId; id && !seen.has(id);) {
    seen.add(id);
    const node = nodes.get(id);
    if (!node) break;
    if (node.canonical) {
      const entry = { ...node.entry, parentId: node.parentId } as Entry;
      if (child) child.parentId = entry.id;
      branch.unshift(entry);
      child = entry;
    }
    id = node.parentId;
  }
  return { leafId, branch };
}

function timestamp(value: unknown): string {
  const date = typeof value === "number" || typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

function messageType(role: unknown): string {
  if (role === "user") return "user.message";
  if (role === "assistant") return "assistant.message";
  if (role === "toolResult") return "tool.result";
  return `message.${role}`;
}

function toolCalls(message: Record<string, unknown>): { id?: string; name?: string; args: unknown; index: number }[] {
  if (message.role !== "assistant" || !Array.isArray(message.content)) return [];
  return message.content.flatMap((block: unknown, index: number) => {
    if (!block || typeof block !== "object") return [];
    const b = block as Record<string, unknown>;
    const type = typeof b.type === "string" ? b.type.trim().toLowerCase() : "";
    if (type !== "toolcall" && type !== "tooluse" && type !== "functioncall") return [];
    return [{
      ...(typeof b.id === "string" ? { id: b.id } : {}),
      ...(typeof b.name === "string" ? { name: b.name } : {}),
      args: b.arguments ?? b.input ?? b.parameters,
      index,
    }];
  });
}

/** The data of each transcript event an entry yields (a message, then its tool calls), by type. */
function entryEvents(entry: Entry): [string, Record<string, unknown>][] {
  const s = sanitizeDiagnosticPayload;
  switch (entry.type) {
    case "message": {
      const message = (entry.message ?? {}) as Record<string, unknown>;
      return [
        [messageType(message.role), { message: s(message) }],
        ...toolCalls(message).map((call) =>
          [
            "tool.call",
            {
              toolCallId: call.id,
              name: call.name,
              arguments: s(call.args),
              assistantEntryId: entry.id,
              blockIndex: call.index,
            },
          ] as [string, Record<string, unknown>]
        ),
      ];
    }
    case "compaction":
      return [["session.compaction", {
        summary: entry.summary,
        firstKeptEntryId: entry.firstKeptEntryId,
        tokensBefore: entry.tokensBefore,
        details: s(entry.details),
        fromHook: entry.fromHook ?? false,
      }]];
    case "reset":
      return [["session.reset", { reason: entry.reason, firstKeptEntryId: entry.firstKeptEntryId }]];
    case "branch_summary":
      return [["session.branch_summary", {
        fromId: entry.fromId,
        summary: entry.summary,
        details: s(entry.details),
        fromHook: entry.fromHook ?? false,
      }]];
    case "custom":
      return [["session.custom", { customType: entry.customType, data: s(entry.data) }]];
    case "custom_message":
      return [["session.custom_message", {
        customType: entry.customType,
        content: s(entry.content),
        details: s(entry.details),
        display: entry.display,
      }]];
    case "thinking_level_change":
      return [["session.thinking_level_change", { thinkingLevel: entry.thinkingLevel }]];
    case "model_change":
      return [["session.model_change", { provider: entry.provider, modelId: entry.modelId }]];
    case "label":
      return [["session.label", { targetId: entry.targetId, label: entry.label }]];
    case "session_info":
      return [["session.info", { name: entry.name }]];
    default:
      return [];
  }
}

function transcriptEvents(branch: readonly Entry[], input: BundleInput): TrajectoryEvent[] {
  const events: TrajectoryEvent[] = [];
  for (const entry of branch) {
    for (const [type, data] of entryEvents(entry)) {
      events.push({
        traceSchema: "openclaw-trajectory",
        schemaVersion: 1,
        traceId: input.sessionId,
        source: "transcript",
        type,
        ts: timestamp(entry.timestamp),
        seq: 0,
        sourceSeq: events.length + 1,
        sessionId: input.sessionId,
        sessionKey: input.sessionKey,
        workspaceDir: input.places.workspaceDir,
        entryId: entry.id,
        parentEntryId: entry.parentId,
        data,
      });
    }
  }
  return events;
}

const SOURCE_ORDER: Record<string, number> = { runtime: 0, transcript: 1, export: 2 };

/** The timeline: by timestamp, runtime before transcript on a tie, then each source's own order; renumbered. */
function sortEvents(events: TrajectoryEvent[]): TrajectoryEvent[] {
  const order = (e: TrajectoryEvent) => (e.sourceSeq ?? e.seq) as number;
  const sorted = events.toSorted((a, b) =>
    (a.ts as string).localeCompare(b.ts as string) ||
    (SOURCE_ORDER[a.source as string] ?? 0) - (SOURCE_ORDER[b.source as string] ?? 0) || order(a) - order(b)
  );
  sorted.forEach((event, index) => event.seq = index + 1);
  return sorted;
}

function jsonFile(path: string, value: unknown): BundleFile {
  return { path, mediaType: "application/json", content: `${JSON.stringify(value, null, 2)}\n` };
}

function sweep(file: BundleFile): BundleFile {
  return { ...file, content: redactTokens(file.content) };
}

/** Builds the bundle of one session. */
export function buildBundle(input: BundleInput): Bundle {
  const places = input.places;
  const redact = (value: unknown) => redactExportValue(value, places);
  const header = input.transcript.find((e) => e.type === "session") ?? null;
  const { leafId, branch } = activeBranch(input.transcript);
  const runtime = input.runtime;
  const transcript = transcriptEvents(branch, input);
  const raw = sortEvents([...runtime.map((e) => ({ ...e })), ...transcript]);
  const events = raw.map((event) => redact(event));
  const ids: CaptureHeader = { traceId: input.sessionId, sessionId: input.sessionId, sessionKey: input.sessionKey };
  const manifest: Record<string, unknown> = {
    traceSchema: "openclaw-trajectory",
    schemaVersion: 1,
    generatedAt: input.now().toISOString(),
    traceId: input.sessionId,
    sessionId: input.sessionId,
    sessionKey: input.sessionKey,
    workspaceDir: redactPathString(places.workspaceDir, places),
    leafId,
    eventCount: events.length,
    runtimeEventCount: runtime.length,
    transcriptEventCount: transcript.length,
    sourceFiles: { session: redactPathString(input.sessionKey, places) },
  };
  const files: BundleFile[] = [];
  const supplementalFiles: string[] = [];
  const context = runtimeContext(runtime);
  const captures: [string, Record<string, unknown> | undefined][] = [
    ["metadata.json", metadataCapture(ids, runtime, raw, input.now)],
    ["artifacts.json", artifactsCapture(ids, runtime, input.now)],
    ["prompts.json", promptsCapture(ids, runtime, input.now)],
  ];
  for (const [name, capture] of captures) {
    if (!capture) continue;
    files.push(jsonFile(name, redact(capture)));
    supplementalFiles.push(name);
  }
  if (supplementalFiles.length > 0) manifest.supplementalFiles = supplementalFiles;
  const lines = events.map((event) => JSON.stringify(event));
  files.push({ path: "events.jsonl", mediaType: "application/x-ndjson", content: `${lines.join("\n")}\n` });
  files.push(jsonFile("session-branch.json", redact({ header, leafId, entries: branch })));
  if (context.systemPrompt) {
    const text = redact(context.systemPrompt) as string;
    files.push({
      path: "system-prompt.txt",
      mediaType: "text/plain; charset=utf-8",
      content: text.endsWith("\n") ? text : `${text}\n`,
    });
  }
  if (context.tools) files.push(jsonFile("tools.json", redact(context.tools)));
  const swept = files.map(sweep);
  manifest.contents = swept.map((f) => ({
    path: f.path,
    mediaType: f.mediaType,
    bytes: new TextEncoder().encode(f.content).length,
  }));
  const manifestFile = sweep(jsonFile("manifest.json", redact(manifest)));
  return {
    files: [manifestFile, ...swept],
    supplementalFiles,
    eventCount: events.length,
    runtimeEventCount: runtime.length,
    transcriptEventCount: transcript.length,
  };
}
