// The config as `resolveTarget` (src/client/target.ts) needs it, without the zod schema when the
// file is plain. Building the schema and validating the whole file was about a fifth of `openclaw
// health`'s CPU, to read a port and a token (docs/performance.md). A config that
// src/config/plain_config_check.ts vouches for is used as parsed; any other goes through the full
// load (parse, substitution, schema) exactly as before, so every fallback and every error stays
// word for word (tests/config/target_config_test.ts).

import JSON5 from "json5";
import { normalizeBasePath } from "./base_path.ts";
import type { EnvSnapshot } from "./paths.ts";
import { isPlainConfig } from "./plain_config_check.ts";
import { readConfigText } from "./read_config_text.ts";
import type { ResolvedGatewayConfig, ResolveInputs } from "./resolve.ts";
import { resolveAuth } from "./resolve_auth.ts";
import { resolveGatewayListen } from "./resolve_listen.ts";
import type { RawConfig } from "./schema.ts";
import { substituteEnv } from "./substitute.ts";
import { deeperThan, MAX_CONFIG_DEPTH } from "./config_depth.ts";
import { ConfigError } from "./errors.ts";
import { providerRefPlaces } from "./provider_refs.ts";
import { isJsonObject } from "../log/json_object.ts";

/** The config file as a target reads it; `plain` when it was vouched for without the schema. */
export interface TargetConfig {
  config: RawConfig;
  exists: boolean;
  plain: boolean;
}

/** The text as JSON5 parses it; undefined on a syntax error (the full load then words it). */
function parsedOf(source: string, parse: (text: string) => unknown): { value: unknown } | undefined {
  try {
    return { value: source.trim() === "" ? {} : parse(source) };
  } catch {
    return undefined;
  }
}

/** The substituted config when the parsed one is plain; undefined when the full load must decide. */
function plainConfigOf(parsed: unknown, env: EnvSnapshot): RawConfig | undefined {
  // A runaway nesting goes to the full load, which refuses it with its path.
  if (!isJsonObject(parsed) || deeperThan(parsed, MAX_CONFIG_DEPTH)) return undefined;
  const substituted = substituteEnv(parsed, env);
  if (substituted.issues.length > 0) return undefined;
  const config: unknown = substituted.value;
  return isPlainConfig(config) ? config : undefined;
}

/**
 * Reads the config at `path` as src/config/load.ts `loadConfig` does (a missing file is empty; an
 * unreadable or invalid one throws the same {@link ConfigError}), loading the schema only for a
 * config that is not plain. The text is parsed once: JSON5 is slow (about 0.6 ms a KB), and a large
 * config with agents or channels, which the schema must judge, would otherwise pay for it twice.
 * `parse` is JSON5's (a test counts its calls).
 */
export async function readTargetConfig(
  path: string,
  env: EnvSnapshot,
  parse: (text: string) => unknown = JSON5.parse,
): Promise<TargetConfig> {
  const source = await readConfigText(path);
  if (source === undefined) return { config: {}, exists: false, plain: true };
  // `$include` is refused by the full load with its position; leave every mention of it there.
  const parsed = source.includes("$include") ? undefined : parsedOf(source, parse);
  const plain = parsed && plainConfigOf(parsed.value, env);
  if (plain) return { config: plain, exists: true, plain: true };
  const { parseConfigText } = await import("./load.ts");
  return { config: (await parseConfigText(source, { path, env, parsed })).config, exists: true, plain: false };
}

/** What `resolveTarget` reads of the resolved config. */
export type TargetView = Pick<ResolvedGatewayConfig, "port" | "portSource" | "bind" | "host" | "auth"> & {
  logging: { file: string | undefined };
  controlUi: { basePath: string };
};

/**
 * The part of src/config/resolve.ts `resolveConfig` a target reads, by the same functions in the
 * same order, for a plain config (whose other sections are absent); the full resolver for any other.
 */
export async function resolveTargetView(inputs: ResolveInputs, plain: boolean): Promise<TargetView> {
  if (!plain) return (await import("./resolve.ts")).resolveGatewayConfig(inputs);
  const { config, env } = inputs;
  const flags = inputs.flags ?? {};
  const gateway = config.gateway ?? {};
  const { port, portSource, bind, listen } = resolveGatewayListen({ ...inputs, gateway });
  return {
    port,
    portSource,
    bind,
    host: listen[0]!.host,
    auth: resolveAuth({
      flags,
      config,
      env,
      readSecretFile: inputs.readSecretFile,
      readStoreValue: inputs.readStoreValue,
    }),
    logging: { file: config.logging?.file },
    controlUi: { basePath: normalizeBasePath(gateway.controlUi?.basePath ?? "") },
  };
}

/** The resolved config a target reads, whether a config file exists, and its problem when it does not load. */
export interface TargetConfigView {
  resolved: TargetView;
  configExists: boolean;
  /** The config problem, when the file does not load (the defaults are used then). */
  configError: ConfigError | undefined;
}

/**
 * Reads and resolves the config for a CLI target: an unreadable or invalid file falls back to the
 * defaults and is reported, as the gateway's own precedence would resolve an empty config.
 */
export async function resolveTargetConfig(
  inputs: Omit<ResolveInputs, "config"> & {
    /** Loads the team store reader; called only for a config that may hold a SecretRef (not a plain one). */
    loadStoreReader?: () => Promise<(name: string) => string | undefined>;
    /** A `--token`/`--password`/`--url` was given: provider-backed gateway auth refs are not run. */
    explicitAuth?: boolean;
  },
): Promise<TargetConfigView> {
  let config: RawConfig = {};
  let configExists = false;
  let configError: ConfigError | undefined;
  // An invalid config falls back to the defaults (an empty config is plain).
  let plain = true;
  try {
    const snapshot = await readTargetConfig(inputs.paths.configPath, inputs.env);
    config = snapshot.config;
    configExists = snapshot.exists;
    plain = snapshot.plain;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    configError = error;
    configExists = true;
  }
  // The store reader opens the state database (node:sqlite): a plain config has no SecretRef to read
  // for, so the commands that only need an address and a token never load it.
  const readStoreValue = inputs.readStoreValue ??
    (!plain && inputs.loadStoreReader ? await inputs.loadStoreReader() : undefined);
  if (!plain && providerRefPlaces(config).some((place) => place.path.startsWith("gateway.auth."))) {
    const { withGatewayAuthRefs } = await import("./runtime_secret_refs.ts");
    const deps = { env: inputs.env, readStore: readStoreValue };
    config = await withGatewayAuthRefs(config, deps, inputs.explicitAuth ?? false);
  }
  const { loadStoreReader: _, explicitAuth: __, ...resolveInputs } = inputs;
  return {
    resolved: await resolveTargetView({ ...resolveInputs, config, readStoreValue }, plain),
    configExists,
    configError,
  };
}
