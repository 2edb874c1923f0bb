// Seeding an agent workspace as the reference's `openclaw agents add` does (recorded against
// OpenClaw 2026.9.6): AGENTS.md, SOUL.md, IDENTITY.md and USER.md when absent, BOOTSTRAP.md and
// `git init` only for a brand-new workspace. Files get the process's default modes (0644 under the
// usual umask, directories 0755) as the reference's do; an existing file is never touched.
import { mergeIdentityMarkdown } from "../config/identity_markdown.ts";
import { writeTextAtomic } from "../config/write.ts";
import { BOOTSTRAP_TEMPLATE, PROFILE_TEMPLATES } from "./workspace_templates.ts";
import { entryExists } from "./entry_exists.ts";

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

/**
 * A new agent's workspace as the reference's agent creation leaves it: seeded (only created with
 * `skipBootstrap`), and, when it is past its first run, the identity written into its IDENTITY.md (a
 * workspace still bootstrapping gets its identity from the ritual).
 */
export async function prepareAgentWorkspace(
  dir: string,
  options: { skipBootstrap: boolean; identity: Record<string, string | undefined> },
): Promise<void> {
  if (options.skipBootstrap) {
    await Deno.mkdir(dir, { recursive: true });
    return;
  }
  if ((await seedAgentWorkspace(dir)).bootstrapPending) return;
  const path = `${dir}/IDENTITY.md`;
  const current = await Deno.readTextFile(path).catch(() => undefined);
  await writeTextAtomic(path, mergeIdentityMarkdown(current, options.identity), { mode: 0o644 });
}
