import { ConfigError } from "../config/errors.ts";
import { detectHostFacts } from "../config/host_facts.ts";
import { type EnvSnapshot, pathExists, resolvePaths } from "../config/paths.ts";
import type { BindMode, ValueSource } from "../config/resolve.ts";
import { resolveTargetConfig } from "../config/target_config.ts";
import { readStoredToken, storedTokenPath } from "../state/stored_token.ts";
import { currentLogFile } from "../log/log_file_name.ts";

/** Connection flags shared by every command that talks to a gateway. */
export interface TargetFlags {
  url?: string | undefined;
  port?: string | undefined;
  token?: string | undefined;
  password?: string | undefined;
  profile?: string | undefined;
  dev?: boolean | undefined;
}

/** Where the gateway is, how to authenticate, and the local facts commands report. */
export interface ResolvedTarget {
  url: string;
  token: string | undefined;
  /** Where `token` came from, in words an operator can act on (`--token`, a file, a key); undefined without one. */
  tokenSource: string | undefined;
  password: string | undefined;
  /** The auth mode the config resolves to (`none`: the gateway wants no credentials). */
  authMode: string;
  /** `flag` for --url, else `local loopback`. */
  urlSource: "flag" | "local loopback";
  configPath: string;
  configExists: boolean;
  /** The config problem, when the file does not load (commands still probe with defaults). */
  configError: ConfigError | undefined;
  stateDir: string;
  /** The operator's home (`~` in config paths). */
  home: string;
  profile: string | undefined;
  bind: BindMode;
  bindHost: string;
  port: number;
  portSource: ValueSource;
  logFile: string;
  controlUiBasePath: string;
}

/**
 * Resolves the gateway a CLI command talks to with the same precedence the gateway uses, so
 * `status`, `doctor` and the server agree. With `--url`, only the credentials given on the
 * command line are sent: a secret from the config is never sent to a URL typed by hand.
 */
export async function resolveTarget(flags: TargetFlags, env: EnvSnapshot): Promise<ResolvedTarget> {
  const paths = resolvePaths({ env, profile: flags.profile, dev: flags.dev, exists: pathExists });
  const { resolved, configExists, configError } = await resolveTargetConfig({
    paths,
    env,
    flags: { port: flags.port },
    host: detectHostFacts(),
    readSecretFile: (path) => Deno.readTextFileSync(path),
    loadStoreReader: async () => (await import("../state/secret_store_reader.ts")).storeValueReader(paths.stateDir),
    explicitAuth: flags.token !== undefined || flags.password !== undefined || flags.url !== undefined,
  });
  const explicitUrl = flags.url !== undefined;
  const stored = explicitUrl || flags.token !== undefined || resolved.auth.token !== undefined
    ? undefined
    : await readStoredToken(paths.stateDir).catch(() => undefined);
  const token = flags.token ?? (explicitUrl ? undefined : resolved.auth.token ?? stored);
  const tokenSource = flags.token !== undefined
    ? "--token"
    : token === undefined
    ? undefined
    : stored !== undefined
    ? `the stored token file ${storedTokenPath(paths.stateDir)}`
    : resolved.auth.tokenSource === "env"
    ? "OPENCLAW_GATEWAY_TOKEN"
    : `gateway.auth.token in ${paths.configPath}`;
  const password = flags.password ?? (explicitUrl ? undefined : resolved.auth.password);
  return {
    url: flags.url ?? `ws://127.0.0.1:${resolved.port}`,
    token,
    tokenSource,
    password,
    authMode: resolved.auth.mode,
    urlSource: explicitUrl ? "flag" : "local loopback",
    configPath: paths.configPath,
    configExists,
    configError,
    stateDir: paths.stateDir,
    home: paths.home,
    profile: paths.profile,
    bind: resolved.bind,
    bindHost: resolved.host,
    port: resolved.port,
    portSource: resolved.portSource,
    logFile: currentLogFile({
      file: resolved.logging.file,
      directory: `${paths.stateDir}/logs`,
      profile: paths.profile,
    }),
    controlUiBasePath: resolved.controlUi.basePath,
  };
}
