// Skill gating and the status report, in the reference's shape (`skills.status`, `skills info
// --json`): each skill's requirements (binaries on PATH, env vars, truthy config paths, OS), what
// is missing, whether config disables it, the bundled allowlist blocks it or the agent allowlist
// hides it, and so whether the model sees it and whether it is a command.
import { delimiter, join } from "node:path";
import { isJsonObject } from "../../log/json_object.ts";
import { binaryLookups, type MissingBinaries } from "./missing_binaries.ts";
import type { AgentSkillsSettings, SkillEntryConfig } from "../../config/resolve_knowledge.ts";
import type { SkillEntry, SkillSource } from "./skill_load.ts";

/** Requirement lists, as declared or as missing. */
export interface SkillRequirements {
  bins: string[];
  anyBins: string[];
  env: string[];
  config: string[];
  os: string[];
}

/** One skill as `skills.status` reports it (key order as the reference's). */
export interface SkillStatus {
  name: string;
  description: string;
  source: SkillSource;
  bundled: boolean;
  filePath: string;
  baseDir: string;
  skillKey: string;
  primaryEnv?: string | undefined;
  emoji?: string | undefined;
  homepage?: string | undefined;
  always: boolean;
  disabled: boolean;
  blockedByAllowlist: boolean;
  blockedByAgentFilter: boolean;
  eligible: boolean;
  platformIncompatible: boolean;
  modelVisible: boolean;
  userInvocable: boolean;
  commandVisible: boolean;
  requirements: SkillRequirements;
  missing: SkillRequirements;
  configChecks: { path: string; satisfied: boolean }[];
  install: Record<string, unknown>[];
}

/** What gating asks of the host; tests pass their own. */
export interface SkillHost {
  /** The process environment's value of a variable. */
  env(name: string): string | undefined;
  hasBinary(name: string): boolean;
  /** node:process's platform name (`linux`, `darwin`, `win32`). */
  platform: string;
}

/** Config paths the reference treats as on when unset. */
const CONFIG_DEFAULTS: Readonly<Record<string, unknown>> = { "browser.enabled": true, "browser.evaluateEnabled": true };

/**
 * The real host: its environment, PATH (looked up once per binary) and platform. `missing` keeps, between hosts, the
 * binaries a PATH directory had no entry for, while the directory is unchanged (missing_binaries.ts).
 */
export function processSkillHost(
  options: {
    missing?: MissingBinaries | undefined;
    /** The PATH searched (the process's by default). */
    path?: string | undefined;
    /** The clock that says whether a directory's stamp has settled (tests move it). */
    now?: () => number;
  } = {},
): SkillHost {
  const seen = new Map<string, boolean>();
  const lookups = binaryLookups(options.missing, options.now ?? Date.now);
  const dirs = (options.path ?? Deno.env.get("PATH") ?? "").split(delimiter).filter(Boolean);
  return {
    env: (name) => Deno.env.get(name),
    hasBinary: (name) => {
      let found = seen.get(name);
      if (found === undefined) {
        found = dirs.some((dir) => {
          if (lookups.missing(dir, name)) return false;
          try {
            const stat = Deno.statSync(join(dir, name));
            return stat.isFile && ((stat.mode ?? 0o111) & 0o111) !== 0;
          } catch (error) {
            if (error instanceof Deno.errors.NotFound) lookups.notFound(dir, name);
            return false;
          }
        });
        seen.set(name, found);
      }
      return found;
    },
    platform: Deno.build.os === "windows" ? "win32" : Deno.build.os,
  };
}

/** The `skills.entries` key of a skill: its `metadata.openclaw.skillKey`, else its name. */
export function skillKeyOf(skill: SkillEntry): string {
  return skill.metadata?.skillKey ?? skill.name;
}

/** Whether a dotted config path is truthy (with the reference's defaults for unset paths). */
export function configPathTruthy(config: Readonly<Record<string, unknown>>, path: string): boolean {
  let node: unknown = config;
  for (const part of path.split(".")) {
    node = isJsonObject(node) ? node[part] : undefined;
    if (node === undefined) break;
  }
  if (node === undefined && Object.hasOwn(CONFIG_DEFAULTS, path)) node = CONFIG_DEFAULTS[path];
  return Boolean(node);
}

