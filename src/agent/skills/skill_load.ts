// Skill discovery as the reference does it: `SKILL.md` folders under each skill root (up to six
// levels deep; a folder with a SKILL.md is not searched further), the roots in precedence order
// (workspace `skills/`, the workspace's `.agents/skills/`, `~/.agents/skills` with the default
// state dir only, the state dir's `skills/` (managed), the agent's workshop folder, then
// `skills.load.extraDirs`); a name found in several roots is taken from the highest. This gateway
// ships no bundled skills. Skills edited on disk apply to the next run without a watcher: a run's roots
// are walked afresh, or kept while unchanged (kept_skill_roots.ts).
import { join, resolve } from "node:path";
import type { AgentSkillsSettings } from "../../config/resolve_knowledge.ts";
import { discoverSkillDirs } from "./skill_discovery.ts";
import { keepRoot, keptRootResult, type KeptSkills, type RootResult, type SkillRead } from "./kept_skill_roots.ts";
import type { DiscoveryTrace } from "./skill_discovery.ts";
import { frontmatterBool, parseFrontmatter, type SkillMetadata, skillMetadata } from "./frontmatter.ts";

/** Where a skill came from, by the reference's source labels. */
export type SkillSource =
  | "openclaw-workspace"
  | "agents-skills-project"
  | "agents-skills-personal"
  | "openclaw-managed"
  | "openclaw-workshop"
  | "openclaw-extra";

/** One loaded skill. */
export interface SkillEntry {
  name: string;
  description: string;
  /** Absolute path of its SKILL.md. */
  filePath: string;
  /** Its folder. */
  baseDir: string;
  source: SkillSource;
  frontmatter: Record<string, string>;
  metadata: SkillMetadata | undefined;
  userInvocable: boolean;
  disableModelInvocation: boolean;
}

/** A SKILL.md that was found but skipped, and why (the reference's "invalid" diagnostics). */
export interface SkillDiagnostic {
  path: string;
  message: string;
}

/** One skill root: its directory and the source label its skills get. */
export interface SkillRoot {
  dir: string;
  source: SkillSource;
}

/** The reference's default `skills.limits.maxSkillFileBytes`. */
const MAX_SKILL_FILE_BYTES = 256_000;
/** The reference's default `skills.limits.maxSkillsLoadedPerSource`. */
const MAX_SKILLS_LOADED_PER_SOURCE = 200;

/** The state dir's managed skills folder (`<stateDir>/skills`). */
export function managedSkillsDir(stateDir: string): string {
  return join(stateDir, "skills");
}

function expandHome(dir: string, home: string | undefined): string {
  return home && (dir === "~" || dir.startsWith("~/")) ? join(home, dir.slice(1)) : dir;
}

/**
 * The roots of one agent, highest precedence first. `home` is the user's home; its
 * `~/.agents/skills` counts only when the state dir is the default `~/.openclaw`.
 */
export function skillRoots(input: {
  workspace: string;
  stateDir: string;
  agentId: string;
  home: string | undefined;
  extraDirs: readonly string[];
}): SkillRoot[] {
  const { workspace, stateDir, home } = input;
  const roots: SkillRoot[] = [
    { dir: join(workspace, "skills"), source: "openclaw-workspace" },
    { dir: join(workspace, ".agents", "skills"), source: "agents-skills-project" },
  ];
  if (home && resolve(stateDir) === resolve(home, ".openclaw")) {
    roots.push({ dir: join(home, ".agents", "skills"), source: "agents-skills-personal" });
  }
  roots.push(
    { dir: managedSkillsDir(stateDir), source: "openclaw-managed" },
    { dir: join(stateDir, "agents", input.agentId, "agent", "workshop-skills"), source: "openclaw-workshop" },
    ...input.extraDirs.map((dir): SkillRoot => ({
      dir: resolve(expandHome(dir.trim(), home)),
      source: "openclaw-extra",
    })),
  );
  return roots;
}

/**
 * Reads one skill folder; a diagnostic instead when its SKILL.md is unreadable (`unreadable`: the stat or read
 * threw, which may pass) or lacks name/description.
 */
