// Finding internal hooks as the reference does: the roots (extra dirs, bundled, managed
// `<stateDir>/hooks`, workspace `hooks/`), what a root may hold (a HOOK.md folder, a pack whose
// package.json lists `openclaw.hooks`, or a collection of either one level down), and the
// name-collision policy between sources. Plugin hook dirs are not a source: this gateway loads no
// plugins. Synchronous like the reference's: it runs per report or per reload, over a few folders.
import { basename, join, relative, resolve, sep } from "node:path";
import { isJsonObject } from "../log/json_object.ts";
import { FrontmatterError, parseFrontmatter } from "../agent/skills/frontmatter.ts";
import { BUNDLED_HOOKS } from "./bundled_hooks.ts";
import { hookInvocationEnabled, type HookMetadata, hookMetadata, type HookSource } from "./hook_metadata.ts";

/** Where a hook's handler lives: built into this gateway (bundled), or a module file on disk. */
export type HookHandlerRef = { kind: "bundled"; name: string } | { kind: "module"; path: string };

/** One discovered hook, before config decides anything about it. */
export interface DiscoveredHook {
  name: string;
  description: string;
  source: HookSource;
  pluginId?: string | undefined;
  /** The HOOK.md path (as joined, not resolved). */
  filePath: string;
  /** The hook folder's real path. */
  baseDir: string;
  /** The handler module's real path (`handler.ts`, `handler.js`, `index.ts`, `index.js`, first found). */
  handlerPath: string;
  handler: HookHandlerRef;
  frontmatter: Record<string, string>;
  metadata: HookMetadata | undefined;
  /** The front matter could not be read whole (an unterminated block). */
  invalidMetadata: boolean;
  /** The front matter's own `enabled` flag. */
  invocationEnabled: boolean;
}

/** Inputs of one discovery pass. */
export interface HookDiscoveryOptions {
  /** The selected agent's workspace; its `hooks/` folder is the workspace source. */
  workspaceDir: string;
  /** `<stateDir>/hooks`. */
  managedHooksDir: string;
  /** `hooks.internal.load.extraDirs` as written (`~` and relative paths resolved here). */
  extraDirs?: readonly string[] | undefined;
  home: string;
  cwd: string;
  /** Receives the reference's warnings (a hook without handler, an ignored collision...). */
  warn?: ((message: string) => void) | undefined;
}

/** The directory shown for bundled hooks: they are embedded, so this is a label, not a folder on disk. */
export const BUNDLED_HOOKS_DIR = "openclaw:bundled";

const HANDLER_CANDIDATES = ["handler.ts", "handler.js", "index.ts", "index.js"];
/** The reference refuses HOOK.md and package.json files over 1 MiB. */
const METADATA_MAX_BYTES = 1_048_576;

const SOURCE_PRECEDENCE: Readonly<Record<HookSource, number>> = {
  "openclaw-bundled": 10,
  "openclaw-plugin": 20,
  "openclaw-managed": 30,
  "openclaw-workspace": 40,
};

function realPath(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

function isInside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !rel.startsWith(sep));
}

/** The real path of a regular file under `root` whose real path stays inside root's; else undefined. */
function containedFile(path: string, root: string): string | undefined {
  const real = realPath(path);
  const rootReal = realPath(root);
  if (!real || !rootReal || !isInside(rootReal, real)) return undefined;
  try {
    return Deno.statSync(real).isFile ? real : undefined;
  } catch {
    return undefined;
  }
}

function readContained(path: string, root: string, warn: HookDiscoveryOptions["warn"]): string | undefined {
  const file = containedFile(path, root);
  if (!file) return undefined;
  try {
    if (Deno.statSync(file).size > METADATA_MAX_BYTES) {
      warn?.(`Ignoring oversized hook metadata ${path}: file exceeds the ${METADATA_MAX_BYTES}-byte limit`);
      return undefined;
    }
    return Deno.readTextFileSync(file);
  } catch {
    return undefined;
  }
}

