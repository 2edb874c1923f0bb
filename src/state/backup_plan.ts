// What a full archive includes, planned as the reference plans it: the state dir, the config file,
// the credentials dir, workspaces and agent roots, canonicalized, deduplicated (a path inside an
// earlier asset is `covered`), missing ones `skipped`, managed runtime roots `regenerable`.
import { dirname, join, resolve } from "node:path";
import { backupArchivePath, isPathWithin } from "./backup_archive_path.ts";
import { type BackupPolicy, backupPolicy, MANAGED_STATE_ROOTS } from "./backup_policy.ts";

/** A source the archive includes. */
export interface BackupAsset {
  kind: string;
  sourcePath: string;
  displayPath: string;
  archivePath: string;
}

/** A source the archive leaves out, and why. */
export interface BackupSkip {
  kind: string;
  sourcePath: string;
  displayPath: string;
  reason: string;
  coveredBy?: string;
}

/** The paths a plan starts from (config already read by the caller). */
export interface PlanInputs {
  home: string | undefined;
  stateDir: string;
  configPath: string;
  oauthDir: string;
  workspaceDirs: string[];
  agentRoots: { agentId: string; sourcePath: string }[];
  includeWorkspace: boolean;
  onlyConfig: boolean;
  archiveRoot: string;
}

/** The planned archive: assets, skips and the traversal policy. */
export interface BackupPlan {
  stateDir: string;
  configPath: string;
  oauthDir: string;
  workspaceDirs: string[];
  agentRoots: { agentId: string; sourcePath: string }[];
  included: BackupAsset[];
  skipped: BackupSkip[];
  policy: BackupPolicy;
}

const PRIORITY: Record<string, number> = { state: 0, config: 1, credentials: 2, workspace: 3, agent: 4 };