export async function readSkill(
  dir: string,
  source: SkillSource,
): Promise<{ skill: SkillEntry } | { diagnostic: SkillDiagnostic; unreadable?: true }> {
  const filePath = resolve(dir, "SKILL.md");
  let raw: string;
  try {
    const stat = await Deno.stat(filePath);
    if (stat.size > MAX_SKILL_FILE_BYTES) return { diagnostic: { path: filePath, message: "file too large" } };
    raw = await Deno.readTextFile(filePath);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { diagnostic: { path: filePath, message }, unreadable: true };
  }
  let frontmatter: Record<string, string>;
  try {
    frontmatter = parseFrontmatter(raw);
  } catch (error) {
    return { diagnostic: { path: filePath, message: error instanceof Error ? error.message : String(error) } };
  }
  const name = frontmatter.name?.trim() || (dir.split("/").filter(Boolean).at(-1) ?? "").trim();
  const description = frontmatter.description?.trim();
  if (!name || !description) {
    return { diagnostic: { path: filePath, message: !name ? "name is required" : "description is required" } };
  }
  return {
    skill: {
      name,
      description,
      filePath,
      baseDir: resolve(dir),
      source,
      frontmatter,
      metadata: skillMetadata(frontmatter),
      userInvocable: frontmatterBool(frontmatter["user-invocable"], true),
      disableModelInvocation: frontmatterBool(frontmatter["disable-model-invocation"], false),
    },
  };
}

/** One root's discovery and its folders' reads: the kept result while it is current, else walked and read now. */
async function rootResult(root: SkillRoot, kept: KeptSkills | undefined): Promise<RootResult> {
  const current = kept && keptRootResult(kept, root);
  if (current) return current;
  // The reference holds its managed and personal roots to no containment: links there are the user's own.
  const enforceContainment = root.source !== "openclaw-managed" && root.source !== "agents-skills-personal";
  const at = kept?.now() ?? 0;
  const trace: DiscoveryTrace | undefined = kept ? { dirs: [], files: [], plain: true } : undefined;
  const found = await discoverSkillDirs(root.dir, { enforceContainment, absent: kept?.absent, trace });
  const reads: SkillRead[] = [];
  let loaded = 0;
  for (const dir of found.dirs) {
    if (loaded >= MAX_SKILLS_LOADED_PER_SOURCE) break;
    const read = await readSkill(dir, root.source);
    reads.push(read);
    if ("skill" in read) loaded += 1;
  }
  const result = { diagnostics: found.diagnostics, reads };
  // A read that threw (too many open files, an I/O error) may pass by the next run: such a root is not kept.
  if (kept && trace && !reads.some((read) => "unreadable" in read)) keepRoot(kept, root, trace, result, at);
  return result;
}

/**
 * Every skill of the roots, one per name (the highest root wins), sorted by name; `kept` holds roots known absent and
 * walked roots' results between calls.
 */
export async function loadSkills(
  roots: readonly SkillRoot[],
  kept?: KeptSkills,
): Promise<{ skills: SkillEntry[]; diagnostics: SkillDiagnostic[] }> {
  const byName = new Map<string, SkillEntry>();
  const diagnostics: SkillDiagnostic[] = [];
  for (const root of roots) {
    const result = await rootResult(root, kept);
    diagnostics.push(...result.diagnostics);
    for (const read of result.reads) {
      if ("diagnostic" in read) diagnostics.push(read.diagnostic);
      else if (!byName.has(read.skill.name)) byName.set(read.skill.name, read.skill);
    }
  }
  const skills = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, "en"));
  return { skills, diagnostics };
}

/** The skills of one agent with its settings (roots from its workspace, the state dir and extraDirs). */
export function loadAgentSkills(input: {
  workspace: string;
  stateDir: string;
  agentId: string;
  settings: AgentSkillsSettings | undefined;
  home: string | undefined;
  /** Roots known absent and walked roots' results, kept between runs (kept_skill_roots.ts); every root is walked without it. */
  kept?: KeptSkills | undefined;
}): Promise<{ skills: SkillEntry[]; diagnostics: SkillDiagnostic[] }> {
  return loadSkills(skillRoots({ ...input, extraDirs: input.settings?.extraDirs ?? [] }), input.kept);
}
