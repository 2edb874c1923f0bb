// Transform modules: JS/TS files under `hooks.transformsDir` (default `<config dir>/hooks/transforms`),
// confined to that root (no absolute paths, no `..`, no symlink out of it), loaded on first use
// and kept until the hooks config changes. They run as trusted gateway code, as in the reference.
import { existsSync, realpathSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { HookTransform, HookTransformRef } from "./hook_mappings.ts";

function isInside(base: string, candidate: string): boolean {
  const rel = relative(base, candidate);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

function existingAncestor(path: string): string | null {
  let current = resolve(path);
  while (!existsSync(current)) {
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
  return current;
}

/** `target` resolved under `baseDir`; throws (the reference's words) when it leaves it, symlinks included. */
export function resolveContainedPath(baseDir: string, target: string | undefined, label: string): string {
  const base = resolve(baseDir);
  const trimmed = target?.trim();
  if (!trimmed) throw new Error(`${label} module path is required`);
  const resolved = isAbsolute(trimmed) ? resolve(trimmed) : resolve(base, trimmed);
  const escape = new Error(`${label} module path must be within ${base}: ${target}`);
  if (!isInside(base, resolved)) throw escape;
  const baseReal = realpathOrNull(base);
  const ancestor = existingAncestor(resolved);
  const ancestorReal = ancestor ? realpathOrNull(ancestor) : null;
  if (baseReal && ancestorReal && !isInside(baseReal, ancestorReal)) throw escape;
  return resolved;
}

/** The transforms root: `hooks.transformsDir` (itself confined to `<configDir>/hooks/transforms`) or that default. */
export function resolveTransformsDir(configDir: string, transformsDir: string | undefined): string {
  const root = join(resolve(configDir), "hooks", "transforms");
  return transformsDir?.trim() ? resolveContainedPath(root, transformsDir, "Hook transformsDir") : root;
}

/** Imports a module by URL (a parameter so tests can stand in for the runtime's loader). */
export type ModuleImporter = (url: string) => Promise<Record<string, unknown>>;

const nativeImport: ModuleImporter = (url) => import(url);

/**
 * A loader that imports each module once per loader (one loader per hooks config: a reload makes a
 * new one, and the version in the URL makes the runtime read the file again). The version is
 * unique per loader, not just the generation: a gateway restarted in place counts generations
 * from 1 again, and the runtime would hand it the first gateway's copy of an edited module.
 */
export function transformLoader(
  generation: number,
  importer: ModuleImporter = nativeImport,
): (ref: HookTransformRef) => Promise<HookTransform> {
  const cache = new Map<string, Promise<HookTransform>>();
  const version = `${generation}.${crypto.randomUUID()}`;
  return (ref) => {
    const key = `${ref.modulePath}::${ref.exportName ?? "default"}`;
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = importTransform(ref, version, importer);
      cache.set(key, loaded);
      // A failed load is not cached: fixing the file fixes the next request.
      loaded.catch(() => cache.delete(key));
    }
    return loaded;
  };
}

async function importModule(modulePath: string, version: string, importer: ModuleImporter) {
  try {
    return await importer(`${pathToFileURL(modulePath).href}?v=${version}`);
  } catch (error) {
    // The compiled binary resolves only the modules embedded in it; a self-contained transform
    // still loads from its text. One that imports its neighbours needs `deno run`.
    let source: string;
    try {
      source = await Deno.readTextFile(modulePath);
    } catch {
      throw error;
    }
    try {
      const type = /\.(c|m)?ts$/.test(modulePath) ? "application/typescript" : "text/javascript";
      let binary = "";
      for (const byte of new TextEncoder().encode(source)) binary += String.fromCharCode(byte);
      return await importer(`data:${type};base64,${btoa(binary)}`);
    } catch {
      throw error;
    }
  }
}

async function importTransform(
  ref: HookTransformRef,
  version: string,
  importer: ModuleImporter,
): Promise<HookTransform> {
  const mod = await importModule(ref.modulePath, version, importer);
  const names = ref.exportName ? [ref.exportName] : ["default", "transform"];
  for (const name of names) {
    const candidate = mod[name];
    if (typeof candidate === "function") return (ctx) => candidate(ctx);
  }
  throw new Error("hook transform module must export a function");
}