function readFrontmatter(text: string): { frontmatter: Record<string, string>; invalid: boolean } {
  try {
    return { frontmatter: parseFrontmatter(text), invalid: false };
  } catch (error) {
    if (error instanceof FrontmatterError) return { frontmatter: {}, invalid: true };
    throw error;
  }
}

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function fileExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function hookFromDir(
  hookDir: string,
  source: HookSource,
  warn: HookDiscoveryOptions["warn"],
): DiscoveredHook | undefined {
  const filePath = join(hookDir, "HOOK.md");
  const content = readContained(filePath, hookDir, warn);
  if (content === undefined) return undefined;
  const { frontmatter, invalid } = readFrontmatter(content);
  const name = frontmatter.name || basename(hookDir);
  const handlerPath = HANDLER_CANDIDATES.map((file) => containedFile(join(hookDir, file), hookDir)).find(Boolean);
  if (!handlerPath) {
    warn?.(`Hook "${name}" has HOOK.md but no readable handler in ${hookDir}`);
    return undefined;
  }
  return {
    name,
    description: frontmatter.description || "",
    source,
    filePath,
    baseDir: realPath(hookDir) ?? hookDir,
    handlerPath,
    handler: { kind: "module", path: handlerPath },
    frontmatter,
    metadata: hookMetadata(frontmatter),
    invalidMetadata: invalid,
    invocationEnabled: hookInvocationEnabled(frontmatter),
  };
}

/** The `openclaw.hooks` paths of a folder's package.json (empty when it declares none). */
function packageHookPaths(dir: string, warn: HookDiscoveryOptions["warn"]): string[] {
  const raw = readContained(join(dir, "package.json"), dir, warn);
  if (raw === undefined) return [];
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw);
  } catch {
    return [];
  }
  const block = isJsonObject(manifest) && isJsonObject(manifest.openclaw) ? manifest.openclaw : undefined;
  const hooks = block && Array.isArray(block.hooks) ? block.hooks : [];
  return hooks.filter((entry): entry is string => typeof entry === "string").map((entry) => entry.trim()).filter(
    Boolean,
  );
}

/** A candidate folder's hooks: a pack's declared ones, its own HOOK.md, or undefined when it is neither. */
function hooksOfCandidate(
  dir: string,
  source: HookSource,
  warn: HookDiscoveryOptions["warn"],
): DiscoveredHook[] | undefined {
  const declared = packageHookPaths(dir, warn);
  if (declared.length === 0) {
    if (!fileExists(join(dir, "HOOK.md"))) return undefined;
    const hook = hookFromDir(dir, source, warn);
    return hook ? [hook] : [];
  }
  // A recognized pack loads only what it declares, even when every declared path is refused.
  const root = realPath(dir);
  return declared.flatMap((path) => {
    const target = resolve(dir, path);
    const real = realPath(target);
    if (!root || !real || !isInside(root, real)) {
      warn?.(`Ignoring out-of-package hook path "${path}" in ${dir} (must be within package directory)`);
      return [];
    }
    const hook = hookFromDir(target, source, warn);
    return hook ? [hook] : [];
  });
}

/** The hooks of one root: the root itself when `includeRoot` and it is a hook or pack, else its child folders. */
function hooksOfRoot(
  dir: string,
  source: HookSource,
  options: { includeRoot: boolean; warn: HookDiscoveryOptions["warn"] },
): DiscoveredHook[] {
  if (!isDirectory(dir)) return [];
  const own = options.includeRoot ? hooksOfCandidate(dir, source, options.warn) : undefined;
  if (own) return own;
  const names: string[] = [];
  try {
    // Symlinked children are not followed (the reference reads Dirent.isDirectory()).
    for (const entry of Deno.readDirSync(dir)) if (entry.isDirectory) names.push(entry.name);
  } catch {
    return [];
  }
  // Node's readdir returns names in byte order (libuv sorts its scandir).
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((name) => hooksOfCandidate(join(dir, name), source, options.warn) ?? []);
}

