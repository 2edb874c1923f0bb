// Seeding an agent workspace as the reference's `openclaw agents add` does (recorded against
// OpenClaw 2026.9.6): AGENTS.md, SOUL.md, IDENTITY.md and USER.md when absent, BOOTSTRAP.md and
// `git init` only for a brand-new workspace. Files get the process's default modes (0644 under the
// usual umask, directories 0755) as the reference's do; an existing file is never touched.
import { mergeIdentityMarkdown } from "../config/identity_markdown.ts";
import { BOOTSTRAP_TEMPLATE, PROFILE_TEMPLATES } from "./workspace_templates.ts";
import { entryExists } from "./entry_exists.ts";
import { readWorkspaceText, writeWorkspaceFile } from "./workspace_file.ts";

/** What seeding did. */
export interface SeededWorkspace {
  dir: string;
  /** The files this call created, in order. */
  created: string[];
  /** BOOTSTRAP.md is there: the agent's first-run ritual has not finished. */
  bootstrapPending: boolean;
}

/** Creates `path` with `text` unless something is there; written beside it and linked in, so never half-written. */
async function publishIfAbsent(path: string, text: string): Promise<boolean> {
  if (await entryExists(path)) return false;
  const staging = `${path}.${crypto.randomUUID()}.tmp`;
  try {
    await Deno.writeTextFile(staging, text, { createNew: true });
    await Deno.link(staging, path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  } finally {
    await Deno.remove(staging).catch(() => {});
  }
}

async function gitInit(dir: string): Promise<void> {
  if (await entryExists(`${dir}/.git`)) return;
  try {
    await new Deno.Command("git", { args: ["init", "--quiet"], cwd: dir, stdout: "null", stderr: "null" }).output();
  } catch {
    // No git on this host: the reference then seeds the workspace without a repository too.
  }
}

/** Creates the workspace directory and seeds its starter files; the reference's `ensureAgentWorkspace`. */
export async function seedAgentWorkspace(dir: string): Promise<SeededWorkspace> {
  await Deno.mkdir(dir, { recursive: true });
  const profile = Object.keys(PROFILE_TEMPLATES);
  const present = await Promise.all([...profile, "memory"].map((name) => entryExists(`${dir}/${name}`)));
  const brandNew = present.every((found) => !found);
  const created: string[] = [];
  for (const [name, text] of Object.entries(PROFILE_TEMPLATES)) {
    if (await publishIfAbsent(`${dir}/${name}`, text)) created.push(name);
  }
  if (brandNew && await publishIfAbsent(`${dir}/BOOTSTRAP.md`, BOOTSTRAP_TEMPLATE)) created.push("BOOTSTRAP.md");
  if (brandNew) await gitInit(dir);
  return { dir, created, bootstrapPending: await entryExists(`${dir}/BOOTSTRAP.md`) };
}

/** The bound on an IDENTITY.md the gateway merges an identity into (the reference's identity file limit). */
const MAX_IDENTITY_BYTES = 4 * 1024 * 1024;

/**
 * Writes `identity` into the workspace's IDENTITY.md, merged into what is there (or into `base` when given: the
 * file a moved workspace had). Only a regular file is read or replaced (src/state/workspace_file.ts).
 */
export async function writeIdentityMarkdown(
  dir: string,
  identity: Record<string, string | undefined>,
  base?: string | undefined,
): Promise<void> {
  const path = `${dir}/IDENTITY.md`;
  const current = base ?? await readWorkspaceText(path, "IDENTITY.md", MAX_IDENTITY_BYTES);
  await writeWorkspaceFile(path, "IDENTITY.md", mergeIdentityMarkdown(current, identity), 0o644);
}

/**
 * A new agent's workspace as the reference's agent creation leaves it: seeded (only created with
 * `skipBootstrap`), and, when it is past its first run, the identity written into its IDENTITY.md (a
 * workspace still bootstrapping gets its identity from the ritual). Answers what seeding did.
 */
export async function prepareAgentWorkspace(
  dir: string,
  options: { skipBootstrap: boolean; identity?: Record<string, string | undefined> },
): Promise<SeededWorkspace | undefined> {
  if (options.skipBootstrap) {
    await Deno.mkdir(dir, { recursive: true });
    return undefined;
  }
  const seeded = await seedAgentWorkspace(dir);
  if (!seeded.bootstrapPending && options.identity) await writeIdentityMarkdown(dir, options.identity);
  return seeded;
}

/** The text of a workspace's IDENTITY.md, when it is a regular file; undefined when absent. */
export function readIdentityMarkdown(dir: string): Promise<string | undefined> {
  return readWorkspaceText(`${dir}/IDENTITY.md`, "IDENTITY.md", MAX_IDENTITY_BYTES);
}
