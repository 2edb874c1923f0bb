import { ConfigError } from "./errors.ts";

/** Environment variables as read once at the edge; resolution never reads `Deno.env` itself. */
export type EnvSnapshot = Readonly<Record<string, string | undefined>>;

/** What the CLI knows before any config is read: global flags plus the environment. */
export interface PathInputs {
  env: EnvSnapshot;
  /** `--profile NAME`, as given. */
  profile?: string | undefined;
  /** Global `--dev`. */
  dev?: boolean | undefined;
  /** Existence check, injected so resolution stays testable without a disk. */
  exists?: ((path: string) => boolean) | undefined;
}

/** Where this gateway keeps its config and state, after profiles and env are applied. */
export interface GatewayPaths {
  home: string;
  /** The active profile name, or undefined for the default profile. */
  profile: string | undefined;
  /** True for `--dev` (profile `dev` with its base port 19001). */
  dev: boolean;
  stateDir: string;
  configPath: string;
  /** True when `OPENCLAW_CONFIG_PATH` chose the config file. */
  configPathFromEnv: boolean;
}

/** True when something exists at `path`; the `exists` callers pass to {@link resolvePaths}. */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Resolves the home directory as OpenClaw does: OPENCLAW_HOME, HOME, then USERPROFILE. */
export function resolveHome(env: EnvSnapshot): string {
  const home = env.OPENCLAW_HOME || env.HOME || env.USERPROFILE;
  if (!home) {
    throw new ConfigError(
      "Cannot resolve the home directory: HOME is not set. Set HOME or OPENCLAW_STATE_DIR and retry",
    );
  }
  return home;
}

/** Expands a leading `~` against the resolved home. */
export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return `${home}/${path.slice(2)}`;
  return path;
}

/** Picks the active profile from `--dev`, `--profile` or OPENCLAW_PROFILE; `default` means none. */
export function resolveProfile(input: PathInputs): { profile: string | undefined; dev: boolean } {
  if (input.dev && input.profile !== undefined) {
    throw new ConfigError("Cannot combine --dev with --profile", { exitKind: "usage" });
  }
  if (input.dev) return { profile: "dev", dev: true };
  const name = input.profile ?? input.env.OPENCLAW_PROFILE;
  if (name === undefined || name === "" || name === "default") {
    return { profile: undefined, dev: false };
  }
  if (!PROFILE_NAME.test(name)) {
    throw new ConfigError(
      `Invalid profile name "${name}". Use letters, digits, "_" or "-", starting with a letter or digit (at most 64 characters)`,
      { exitKind: "usage" },
    );
  }
  return { profile: name, dev: false };
}

/** Resolves state dir and config path: explicit env wins, then the profile, then `~/.openclaw`. */
export function resolvePaths(input: PathInputs): GatewayPaths {
  const { env } = input;
  const exists = input.exists ?? (() => false);
  const home = resolveHome(env);
  const { profile, dev } = resolveProfile(input);

  let stateDir: string;
  if (env.OPENCLAW_STATE_DIR) {
    stateDir = expandHome(env.OPENCLAW_STATE_DIR, home);
  } else if (profile) {
    stateDir = `${home}/.openclaw-${profile}`;
  } else {
    const current = `${home}/.openclaw`;
    const legacy = `${home}/.clawdbot`;
    stateDir = !exists(current) && exists(legacy) ? legacy : current;
  }

  if (env.OPENCLAW_CONFIG_PATH) {
    return {
      home,
      profile,
      dev,
      stateDir,
      configPath: expandHome(env.OPENCLAW_CONFIG_PATH, home),
      configPathFromEnv: true,
    };
  }
  const candidates = [`${stateDir}/openclaw.json`, `${stateDir}/clawdbot.json`];
  const configPath = candidates.find(exists) ?? candidates[0]!;
  return { home, profile, dev, stateDir, configPath, configPathFromEnv: false };
}
