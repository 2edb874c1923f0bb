import type { EnvSnapshot } from "../../config/paths.ts";
import { isLoopbackHost } from "../../config/resolve.ts";
import { getLogger } from "../../log/logger.ts";
import { currentLogFile, setupLogging, shutdownLogging } from "../../log/setup.ts";
import { freePort } from "../../server/force.ts";
import { Gateway } from "../../server/gateway.ts";
import { formatHost } from "../../server/guards.ts";
import { InstanceLock } from "../../server/instance_lock.ts";
import { type PreparedStart, prepareStart, type StartRequest } from "../../server/prepare.ts";
import { SignalWatcher } from "../../server/shutdown.ts";
import { reportError } from "../exit.ts";
import type { GatewayRunOptions, GlobalOptions } from "../main.ts";
import { printError } from "../output.ts";

async function startRequest(options: GlobalOptions & GatewayRunOptions): Promise<StartRequest> {
  const password = options.passwordFile ? (await Deno.readTextFile(options.passwordFile)).trim() : options.password;
  return {
    profile: options.profile,
    dev: options.dev,
    logLevel: options.logLevel,
    allowUnconfigured: options.allowUnconfigured,
    flags: { port: options.port, bind: options.bind, auth: options.auth, token: options.token, password },
  };
}

async function configureLogging(prepared: PreparedStart, verbose: boolean): Promise<void> {
  const { config, secrets, paths } = prepared;
  await setupLogging({
    fileLevel: config.logging.level,
    consoleLevel: verbose && config.logging.consoleLevel !== "trace" ? "debug" : config.logging.consoleLevel,
    file: config.logging.file,
    directory: `${paths.stateDir}/logs`,
    profile: paths.profile,
    maxFileBytes: config.logging.maxFileBytes,
    secrets: [secrets.token, secrets.password].filter((s): s is string => s !== undefined),
  });
}

function logFileOf(prepared: PreparedStart): string {
  const { config, paths } = prepared;
  return currentLogFile({ file: config.logging.file, directory: `${paths.stateDir}/logs`, profile: paths.profile });
}

function announce(prepared: PreparedStart, gateway: Gateway): void {
  const log = getLogger("gateway");
  const { config, paths } = prepared;
  // performance.now() counts from process start: the number operators compare against targets.
  log.info(`listening on ${gateway.url} (pid ${Deno.pid}; ready ${Math.round(performance.now())}ms after start)`);
  log.info(`config: ${paths.configPath}${prepared.snapshot.exists ? "" : " (not found; built-in defaults)"}`);
  log.info(`state dir: ${paths.stateDir}; log file: ${logFileOf(prepared)}`);
  const host = isLoopbackHost(config.host) || config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  if (config.controlUi.enabled) {
    log.info(`dashboard: http://${formatHost(host)}:${config.port}${config.controlUi.basePath}/`);
  }
  if (prepared.generatedTokenPath) {
    log.info(
      `auth token generated and stored in ${prepared.generatedTokenPath} (mode 0600). ` +
        "Clients on this host read it from there; remote clients pass it with --token or OPENCLAW_GATEWAY_TOKEN.",
    );
  }
  if (config.auth.mode === "none") {
    log.warn("Gateway auth mode=none explicitly configured; all gateway connections are unauthenticated.");
  }
}

/**
 * `openclaw gateway [run]`: resolve config, run the start-up guards, take the state-dir lock,
 * serve until SIGINT/SIGTERM (exit 0), and restart in place on SIGUSR2.
 */
export async function gatewayRun(options: GlobalOptions & GatewayRunOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  if (options.password !== undefined) {
    printError(
      "Warning: --password can be exposed via process listings. Prefer --password-file or OPENCLAW_GATEWAY_PASSWORD.",
    );
  }
  let prepared: PreparedStart;
  try {
    prepared = await prepareStart(await startRequest(options), env);
  } catch (error) {
    return reportError(error, { prefix: "Gateway failed to start: " });
  }
  await configureLogging(prepared, options.verbose ?? false);
  const log = getLogger("gateway");
  const signals = new SignalWatcher();
  let lock: InstanceLock | undefined;
  try {
    if (options.force) await freePort({ host: prepared.config.listen[0]!.host, port: prepared.config.port, log });
    lock = await InstanceLock.acquire({
      stateDir: prepared.paths.stateDir,
      configPath: prepared.paths.configPath,
      port: prepared.config.port,
    });
    const startGateway = (p: PreparedStart) =>
      Gateway.start({
        config: p.config,
        snapshot: p.snapshot,
        env,
        secrets: p.secrets,
        logFile: () => logFileOf(p),
        requestRestart: () => signals.inject("SIGUSR2"),
      });
    let gateway = await startGateway(prepared);
    announce(prepared, gateway);
    for (;;) {
      const signal = await signals.next();
      if (signal !== "SIGUSR2") {
        log.info(`received ${signal}; shutting down`);
        await gateway.stop({ reason: "gateway stopping" });
        break;
      }
      log.info("received SIGUSR2; restarting");
      let next: PreparedStart;
      try {
        next = await prepareStart(await startRequest(options), env);
      } catch (error) {
        // A broken config must not take down a running gateway: keep serving the old one.
        log.error(`restart skipped; the running config stays in force: ${(error as Error).message}`);
        continue;
      }
      await gateway.stop({ reason: "gateway restarting", restartExpectedMs: 1500 });
      prepared = next;
      await configureLogging(prepared, options.verbose ?? false);
      gateway = await startGateway(prepared);
      announce(prepared, gateway);
    }
    return 0;
  } catch (error) {
    return reportError(error, { prefix: "Gateway failed to start: " });
  } finally {
    signals.dispose();
    await lock?.release();
    await shutdownLogging();
  }
}