/** The bundled hooks, read from their embedded HOOK.md front matter. */
export function bundledHooks(): DiscoveredHook[] {
  return BUNDLED_HOOKS.map(({ name, hookMd }) => {
    const { frontmatter, invalid } = readFrontmatter(hookMd);
    const baseDir = `${BUNDLED_HOOKS_DIR}/${name}`;
    return {
      name: frontmatter.name || name,
      description: frontmatter.description || "",
      source: "openclaw-bundled",
      filePath: `${baseDir}/HOOK.md`,
      baseDir,
      handlerPath: `${baseDir}/handler.js`,
      handler: { kind: "bundled", name },
      frontmatter,
      metadata: hookMetadata(frontmatter),
      invalidMetadata: invalid,
      invocationEnabled: hookInvocationEnabled(frontmatter),
    };
  });
}

/** A user path as the reference resolves it: `~` is the home, relative paths join the cwd. */
function userPath(path: string, home: string, cwd: string): string {
  const trimmed = path.trim();
  const expanded = trimmed === "~" ? home : trimmed.startsWith("~/") ? join(home, trimmed.slice(2)) : trimmed;
  return resolve(cwd, expanded);
}

/**
 * Every candidate hook in root order, before the collision policy: extra dirs (as managed,
 * each may itself be a hook or a pack), bundled, managed, then the workspace's `hooks/`.
 */
export function hookCandidates(options: HookDiscoveryOptions): DiscoveredHook[] {
  const extra = (options.extraDirs ?? []).filter((dir) => typeof dir === "string" && dir.trim() !== "");
  return [
    ...extra.flatMap((dir) =>
      hooksOfRoot(userPath(dir, options.home, options.cwd), "openclaw-managed", {
        includeRoot: true,
        warn: options.warn,
      })
    ),
    ...bundledHooks(),
    ...hooksOfRoot(options.managedHooksDir, "openclaw-managed", { includeRoot: false, warn: options.warn }),
    ...hooksOfRoot(join(options.workspaceDir, "hooks"), "openclaw-workspace", {
      includeRoot: false,
      warn: options.warn,
    }),
  ];
}

/**
 * The reference's merge by name: sources in precedence order (bundled, plugin, managed,
 * workspace; root order within one). A later source replaces an earlier one, and a later managed
 * hook (the managed dir after extra dirs, a later extra dir) replaces an earlier managed one;
 * within bundled or plugin the first stays. Workspace hooks only add names, replacing only an
 * earlier workspace hook.
 */
export function mergeHooksByName<T extends { name: string; source: HookSource }>(
  entries: readonly T[],
  onIgnored?: (ignored: { name: string; kept: T; ignored: T }) => void,
): T[] {
  const ordered = entries.map((entry, index) => ({ entry, index })).sort((a, b) =>
    SOURCE_PRECEDENCE[a.entry.source] - SOURCE_PRECEDENCE[b.entry.source] || a.index - b.index
  );
  const merged = new Map<string, T>();
  for (const { entry } of ordered) {
    const existing = merged.get(entry.name);
    if (!existing) {
      merged.set(entry.name, entry);
      continue;
    }
    const sameSource = entry.source === existing.source;
    const replaces = entry.source === "openclaw-workspace"
      ? sameSource
      : !sameSource || entry.source === "openclaw-managed";
    if (replaces) merged.set(entry.name, entry);
    else onIgnored?.({ name: entry.name, kept: existing, ignored: entry });
  }
  return [...merged.values()];
}

/** The hooks of this host and workspace after the collision policy, with the reference's warnings. */
export function discoverHooks(options: HookDiscoveryOptions): DiscoveredHook[] {
  return mergeHooksByName(hookCandidates(options), ({ name, kept, ignored }) => {
    options.warn?.(`Ignoring ${ignored.source} hook "${name}" because it cannot override ${kept.source} hook code`);
  });
}
