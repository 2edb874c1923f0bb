// Skill discovery as the reference does it: `SKILL.md` folders under each skill root (up to six
// levels deep; a folder with a SKILL.md is not searched further), the roots in precedence order
// (workspace `skills/`, the workspace's `.agents/skills/`, `~/.agents/skills` with the default
// state dir only, the state dir's `skills/` (managed), the agent's workshop folder, then
// `skills.load.extraDirs`); a name found in several roots is taken from the highest. This gateway
// ships no bundled skills. Files are read afresh on each call: skills edited on disk apply to
// the next run without a watcher.
import { join, resolve } from "node:path";
import type { AgentSkillsSettings } from "../../config/resolve_knowledge.ts";
import { discoverSkillDirs } from "./skill_discovery.ts";
import type { AbsentPaths } from "../../state/absent_paths.ts";
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

/** Reads one skill folder; a diagnostic instead when its SKILL.md is unreadable or lacks name/description. */
export async function readSkill(
  dir: string,
  source: SkillSource,
): Promise<{ skill: SkillEntry } | { diagnostic: SkillDiagnostic }> {
  const filePath = resolve(dir, "SKILL.md");
  let raw: string;
  try {
    const stat = await Deno.stat(filePath);
    if (stat.size > MAX_SKILL_FILE_BYTES) return { diagnostic: { path: filePath, message: "file too large" } };
    raw = await Deno.readTextFile(filePath);
  } catch (error) {
    return { diagnostic: { path: filePath, message: error instanceof Error ? error.message : String(error) } };
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

/** Every skill of the roots, one per name (the highest root wins), sorted by name; `absent` keeps roots known absent. */
export async function loadSkills(
  roots: readonly SkillRoot[],
  absent?: AbsentPaths,
): Promise<{ skills: SkillEntry[]; diagnostics: SkillDiagnostic[] }> {
  const byName = new Map<string, SkillEntry>();
  const diagnostics: SkillDiagnostic[] = [];
  for (const root of roots) {
    // The reference holds its managed and personal roots to no containment: links there are the user's own.
    const enforceContainment = root.source !== "openclaw-managed" && root.source !== "agents-skills-personal";
    const found = await discoverSkillDirs(root.dir, { enforceContainment, absent });
    diagnostics.push(...found.diagnostics);
    let loaded = 0;
    for (const dir of found.dirs) {
      if (loaded >= MAX_SKILLS_LOADED_PER_SOURCE) break;
      const read = await readSkill(dir, root.source);
      if ("diagnostic" in read) {
        diagnostics.push(read.diagnostic);
        continue;
      }
      loaded += 1;
      if (!byName.has(read.skill.name)) byName.set(read.skill.name, read.skill);
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
  /** Roots known absent, kept between runs (state/absent_paths.ts); every root is looked up without it. */
  absent?: AbsentPaths | undefined;
}): Promise<{ skills: SkillEntry[]; diagnostics: SkillDiagnostic[] }> {
  return loadSkills(skillRoots({ ...input, extraDirs: input.settings?.extraDirs ?? [] }), input.absent);
}
