// The supplemental files of a trajectory bundle, built from the session's runtime events as the reference
// builds them: metadata.json (harness, model, config, plugins, skills, from the latest `trace.metadata`),
// artifacts.json (the last run's outcome: `trace.artifacts`, `model.completed`, `session.ended`) and
// prompts.json (the submitted prompts and prompt-building details). Each is absent when its events are.

/** One event of the bundle timeline (runtime or transcript). */
export type TrajectoryEvent = Record<string, unknown> & { type: string; data?: Record<string, unknown> };

/** What every capture repeats from the manifest. */
export interface CaptureHeader {
  traceId: string;
  sessionId: string;
  sessionKey: string;
}

type Data = Record<string, unknown> | undefined;

function head(header: CaptureHeader, now: () => Date): Record<string, unknown> {
  return {
    traceSchema: "openclaw-trajectory",
    schemaVersion: 1,
    generatedAt: now().toISOString(),
    traceId: header.traceId,
    sessionId: header.sessionId,
    sessionKey: header.sessionKey,
  };
}

function latestData(events: readonly TrajectoryEvent[], type: string): Data {
  return events.findLast((event) => event.type === type)?.data;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

/** Strings under path-like keys (or naming a SKILL.md) anywhere in a tool call's arguments. */
function pathStrings(value: unknown, found = new Set<string>()): Set<string> {
  if (!value || typeof value !== "object") return found;
  if (Array.isArray(value)) {
    for (const entry of value) pathStrings(entry, found);
    return found;
  }
  for (const [key, entry] of Object.entries(value)) {
    if (
      typeof entry === "string" &&
      (key.toLowerCase().includes("path") || entry.endsWith("SKILL.md") || entry.endsWith("skill.md"))
    ) found.add(entry);
    else pathStrings(entry, found);
  }
  return found;
}

function normalizePath(value: string): string {
  return value.replaceAll("\\", "/").trim().toLowerCase();
}

/** The skills list with each entry marked `invoked` when a tool call read its file. */
function markInvokedSkills(skills: unknown, events: readonly TrajectoryEvent[]): unknown {
  const skillsRecord = record(skills);
  const entries = skillsRecord?.entries;
  if (!skillsRecord || !Array.isArray(entries) || entries.length === 0) return skills;
  const invokedPaths = new Set<string>();
  for (const event of events) {
    if (event.type === "tool.call") { for (const path of pathStrings(event.data?.arguments)) invokedPaths.add(path); }
  }
  const normalized = [...invokedPaths].map(normalizePath);
  return {
    ...skillsRecord,
    entries: entries.map((entry: Record<string, unknown>) => {
      const raw = typeof entry.filePath === "string" ? entry.filePath : undefined;
      const path = raw ? normalizePath(raw) : undefined;
      const dir = raw?.replaceAll("\\", "/").split("/").slice(-2, -1)[0]?.toLowerCase();
      const invoked = path
        ? normalized.some((c) => c === path || c.endsWith(path) || (dir ? c.endsWith(`/${dir}/skill.md`) : false))
        : false;
      return invoked
        ? { ...entry, invoked, invocationDetectedBy: "tool-call-file-path" }
        : { ...entry, invoked: false };
    }),
  };
}

/** metadata.json, or undefined when no `trace.metadata` event was captured. */
export function metadataCapture(
  header: CaptureHeader,
  runtime: readonly TrajectoryEvent[],
  events: readonly TrajectoryEvent[],
  now: () => Date,
): Record<string, unknown> | undefined {
  const metadata = latestData(runtime, "trace.metadata");
  if (!metadata) return undefined;
  const latest = runtime.findLast((event) => event.provider || event.modelId || event.modelApi);
  const fallback = latest?.provider || latest?.modelId || latest?.modelApi
    ? { provider: latest.provider, name: latest.modelId, api: latest.modelApi }
    : undefined;
  return {
    ...head(header, now),
    harness: metadata.harness,
    model: metadata.model ?? fallback,
    config: metadata.config,
    plugins: metadata.plugins,
    skills: markInvokedSkills(metadata.skills, events),
    prompting: metadata.prompting,
    redaction: metadata.redaction,
    metadata: metadata.metadata,
  };
}

/** The runtime events of the last run (from its `session.started`, or its `session.ended`). */
function lastRun(runtime: readonly TrajectoryEvent[]): TrajectoryEvent[] {
  const start = runtime.findLastIndex((event) => event.type === "session.started");
  const ended = start < 0
    ? runtime.filter((e) => e.type === "session.ended" && isFiniteNumber(e.data?.startedAt))
      .toSorted((a, b) => Number(a.data?.startedAt) - Number(b.data?.startedAt)).at(-1) ??
      runtime.findLast((e) => e.type === "session.ended")
    : undefined;
  const runId = runtime[start]?.runId ?? ended?.runId ?? runtime.at(-1)?.runId;
  const end = ended ? runtime.lastIndexOf(ended) + 1 : runtime.length;
  const from = ended
    ? runtime.findLastIndex((e, i) => i < end - 1 && e.type === "session.ended" && e.runId === runId) + 1
    : start;
  return runtime.slice(Math.max(0, from), end).filter((e) => runId === undefined || e.runId === runId);
}

/** artifacts.json, or undefined when the last run left no outcome events. */
export function artifactsCapture(
  header: CaptureHeader,
  runtime: readonly TrajectoryEvent[],
  now: () => Date,
): Record<string, unknown> | undefined {
  const run = lastRun(runtime);
  const a = latestData(run, "trace.artifacts");
  const c = latestData(run, "model.completed");
  const e = latestData(run, "session.ended");
  if (!a && !c && !e) return undefined;
  return {
    ...head(header, now),
    finalStatus: a?.finalStatus ?? e?.status,
    aborted: a?.aborted ?? e?.aborted,
    externalAbort: a?.externalAbort ?? e?.externalAbort,
    timedOut: a?.timedOut ?? e?.timedOut,
    idleTimedOut: a?.idleTimedOut ?? e?.idleTimedOut,
    timedOutDuringCompaction: a?.timedOutDuringCompaction ?? e?.timedOutDuringCompaction,
    timedOutDuringToolExecution: a?.timedOutDuringToolExecution ?? e?.timedOutDuringToolExecution,
    timedOutByRunBudget: a?.timedOutByRunBudget ?? e?.timedOutByRunBudget,
    promptError: a?.promptError ?? e?.promptError ?? c?.promptError,
    promptErrorSource: a?.promptErrorSource ?? c?.promptErrorSource,
    terminalError: a?.terminalError ?? e?.terminalError ?? c?.terminalError,
    usage: a?.usage ?? c?.usage,
    promptCache: a?.promptCache ?? c?.promptCache,
    compactionCount: a?.compactionCount ?? c?.compactionCount,
    assistantTexts: a?.assistantTexts ?? c?.assistantTexts,
    stopReason: a?.stopReason ?? c?.stopReason ?? e?.stopReason,
    finalPromptText: a?.finalPromptText ?? c?.finalPromptText,
    finalPromptTextOriginalLength: a?.finalPromptTextOriginalLength ?? c?.finalPromptTextOriginalLength,
    itemLifecycle: a?.itemLifecycle,
    toolMetas: a?.toolMetas,
    didSendViaMessagingTool: a?.didSendViaMessagingTool,
    successfulCronAdds: a?.successfulCronAdds,
    messagingToolSentTexts: a?.messagingToolSentTexts,
    messagingToolSentMediaUrls: a?.messagingToolSentMediaUrls,
    messagingToolSentTargets: a?.messagingToolSentTargets,
    lastToolError: a?.lastToolError,
  };
}

/** The latest compiled context: its system prompt and tool definitions, when captured. */
export function runtimeContext(runtime: readonly TrajectoryEvent[]): { systemPrompt?: string; tools?: unknown[] } {
  const data = latestData(runtime, "context.compiled");
  return {
    ...(typeof data?.systemPrompt === "string" ? { systemPrompt: data.systemPrompt } : {}),
    ...(Array.isArray(data?.tools) ? { tools: data.tools } : {}),
  };
}

/** prompts.json, or undefined when no prompt of any kind was captured. */
export function promptsCapture(
  header: CaptureHeader,
  runtime: readonly TrajectoryEvent[],
  now: () => Date,
): Record<string, unknown> | undefined {
  const prompting = record(latestData(runtime, "trace.metadata")?.prompting);
  const submitted = runtime.filter((e) => e.type === "prompt.submitted").map((e) => e.data?.prompt)
    .filter((p): p is string => typeof p === "string");
  const system = runtimeContext(runtime).systemPrompt;
  const skillsPrompt = typeof prompting?.skillsPrompt === "string" ? prompting.skillsPrompt : undefined;
  const prefix = typeof prompting?.userPromptPrefixText === "string" ? prompting.userPromptPrefixText : undefined;
  const report = typeof prompting?.systemPromptReport === "object" ? prompting.systemPromptReport : undefined;
  if (!system && submitted.length === 0 && !skillsPrompt && !prefix) return undefined;
  return {
    ...head(header, now),
    system,
    submittedPrompts: submitted,
    latestSubmittedPrompt: submitted.at(-1),
    skillsPrompt,
    userPromptPrefixText: prefix,
    systemPromptReport: report,
  };
}