/** A path as the reference shows it to people: `~/…` under the home directory. */
export function displayPath(path: string, home: string | undefined): string {
  if (!home) return path;
  if (path === home) return "~";
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Resolves symlinks in the existing prefix of `path`, keeping a not-yet-created suffix. */
export function canonicalForContainment(path: string): string {
  const suffix: string[] = [];
  let probe = resolve(path);
  while (true) {
    try {
      return join(Deno.realPathSync(probe), ...suffix.reverse());
    } catch {
      const parent = dirname(probe);
      if (parent === probe) return resolve(path);
      suffix.push(probe.slice(parent.length + (parent.endsWith("/") ? 0 : 1)));
      probe = parent;
    }
  }
}

function isSymlink(path: string): boolean {
  try {
    return Deno.lstatSync(path).isSymlink;
  } catch {
    return false;
  }
}

function canonicalExisting(path: string): string {
  try {
    return Deno.realPathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Plans the archive from resolved paths. */
export function planBackup(inputs: PlanInputs): BackupPlan {
  const { home, onlyConfig } = inputs;
  const stateDir = canonicalForContainment(inputs.stateDir);
  const configSource = canonicalForContainment(inputs.configPath);
  const oauthSource = canonicalForContainment(inputs.oauthDir);
  const workspaces = inputs.includeWorkspace && !onlyConfig ? inputs.workspaceDirs : [];
  const agentRoots = onlyConfig
    ? []
    : inputs.agentRoots.map((root) => ({ ...root, sourcePath: canonicalForContainment(root.sourcePath) }));
  const protectedPaths = [resolve(inputs.configPath), configSource, join(stateDir, "state", "openclaw.sqlite")];
  const excludedPaths: string[] = [];
  if (!onlyConfig) {
    protectedPaths.push(resolve(inputs.oauthDir), oauthSource, ...workspaces.map(canonicalForContainment));
    for (const root of agentRoots) protectedPaths.push(root.sourcePath, join(root.sourcePath, "openclaw-agent.sqlite"));
    for (const root of [...MANAGED_STATE_ROOTS, "plugin-skills"]) excludedPaths.push(join(stateDir, root));
    if (!inputs.includeWorkspace) {
      for (const dir of inputs.workspaceDirs) {
        for (const path of new Set([resolve(dir), canonicalForContainment(dir)])) {
          if (path !== stateDir && !isPathWithin(stateDir, path)) excludedPaths.push(path);
        }
      }
    }
  }
  const policy = backupPolicy({ stateDir, protectedPaths, excludedPaths });
  const base = {
    stateDir: inputs.stateDir,
    configPath: inputs.configPath,
    oauthDir: inputs.oauthDir,
    workspaceDirs: workspaces.map((dir) => resolve(dir)),
    agentRoots,
    policy,
  };
  const asset = (kind: string, sourcePath: string): BackupAsset => ({
    kind,
    sourcePath,
    displayPath: displayPath(sourcePath, home),
    archivePath: backupArchivePath(inputs.archiveRoot, sourcePath),
  });
  if (onlyConfig) {
    const configPath = resolve(inputs.configPath);
    if (!exists(configPath)) {
      return {
        ...base,
        included: [],
        skipped: [{
          kind: "config",
          sourcePath: configPath,
          displayPath: displayPath(configPath, home),
          reason: "missing",
        }],
      };
    }
    return { ...base, included: [asset("config", canonicalExisting(configPath))], skipped: [] };
  }
  const coveredOwned = (path: string, root: string) => {
    for (let ancestor = path; isPathWithin(ancestor, root); ancestor = dirname(ancestor)) {
      if (policy.isVolatile(ancestor)) return false;
      if (ancestor === root) return true;
    }
    return false;
  };
  const raw = [
    { kind: "state", sourcePath: resolve(inputs.stateDir) },
    ...(coveredOwned(configSource, stateDir) ? [] : [{ kind: "config", sourcePath: resolve(inputs.configPath) }]),
    ...(coveredOwned(oauthSource, stateDir) ? [] : [{ kind: "credentials", sourcePath: resolve(inputs.oauthDir) }]),
    ...workspaces.map((dir) => ({ kind: "workspace", sourcePath: resolve(dir) })),
    ...agentRoots.map((root) => ({ kind: "agent", sourcePath: root.sourcePath })),
  ].map((candidate) => {
    const found = exists(candidate.sourcePath);
    return {
      ...candidate,
      exists: found,
      canonical: found ? canonicalExisting(candidate.sourcePath) : resolve(candidate.sourcePath),
    };
  });
  // A config file or credentials dir reached through a symlink: the link itself is a candidate too
  // (covered by the state dir it sits in, or an asset of its own), as the reference plans it.
  for (const link of [{ kind: "config", path: inputs.configPath }, { kind: "credentials", path: inputs.oauthDir }]) {
    const sourcePath = resolve(link.path);
    if (isSymlink(sourcePath)) raw.push({ kind: link.kind, sourcePath, exists: true, canonical: sourcePath });
  }
  raw.sort((a, b) =>
    a.canonical.length - b.canonical.length || (PRIORITY[a.kind] ?? 9) - (PRIORITY[b.kind] ?? 9) ||
    a.canonical.localeCompare(b.canonical)
  );
  const seen = new Set<string>();
  const included: BackupAsset[] = [];
  const skipped: BackupSkip[] = [];
  for (const candidate of raw) {
    if (seen.has(candidate.canonical)) continue;
    seen.add(candidate.canonical);
    if (!candidate.exists) {
      const defaultAgentRoot = candidate.kind === "agent" &&
        agentRoots.some((root) =>
          root.sourcePath === candidate.canonical && root.sourcePath === join(stateDir, "agents", root.agentId, "agent")
        );
      if (!defaultAgentRoot) {
        skipped.push({
          kind: candidate.kind,
          sourcePath: candidate.sourcePath,
          displayPath: displayPath(candidate.sourcePath, home),
          reason: "missing",
        });
      }
      continue;
    }
    const owned = candidate.kind === "config" || candidate.kind === "credentials";
    const cover = included.find((a) =>
      owned ? coveredOwned(candidate.canonical, a.sourcePath) : isPathWithin(candidate.canonical, a.sourcePath)
    );
    if (cover) {
      skipped.push({
        kind: candidate.kind,
        sourcePath: candidate.canonical,
        displayPath: displayPath(candidate.canonical, home),
        reason: "covered",
        coveredBy: cover.displayPath,
      });
      continue;
    }
    included.push(asset(candidate.kind, candidate.canonical));
  }
  const regenerable = [
    ...MANAGED_STATE_ROOTS.map((root) => ({ kind: "managed state", sourcePath: join(stateDir, root) })),
    { kind: "plugin skills", sourcePath: join(stateDir, "plugin-skills") },
  ]
    .sort((a, b) => a.sourcePath.localeCompare(b.sourcePath) || a.kind.localeCompare(b.kind));
  for (const resource of regenerable) {
    if (
      policy.isIncluded(resource.sourcePath) || !included.some((a) => isPathWithin(resource.sourcePath, a.sourcePath))
    ) continue;
    if (!exists(resource.sourcePath)) continue;
    skipped.push({ ...resource, displayPath: displayPath(resource.sourcePath, home), reason: "regenerable" });
  }
  return { ...base, included, skipped };
}
