// The file-mode primitives of the audit's `fs.*` checks: inspecting a path and wording a finding
// as the reference does (`<path> mode=755; …`, `chmod 700 <path>`).
import type { AuditFinding, Severity } from "./security_findings.ts";

/** A path's permission bits, and whether it is a symlink (followed) or a directory. */
export interface Perms {
  mode: number;
  isSymlink: boolean;
  isDir: boolean;
}

/** The path's permissions, following a symlink; undefined when it does not exist. */
export async function inspect(path: string): Promise<Perms | undefined> {
  try {
    const link = await Deno.lstat(path);
    const target = link.isSymlink ? await Deno.stat(path) : link;
    return { mode: (target.mode ?? 0) & 0o777, isSymlink: link.isSymlink, isDir: target.isDirectory };
  } catch {
    return undefined;
  }
}

/** Mode bit 0o020. */
export function groupWritable(p: Perms): boolean {
  return (p.mode & 0o020) !== 0;
}
/** Mode bit 0o002. */
export function worldWritable(p: Perms): boolean {
  return (p.mode & 0o002) !== 0;
}
/** Mode bit 0o040. */
export function groupReadable(p: Perms): boolean {
  return (p.mode & 0o040) !== 0;
}
/** Mode bit 0o004. */
export function worldReadable(p: Perms): boolean {
  return (p.mode & 0o004) !== 0;
}

/** A permission finding in the reference's words: `<path> mode=755; <why>`, fixed by `chmod <want> <path>`. */
export function finding(
  checkId: string,
  severity: Severity,
  title: string,
  path: string,
  perms: Perms,
  why: string,
  want: number,
): AuditFinding {
  return {
    checkId,
    severity,
    title,
    detail: `${path} mode=${perms.mode.toString(8).padStart(3, "0")}; ${why}`,
    remediation: `chmod ${want.toString(8)} ${path}`,
  };
}
