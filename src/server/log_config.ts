import { credentialKeyNames, sensitiveLeaves } from "../config/sensitive.ts";
import { currentLogFile, setupLogging } from "../log/setup.ts";
import type { PreparedStart } from "./prepare.ts";

/** The log file a prepared start writes to now. */
export function logFileOf(prepared: PreparedStart): string {
  const { config, paths } = prepared;
  return currentLogFile({ file: config.logging.file, directory: `${paths.stateDir}/logs`, profile: paths.profile });
}

/**
 * (Re)configures logging for a prepared start: levels and file from the config, redaction of
 * the secrets in force (the gateway's own, every value the config schema marks sensitive:
 * hook token, provider keys and headers, channel tokens, and what `secrets.providers` resolved)
 * and of the schema's credential key names. Called at start and on every reload, so a rotated
 * secret is masked too.
 */
export async function configureLogging(prepared: PreparedStart, options: { verbose: boolean }): Promise<void> {
  const { config, secrets, paths, snapshot } = prepared;
  const configured = sensitiveLeaves(snapshot.config).map((leaf) => leaf.value);
  await setupLogging({
    fileLevel: config.logging.level,
    consoleLevel: options.verbose && config.logging.consoleLevel !== "trace" ? "debug" : config.logging.consoleLevel,
    file: config.logging.file,
    directory: `${paths.stateDir}/logs`,
    profile: paths.profile,
    maxFileBytes: config.logging.maxFileBytes,
    secrets: [secrets.token, secrets.password, ...configured, ...prepared.secretRefs.values.values()]
      .filter((s): s is string => s !== undefined),
    credentialKeys: credentialKeyNames(),
  });
}