function nonEmpty(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

function envSatisfied(name: string, entry: SkillEntryConfig | undefined, skill: SkillEntry, host: SkillHost): boolean {
  if (nonEmpty(host.env(name)) || nonEmpty(entry?.env?.[name])) return true;
  const apiKey = entry?.apiKey;
  const configured = nonEmpty(apiKey) || (isJsonObject(apiKey) && nonEmpty(apiKey.id));
  return skill.metadata?.primaryEnv === name && configured;
}

const normalizeOs = (os: string) => (os.trim().toLowerCase() === "macos" ? "darwin" : os.trim().toLowerCase());

/** One skill's status under the agent's settings on this host. */
export function skillStatus(
  skill: SkillEntry,
  settings: AgentSkillsSettings | undefined,
  host: SkillHost,
): SkillStatus {
  const skillKey = skillKeyOf(skill);
  const entry = settings?.entries[skillKey];
  const metadata = skill.metadata;
  const always = metadata?.always === true;
  const required: SkillRequirements = {
    bins: metadata?.requires?.bins ?? [],
    anyBins: metadata?.requires?.anyBins ?? [],
    env: metadata?.requires?.env ?? [],
    config: metadata?.requires?.config ?? [],
    os: metadata?.os ?? [],
  };
  const configChecks = required.config.map((path) => ({
    path,
    satisfied: configPathTruthy(settings?.config ?? {}, path),
  }));
  const osOk = required.os.length === 0 || required.os.map(normalizeOs).includes(normalizeOs(host.platform));
  const missing: SkillRequirements = {
    bins: always ? [] : required.bins.filter((bin) => !host.hasBinary(bin)),
    anyBins: always || required.anyBins.length === 0 || required.anyBins.some((bin) => host.hasBinary(bin))
      ? []
      : required.anyBins,
    env: always ? [] : required.env.filter((name) => !envSatisfied(name, entry, skill, host)),
    config: always ? [] : configChecks.filter((check) => !check.satisfied).map((check) => check.path),
    os: osOk ? [] : required.os,
  };
  const satisfied = missing.os.length === 0 &&
    (always || (missing.bins.length + missing.anyBins.length + missing.env.length + missing.config.length === 0));
  const disabled = entry?.enabled === false;
  // allowBundled filters bundled skills only, and this gateway has none.
  const blockedByAllowlist = false;
  const eligible = !disabled && !blockedByAllowlist && satisfied;
  const blockedByAgentFilter = settings?.filter !== undefined && !settings.filter.includes(skill.name);
  const available = eligible && !blockedByAgentFilter;
  const emoji = metadata?.emoji ?? skill.frontmatter.emoji;
  const homepage = (metadata?.homepage ?? skill.frontmatter.homepage ?? skill.frontmatter.website ??
    skill.frontmatter.url)?.trim();
  return {
    name: skill.name,
    description: skill.description,
    source: skill.source,
    bundled: false,
    filePath: skill.filePath,
    baseDir: skill.baseDir,
    skillKey,
    primaryEnv: metadata?.primaryEnv,
    emoji: emoji || undefined,
    homepage: homepage || undefined,
    always,
    disabled,
    blockedByAllowlist,
    blockedByAgentFilter,
    eligible,
    platformIncompatible: missing.os.length > 0,
    modelVisible: available && !skill.disableModelInvocation,
    userInvocable: skill.userInvocable,
    commandVisible: available && skill.userInvocable,
    requirements: required,
    missing,
    configChecks,
    install: installOptions(metadata?.install ?? [], host.platform),
  };
}

/** Installer options for clients: id, kind, label and bins of the specs for this platform. */
function installOptions(specs: readonly Record<string, unknown>[], platform: string): Record<string, unknown>[] {
  return specs.flatMap((spec, index) => {
    const kind = typeof spec.kind === "string" ? spec.kind : typeof spec.type === "string" ? spec.type : "";
    const os = Array.isArray(spec.os) ? spec.os.map(String).map(normalizeOs) : [];
    if (!kind || (os.length > 0 && !os.includes(normalizeOs(platform)))) return [];
    const bins = Array.isArray(spec.bins) ? spec.bins.map(String) : [];
    return [{
      id: typeof spec.id === "string" ? spec.id : `${kind}-${index}`,
      kind,
      label: typeof spec.label === "string" ? spec.label : `Install (${kind})`,
      bins,
    }];
  });
}

/** Whether a skill is held back by a missing requirement (not by config or allowlists). */
export function hasMissingRequirements(status: SkillStatus): boolean {
  return !status.eligible && !status.disabled && !status.blockedByAllowlist;
}

/** The `skills.status` report of one agent. */
export interface SkillStatusReport {
  workspaceDir: string;
  managedSkillsDir: string;
  agentId: string;
  agentSkillFilter?: string[] | undefined;
  skills: SkillStatus[];
}

/** The skill a name (or skill key) designates, as the reference resolves `skills info <name>`. */
export function findSkillStatus(skills: readonly SkillStatus[], requested: string): SkillStatus | undefined {
  const raw = requested.trim();
  if (!raw) return undefined;
  const lower = raw.toLowerCase();
  const norm = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const matchers: ((s: SkillStatus) => boolean)[] = [
    (s) => s.name === raw,
    (s) => s.skillKey === raw,
    (s) => s.name.toLowerCase() === lower || s.skillKey.toLowerCase() === lower,
    (s) => norm(raw) !== "" && (norm(s.name) === norm(raw) || norm(s.skillKey) === norm(raw)),
  ];
  for (const matches of matchers) {
    const found = skills.filter(matches);
    if (found.length > 0) return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
}
