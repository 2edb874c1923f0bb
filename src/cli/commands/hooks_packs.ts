// `openclaw hooks install|update`, the reference's deprecated hook-pack commands (they hand over to
// `openclaw plugins install|update`). This gateway tracks no plugin or hook packs, so `update` says
// so in the reference's words, and `install` answers the reference's offline refusals (a missing
// path; a local path without `--force`) and refuses the rest: it installs no packs (docs/compatibility.md).
import { isAbsolute, resolve } from "node:path";
import { type EnvSnapshot, pathExists, resolveHome } from "../../config/paths.ts";
import { printError, printLine } from "../output.ts";

/** Options of `hooks install`. */
export interface HooksInstallOptions {
  link?: boolean;
  pin?: boolean;
  force?: boolean;
  acknowledgeInstallPolicyWarning?: boolean;
}

/** Options of `hooks update`. */
export interface HooksUpdateOptions {
  all?: boolean;
  dryRun?: boolean;
  acknowledgeInstallPolicyWarning?: boolean;
}

const LOCAL_SUFFIXES = [".ts", ".js", ".mjs", ".cjs", ".tgz", ".tar.gz", ".tar", ".zip"];

/** A path as the reference resolves a user's: `~` is the home, relative is from the working directory. */
function userPath(raw: string, env: EnvSnapshot): string {
  const trimmed = raw.trim();
  if (trimmed === "~" || trimmed.startsWith("~/")) return resolve(resolveHome(env), trimmed.slice(2));
  return isAbsolute(trimmed) ? resolve(trimmed) : resolve(Deno.cwd(), trimmed);
}

/** Whether the reference reads `raw` as a local path rather than a package spec. */
function looksLocal(raw: string): boolean {
  const trimmed = raw.trim();
  return trimmed.startsWith(".") || trimmed.startsWith("/") || trimmed.startsWith("~") ||
    LOCAL_SUFFIXES.some((suffix) => trimmed.toLowerCase().endsWith(suffix));
}

/** `hooks install <path-or-spec>`: the deprecation line, then the reference's refusals; no pack is installed. */
export function hooksInstall(raw: string, options: HooksInstallOptions): number {
  printLine("`openclaw hooks install` is deprecated; use `openclaw plugins install`.");
  const env: EnvSnapshot = Deno.env.toObject();
  const path = userPath(raw, env);
  const local = pathExists(path);
  if (!local && looksLocal(raw)) {
    printError(`Plugin path not found: ${path}`);
    return 1;
  }
  if (local && !options.force) {
    printError(
      [
        `WARNING - Installing plugin from local path: ${path}`,
        "This source is outside ClawHub review and trust metadata. Only continue if you trust the publisher, package contents, and install source.",
        "Install cancelled; rerun with --force after reviewing the source.",
      ].join("\n"),
    );
    return 1;
  }
  printError(
    `Cannot install "${raw.trim()}": this gateway does not install plugins or hook packs. ` +
      "Put the hook folder (HOOK.md and handler) under <state dir>/hooks or list its folder in hooks.internal.load.extraDirs, then run `openclaw hooks list`.",
  );
  return 1;
}

/** `hooks update [id]`: nothing is tracked here, so the reference's answers for no packs. */
export function hooksUpdate(id: string | undefined, options: HooksUpdateOptions): number {
  printLine("`openclaw hooks update` is deprecated; use `openclaw plugins update`.");
  if (id !== undefined) {
    printError(
      `No tracked plugin or hook pack found for "${id}". Run "openclaw plugins list" or "openclaw hooks list" to inspect installed packages.`,
    );
    return 1;
  }
  if (!options.all) {
    printError("Provide plugin or hook-pack ids, or use --all.");
    return 1;
  }
  printLine("No tracked plugins or hook packs to update.");
  return 0;
}
