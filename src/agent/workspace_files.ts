import { getLogger } from "../log/logger.ts";
import { createInternalHookEvent, type InternalHookEmitter } from "./internal_hooks.ts";
import type { AgentSpec } from "./agents_config.ts";
import { memoryRecallSection } from "./memory/memory_prompt.ts";
import { agentSkillsSection } from "./skills/agent_skills.ts";
import { processSkillHost } from "./skills/skill_status.ts";
import {
  type BootstrapFile,
  bootstrapNamesFor,
  budgetBootstrapFiles,
  DEFAULT_BOOTSTRAP_MAX_CHARS,
  DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
  isExpectedFile,
  renderSystemPrompt,
  sessionKindOf,
} from "./workspace_prompt.ts";
import { readWorkspaceText } from "./workspace_boundary.ts";
import { type BootstrapCache, cachedWorkspaceText, directoryStamp } from "./bootstrap_cache.ts";
import type { KeptSkills } from "./skills/kept_skill_roots.ts";

/** Longest reason an unreadable file's marker carries. */
const MAX_REASON_CHARS = 300;

/**
 * Reads the named bootstrap files from `workspace`, in order and in parallel. A missing file is
 * skipped, or marked missing when the reference expects it; one that cannot be read is logged and injected as the reference's `[UNREADABLE: …]`
 * marker, so the model knows it exists; neither fails the run. A file whose real path leaves the
 * workspace (a planted symlink) is unreadable, never followed.
 */
export async function readBootstrapFiles(
  workspace: string,
  names: readonly string[],
  cache?: BootstrapCache,
): Promise<BootstrapFile[]> {
  // Taken before any file is read: a file created after this stat moves the directory's mtime.
  const dir = cache ? directoryStamp(workspace) : undefined;
  // One real path of the root for all files, resolved when a file first needs it (a run whose files are all kept
  // needs none); its failure (NotFound) reaches each file as before. With the cache, resolved inline: most runs
  // then need no other file system call, and an async op is a thread-pool round trip.
  let resolved: Promise<string> | undefined;
  const realRoot = () => {
    if (!resolved) {
      resolved = cache ? resolvedNow(workspace) : Deno.realPath(workspace);
      resolved.catch(() => {});
    }
    return resolved;
  };
  const read = await Promise.all(names.map(async (name): Promise<BootstrapFile | null> => {
    const path = `${workspace.replace(/\/+$/, "")}/${name}`;
    const missing = () => isExpectedFile(name) ? { name, path, content: "", missing: true as const } : null;
    try {
      const content = cache
        ? await cachedWorkspaceText(cache, workspace, path, realRoot, dir)
        : await readWorkspaceText(workspace, path, realRoot());
      return content === undefined ? missing() : { name, path, content };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return missing();
      const reason = (error instanceof Error ? error.message : String(error)).replaceAll(/\s+/g, " ").trim()
        .slice(0, MAX_REASON_CHARS) || "workspace file could not be read";
      getLogger("agent/workspace").warn("Workspace bootstrap file is unreadable: file={path} reason={reason}", {
        path,
        reason,
      });
      return { name, path, content: `[UNREADABLE: ${reason}]` };
    }
  }));
  return read.filter((file): file is BootstrapFile => file !== null);
}

/**
 * The bootstrap files after `agent:bootstrap` handlers saw them (the reference's context: `workspaceDir`,
 * `bootstrapFiles`, `sessionKey`, `agentId`); a handler replaces `context.bootstrapFiles` to change them.
 */
async function bootstrapHookFiles(
  hooks: InternalHookEmitter,
  run: { agentId: string; workspace: string; sessionKey: string },
  files: BootstrapFile[],
): Promise<BootstrapFile[]> {
  const event = createInternalHookEvent("agent", "bootstrap", run.sessionKey, {
    workspaceDir: run.workspace,
    bootstrapFiles: files,
    sessionKey: run.sessionKey,
    agentId: run.agentId,
  });
  await hooks.trigger(event);
  const updated = event.context.bootstrapFiles;
  return Array.isArray(updated)
    ? updated.filter((file): file is BootstrapFile =>
      typeof file?.name === "string" && typeof file.path === "string" && typeof file.content === "string"
    )
    : files;
}

function resolvedNow(path: string): Promise<string> {
  try {
    return Promise.resolve(Deno.realPathSync(path));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** The reference's "Tooling" section as far as this gateway writes it: the deferred tools and how to reach them. */
function toolingSection(directory: string): string {
  return [
    "## Tooling",
    "Tools policy-filtered. Names case-sensitive; call exact.",
    "### Deferred Tool Schemas",
    directory,
    "The AGENTS.md Tools section guides usage; it never grants availability.",
  ].join("\n");
}

/**
 * The system prompt of one run of `agent` in the session `sessionKey`: the files its session
 * kind receives, read now (so edits apply to the next run; `cache` keeps unchanged ones between runs,
 * `keptSkills` the skill roots known absent or unchanged and the binaries known missing), within the agent's limits.
 */
export async function workspaceSystemPrompt(
  agent: AgentSpec,
  sessionKey: string,
  toolNames: ReadonlySet<string> = new Set(),
  cache?: BootstrapCache,
  keptSkills?: KeptSkills,
  options: {
    hooks?: InternalHookEmitter | undefined;
    /** Tool Search's directory of deferred tools (tool_search_directory.ts), when the turn has one. */
    toolDirectory?: string | undefined;
  } = {},
): Promise<string> {
  const kind = sessionKindOf(sessionKey);
  const minimal = kind === "subagent" || kind === "cron";
  const names = agent.contextInjection === "never" ? [] : bootstrapNamesFor(kind);
  let read = await readBootstrapFiles(agent.workspace, names, cache);
  if (agent.contextInjection !== "never" && options.hooks?.listens("agent", "bootstrap")) {
    read = await bootstrapHookFiles(options.hooks, { agentId: agent.id, workspace: agent.workspace, sessionKey }, read);
  }
  const { files, truncated } = budgetBootstrapFiles(read, {
    maxChars: agent.bootstrapLimits?.maxChars ?? DEFAULT_BOOTSTRAP_MAX_CHARS,
    totalMaxChars: agent.bootstrapLimits?.totalMaxChars ?? DEFAULT_BOOTSTRAP_TOTAL_MAX_CHARS,
  });
  if (truncated.length > 0) {
    getLogger("agent/workspace").info("workspace bootstrap files truncated in injected context: {files}", {
      files: truncated.join(", "),
    });
  }
  // Skills come from the agent's settings (absent in hand-built specs) and are listed only when
  // the run offers the `read` tool to open them; memory recall only when the run offers a memory
  // tool, as the reference's prompt.
  const sections = [
    ...(options.toolDirectory === undefined ? [] : [toolingSection(options.toolDirectory)]),
    ...(agent.skills && toolNames.has("read")
      ? await agentSkillsSection(
        agent,
        agent.skills.stateDir,
        processSkillHost({ missing: keptSkills?.binaries }),
        keptSkills,
      )
      : []),
    // Subagent and cron runs get the reference's minimal prompt: no memory recall guidance.
    ...(minimal ? [] : memoryRecallSection(toolNames, agent.memory?.citations ?? "auto")),
  ];
  return renderSystemPrompt({ workspace: agent.workspace, files, truncated, sections });
}
