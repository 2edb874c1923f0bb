/**
 * The system prompt a run sends: the agent's workspace bootstrap files, chosen for the session's
 * kind, capped per file and in total, and rendered as the reference's "Project Context". Pure:
 * the files are read by workspace_files.ts, so this stays table-driven and testable.
 */

/** Per-file cap when `bootstrapMaxChars` is unset (the reference's default). */
export const DEFAULT_BOOTSTRAP_MAX_CHARS = 20_000;
/** Cap across all injected files when `bootstrapTotalMaxChars` is unset. */
export const DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS = 60_000;
/** USER.md's own cap: the setting may lower it, never raise it. */
export const USER_BOOTSTRAP_MAX_CHARS = 4_000;
/** Below this many chars left in the total budget, further files are skipped. */
const MIN_FILE_BUDGET_CHARS = 64;
const HEAD_RATIO = 0.75;
const TAIL_RATIO = 0.25;
/** A full marker is used only when this much content still fits beside it. */
const MIN_TRIMMED_CONTENT_CHARS = 16;

/** The kinds of session whose prompts differ (the reference derives them from the session key). */
export type SessionKind = "main" | "group" | "subagent" | "cron";

/**
 * The bootstrap files in prompt order, with the session kinds that receive each. An `expected`
 * file that is missing is still listed, as the reference's `[MISSING] Expected at: <path>`.
 */
export const BOOTSTRAP_FILES: readonly { name: string; kinds: readonly SessionKind[]; expected?: true }[] = [
  { name: "AGENTS.md", kinds: ["main", "group", "subagent", "cron"], expected: true },
  { name: "SOUL.md", kinds: ["main", "group", "cron"], expected: true },
  { name: "IDENTITY.md", kinds: ["main", "group", "cron"], expected: true },
  { name: "USER.md", kinds: ["main", "group", "cron"] },
  // TOOLS.md is no longer seeded by the reference (its doctor folds it into AGENTS.md), but a
  // workspace that still has one gets it injected at this place in the order.
  { name: "TOOLS.md", kinds: ["main", "group"] },
  { name: "BOOTSTRAP.md", kinds: ["main", "group"] },
  // Long-term memory is private: only direct (main) sessions see it.
  { name: "MEMORY.md", kinds: ["main"] },
];

/** One bootstrap file as read from the workspace; `missing` when an expected file is absent. */
export interface BootstrapFile {
  name: string;
  path: string;
  content: string;
  missing?: boolean;
}

/** Whether an absent file of this name is shown as missing rather than skipped. */
export function isExpectedFile(name: string): boolean {
  return BOOTSTRAP_FILES.some((file) => file.name === name && file.expected === true);
}

/** Limits from `agents.defaults` / `agents.entries.<id>` (`bootstrapMaxChars`, `bootstrapTotalMaxChars`). */
export interface BootstrapLimits {
  maxChars: number;
  totalMaxChars: number;
}

/** The session's kind from its key, as the reference reads it: subagent, cron, group/channel, else main. */
export function sessionKindOf(sessionKey: string): SessionKind {
  const raw = sessionKey.trim().toLowerCase();
  const parts = raw.split(":");
  const rest = parts[0] === "agent" && parts.length >= 3 ? parts.slice(2) : parts;
  if (rest[0] === "subagent") return "subagent";
  if (rest[0] === "cron") return "cron";
  // `<channel>:group:<id>`, `<channel>:<account>:group:<id>`, `group:<id>` (and `channel` likewise).
  const peerKindAt = [0, 1, 2].find((i) => (rest[i] === "group" || rest[i] === "channel") && rest[i + 1]);
  return peerKindAt === undefined ? "main" : "group";
}

/** The names of the files a session of this kind receives, in prompt order. */
export function bootstrapNamesFor(kind: SessionKind): string[] {
  return BOOTSTRAP_FILES.filter((file) => file.kinds.includes(kind)).map((file) => file.name);
}

/**
 * Cuts `content` to `maxChars`, keeping its head (75%) and tail (25%) around the reference's
 * marker naming the file to read in full; a compact marker when the full one leaves no room.
 */
