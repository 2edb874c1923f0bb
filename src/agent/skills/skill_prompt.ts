// The skills block of the system prompt, worded and budgeted as the reference's: the eligible,
// model-visible skills sorted by name as `<available_skills>` XML (name, description, location),
// at most `skills.limits.maxSkillsInPrompt` (150) of them within `maxSkillsPromptChars` (18,000),
// falling back to a compact catalog (descriptions shortened, then omitted, then fewer skills)
// with a note pointing at `openclaw skills check`; then the "## Skills" section around it.

const DEFAULT_MAX_SKILLS_IN_PROMPT = 150;
const DEFAULT_MAX_SKILLS_PROMPT_CHARS = 18_000;
const COMPACT_DESCRIPTION_MIN_CHARS = 4;
const DESCRIPTION_MAX_CHARS = 220;

/** A skill as the prompt names it. */
export interface PromptSkill {
  name: string;
  description: string;
  /** Path of its SKILL.md as the model reads it (home shortened to `~`). */
  filePath: string;
}

/** Escapes the five XML specials as the reference does. */
export function escapeSkillXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function truncateDescription(description: string, maxChars: number): string {
  const normalized = description.replace(/\s+/g, " ").trim();
  if (normalized.length <= maxChars) return normalized;
  if (maxChars <= 3) return normalized.slice(0, maxChars);
  return `${normalized.slice(0, maxChars - 3).trimEnd()}...`;
}

function catalog(
  skills: readonly PromptSkill[],
  instructions: string,
  describe: (skill: PromptSkill) => string | undefined,
): string {
  if (skills.length === 0) return "";
  const lines = [
    "\n\nThe following skills provide specialized instructions for specific tasks.",
    instructions,
    "When a skill file references a relative path, resolve it against the skill directory (parent of SKILL.md / dirname of the path) and use that absolute path in tool commands.",
    "",
    "<available_skills>",
  ];
  for (const skill of skills) {
    lines.push("  <skill>", `    <name>${escapeSkillXml(skill.name)}</name>`);
    const description = describe(skill);
    if (description !== undefined) lines.push(`    <description>${escapeSkillXml(description)}</description>`);
    lines.push(`    <location>${escapeSkillXml(skill.filePath)}</location>`, "  </skill>");
  }
  lines.push("</available_skills>");
  return lines.join("\n");
}

type Format = { kind: "full" } | { kind: "compact"; descriptionMaxChars: number };

function render(skills: readonly PromptSkill[], total: number, format: Format, withNote: boolean): string {
  let note = "";
  if (withNote) {
    const detail = format.kind === "compact"
      ? (format.descriptionMaxChars > 0 ? "descriptions shortened" : "descriptions omitted")
      : "";
    if (skills.length < total) {
      note = `⚠️ Skills truncated: included ${skills.length} of ${total}${
        format.kind === "compact" ? ` (compact format, ${detail})` : ""
      }. Run \`openclaw skills check\` to audit.`;
    } else if (format.kind === "compact") {
      note = `⚠️ Skills catalog using compact format (${detail}). Run \`openclaw skills check\` to audit.`;
    }
  }
  const body = format.kind === "full"
    ? catalog(
      skills,
      "Read a skill's file at its listed location when the task matches its description.",
      (s) => s.description,
    )
    : catalog(
      skills,
      format.descriptionMaxChars > 0
        ? "Read a skill's file at its listed location when the task matches its name or description."
        : "Read a skill's file at its listed location when the task matches its name.",
      (s) =>
        format.descriptionMaxChars > 0
          ? truncateDescription(s.description, format.descriptionMaxChars) || undefined
          : undefined,
    );
  return [note, body].filter(Boolean).join("\n");
}

/** The catalog within the limits, and the skills it admitted. */
export function skillsCatalog(
  skills: readonly PromptSkill[],
  limits: { maxSkillsInPrompt?: number | undefined; maxSkillsPromptChars?: number | undefined } = {},
): { prompt: string; admitted: PromptSkill[] } {
  const maxCount = limits.maxSkillsInPrompt ?? DEFAULT_MAX_SKILLS_IN_PROMPT;
  const maxChars = limits.maxSkillsPromptChars ?? DEFAULT_MAX_SKILLS_PROMPT_CHARS;
  const ordered = [...skills].sort((a, b) => a.name.localeCompare(b.name, "en"));
  const total = ordered.length;
  const byCount = ordered.slice(0, Math.max(0, maxCount));
  const within = (list: readonly PromptSkill[], format: Format, withNote = true) => {
    const text = render(list, total, format, withNote);
    return text.length <= maxChars ? text : undefined;
  };
  const compactFits = (list: readonly PromptSkill[], chars: number, withNote = true) =>
    within(list, { kind: "compact", descriptionMaxChars: chars }, withNote) !== undefined;
  const full = within(byCount, { kind: "full" });
  if (full !== undefined) return { prompt: full, admitted: byCount };
  // Keep as many skill identities as the description-free catalog fits (binary search on count).
  const largest = (list: readonly PromptSkill[], withNote: boolean) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (compactFits(list.slice(0, mid), 0, withNote)) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  let chosen = compactFits(byCount, 0) ? byCount : byCount.slice(0, largest(byCount, true));
  if (chosen.length === 0 && byCount.length > 0) {
    const noNote = within(byCount, { kind: "full" }, false);
    if (noNote !== undefined) return { prompt: noNote, admitted: byCount };
    const count = largest(byCount, false);
    if (count > 0) chosen = byCount.slice(0, count);
  }
  const withNote = compactFits(chosen, 0);
  let descriptionMaxChars = 0;
  if (chosen.length > 0 && compactFits(chosen, COMPACT_DESCRIPTION_MIN_CHARS, withNote)) {
    let lo = COMPACT_DESCRIPTION_MIN_CHARS;
    let hi = DESCRIPTION_MAX_CHARS;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (compactFits(chosen, mid, withNote)) lo = mid;
      else hi = mid - 1;
    }
    descriptionMaxChars = lo;
  }
  const prompt = within(chosen, { kind: "compact", descriptionMaxChars }, withNote) ?? "";
  return { prompt, admitted: prompt ? chosen : [] };
}

/** The "## Skills" section lines around a catalog (none when the catalog is empty). */
export function skillsSection(skillsPrompt: string, readToolName = "read"): string[] {
  const trimmed = skillsPrompt.trim();
  if (!trimmed) return [];
  return [
    "## Skills",
    `Scan <available_skills>. Clear match: read exact <location> with \`${readToolName}\`; obey.`,
    "Several: most specific. None: read none.",
    "Up-front max one. Never invent paths.",
    "External writes: batch safely; no tight loops; honor 429/Retry-After.",
    trimmed,
    "",
  ];
}

/**
 * A skill path as the prompt shows it: under the home directory it becomes `~/...`, except in
 * the state dir's managed folder, which `~` may not reach (the reference keeps those absolute).
 */
export function promptSkillPath(
  filePath: string,
  home: string | undefined,
  keepAbsoluteUnder: readonly string[],
): string {
  if (!home || keepAbsoluteUnder.some((root) => filePath === root || filePath.startsWith(`${root}/`))) return filePath;
  const prefix = home.endsWith("/") ? home : `${home}/`;
  return filePath.startsWith(prefix) ? `~/${filePath.slice(prefix.length)}` : filePath;
}
