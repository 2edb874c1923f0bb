// The bundled `bootstrap-extra-files` hook: on `agent:bootstrap` it adds the workspace files its `paths`
// (or `patterns`, or `files`) option names, globs allowed, to the files the run's system prompt carries.
// As in the reference, only bootstrap basenames load and every path must stay inside the workspace.
import { glob } from "node:fs/promises";
import { basename, isAbsolute, relative, resolve } from "node:path";
import type { InternalHookHandler } from "../agent/internal_hooks.ts";
import { readWorkspaceText } from "../agent/workspace_boundary.ts";
import type { BootstrapFile } from "../agent/workspace_prompt.ts";
import type { Logger } from "../log/logger.ts";

/** The basenames the reference loads as extra bootstrap files. */
const BOOTSTRAP_NAMES = new Set(["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md", "MEMORY.md"]);

/** The first non-empty list of `paths`, `patterns`, `files` (trimmed strings), as the reference reads the option. */
export function extraBootstrapPatterns(entry: Record<string, unknown> | undefined): string[] {
  if (!entry || entry.enabled === false) return [];
  for (const value of [entry.paths, entry.patterns, entry.files]) {
    const list = Array.isArray(value)
      ? value.filter((item): item is string => typeof item === "string").map((item) => item.trim()).filter(Boolean)
      : [];
    if (list.length > 0) return list;
  }
  return [];
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** The folder a glob walks from: its leading segments without a glob character. */
function walkRoot(pattern: string): string {
  const segments = pattern.replaceAll("\\", "/").split("/");
  const fixed: string[] = [];
  for (const segment of segments) {
    if (/[?*{}[\]]/u.test(segment)) break;
    fixed.push(segment);
  }
  return fixed.join("/") || ".";
}

/** The extra files `patterns` select in `workspace`, read through the workspace boundary. */
export async function extraBootstrapFiles(
  workspace: string,
  patterns: readonly string[],
  skipped: (path: string, reason: string) => void = () => {},
): Promise<BootstrapFile[]> {
  const root = resolve(workspace);
  const paths = new Set<string>();
  for (const pattern of patterns) {
    if (!inside(root, resolve(root, walkRoot(pattern)))) {
      skipped(resolve(root, pattern), "security");
      continue;
    }
    if (!/[?*{}]/u.test(pattern)) {
      paths.add(pattern);
      continue;
    }
    try {
      for await (const match of glob(pattern, { cwd: root })) paths.add(match);
    } catch (error) {
      skipped(resolve(root, pattern), `io: ${error instanceof Error ? error.message : error}`);
    }
  }
  const files: BootstrapFile[] = [];
  for (const rel of paths) {
    const path = resolve(root, rel);
    const name = basename(rel);
    if (!BOOTSTRAP_NAMES.has(name) || !inside(root, path)) {
      skipped(path, BOOTSTRAP_NAMES.has(name) ? "security" : "invalid-bootstrap-filename");
      continue;
    }
    try {
      files.push({ name, path, content: await readWorkspaceText(root, path) });
    } catch (error) {
      skipped(path, error instanceof Deno.errors.NotFound ? "missing" : "io");
    }
  }
  return files;
}

/** The handler: appends the extra files to `context.bootstrapFiles`; a failure is logged, never thrown. */
export function bootstrapExtraFiles(deps: {
  entry(): Record<string, unknown> | undefined;
  log: Pick<Logger, "warn" | "debug">;
}): InternalHookHandler {
  return async (event) => {
    if (event.type !== "agent" || event.action !== "bootstrap") return;
    const context = event.context;
    if (typeof context.workspaceDir !== "string" || !Array.isArray(context.bootstrapFiles)) return;
    try {
      const skipped: string[] = [];
      const extras = await extraBootstrapFiles(
        context.workspaceDir,
        extraBootstrapPatterns(deps.entry()),
        (path, reason) => skipped.push(`${path}: ${reason}`),
      );
      if (skipped.length > 0) deps.log.debug("skipped extra bootstrap candidates", { skipped: skipped.length });
      if (extras.length > 0) context.bootstrapFiles = [...context.bootstrapFiles, ...extras];
    } catch (error) {
      deps.log.warn(`failed: ${String(error)}`);
    }
  };
}