export function trimBootstrapContent(
  content: string,
  name: string,
  maxChars: number,
): { content: string; truncated: boolean } {
  const trimmed = content.trimEnd();
  if (trimmed.length <= maxChars) return { content: trimmed, truncated: false };
  const full = (head: number, tail: number) =>
    [
      "",
      `[...truncated, read ${name} for full content...]`,
      `…(truncated ${name}: kept ${head}+${tail} chars of ${trimmed.length})…`,
      "",
    ].join("\n");
  const compact = (head: number, tail: number) => `[…truncated ${head}+${tail}/${trimmed.length}]`;
  const separators = (head: number, tail: number, marker: string) =>
    marker.includes("\n") ? Number(head > 0) + Number(tail > 0) : 0;
  const template = maxChars - full(0, 0).length - 2 >= MIN_TRIMMED_CONTENT_CHARS ? full : compact;
  let head = 0;
  let tail = 0;
  let marker = template(0, 0);
  // The marker's own length depends on the counts it prints: settle them in a few rounds.
  for (let round = 0; round < 3; round += 1) {
    const budget = Math.max(0, maxChars - marker.length - separators(head, tail, marker));
    const nextHead = Math.floor(budget * HEAD_RATIO);
    const nextTail = Math.floor(budget * TAIL_RATIO);
    const nextMarker = template(nextHead, nextTail);
    if (nextHead === head && nextTail === tail && nextMarker.length === marker.length) break;
    [head, tail, marker] = [nextHead, nextTail, nextMarker];
  }
  let length = head + tail + marker.length + separators(head, tail, marker);
  while (length > maxChars && (head > 0 || tail > 0)) {
    const overflow = length - maxChars;
    if (tail > 0) tail = Math.max(0, tail - overflow);
    else head = Math.max(0, head - overflow);
    marker = template(head, tail);
    length = head + tail + marker.length + separators(head, tail, marker);
  }
  const parts = [trimmed.slice(0, head), marker, tail > 0 ? trimmed.slice(-tail) : ""].filter((p) => p.length > 0);
  const out = parts.join(marker.includes("\n") ? "\n" : "");
  return { content: out.slice(0, maxChars), truncated: true };
}

function clampToBudget(content: string, budget: number): string {
  if (budget <= 0) return "";
  if (content.length <= budget) return content;
  return budget <= 3 ? content.slice(0, budget) : `${content.slice(0, budget - 1)}…`;
}

/**
 * The files as injected: each within its cap (USER.md at most {@link USER_BOOTSTRAP_MAX_CHARS}),
 * all within the total; files past an exhausted total are dropped. Names the files cut short.
 */
export function budgetBootstrapFiles(
  files: readonly BootstrapFile[],
  limits: BootstrapLimits,
): { files: BootstrapFile[]; truncated: string[] } {
  let remaining = Math.max(1, Math.floor(limits.totalMaxChars));
  const out: BootstrapFile[] = [];
  const truncated: string[] = [];
  for (const file of files) {
    if (file.missing) {
      const marker = clampToBudget(`[MISSING] Expected at: ${file.path}`, remaining);
      if (!marker) break;
      remaining = Math.max(0, remaining - marker.length);
      out.push({ ...file, content: marker });
      continue;
    }
    if (remaining < MIN_FILE_BUDGET_CHARS) {
      if (file.content.trim()) truncated.push(file.name);
      continue;
    }
    const cap = file.name === "USER.md" ? Math.min(limits.maxChars, USER_BOOTSTRAP_MAX_CHARS) : limits.maxChars;
    const trimmed = trimBootstrapContent(file.content, file.name, Math.max(1, Math.min(cap, remaining)));
    const content = clampToBudget(trimmed.content, remaining);
    // Blank files are skipped: they would only add a heading.
    if (!content.trim()) continue;
    if (trimmed.truncated || content.length < trimmed.content.length) truncated.push(file.name);
    remaining = Math.max(0, remaining - content.length);
    out.push({ ...file, content });
  }
  return { files: out, truncated };
}

/** The notice the reference adds (without per-file detail) when any file was cut short. */
export const TRUNCATION_NOTICE = [
  "[Bootstrap truncation warning]",
  "Some workspace bootstrap files were truncated before Project Context injection.",
  "Treat Project Context as partial and read the relevant files directly if details seem missing.",
].join("\n");

/** The lines introducing the files the prompt carries, keyed by file name. */
const FILE_GUIDANCE: readonly [string, string][] = [
  ["SOUL.md", "SOUL.md: persona/tone. Follow it unless higher-priority instructions override."],
  [
    "MEMORY.md",
    "MEMORY.md: durable non-profile facts and decisions; use when relevant unless higher-priority instructions override.",
  ],
  [
    "USER.md",
    "USER.md: durable user preferences and profile directives; follow unless higher-priority instructions override.",
  ],
];

/**
 * The system prompt: the identity line, the working directory, the truncation notice when due,
 * and the files under "# Project Context", each headed by its path, in the reference's wording.
 */
export function renderSystemPrompt(input: {
  workspace: string;
  files: readonly BootstrapFile[];
  truncated: readonly string[];
  /** Sections the reference places before "## Workspace" (skills, memory recall), already rendered. */
  sections?: readonly string[] | undefined;
}): string {
  const lines = [
    "You are a personal assistant running inside OpenClaw.",
    ...(input.sections ?? []),
    "## Workspace",
    `Working directory: ${input.workspace}`,
    "Single global file workspace unless explicitly told otherwise.",
  ];
  if (input.truncated.length > 0) lines.push("## Bootstrap Context Notice", TRUNCATION_NOTICE);
  lines.push("## Workspace Files (injected)", "User-editable; OpenClaw loads below as Project Context.");
  if (input.files.length > 0) {
    lines.push("# Project Context", "Loaded project context:");
    for (const [name, line] of FILE_GUIDANCE) if (input.files.some((f) => f.name === name)) lines.push(line);
    for (const file of input.files) lines.push(`## ${file.path}`, file.content);
  }
  // The reference joins its non-empty lines: no blank line between sections or files.
  return lines.filter((line) => line.length > 0).join("\n");
}
