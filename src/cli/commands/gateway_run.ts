import type { EnvSnapshot } from "../../config/paths.ts";
import { isLoopbackHost } from "../../config/resolve.ts";
import { getLogger } from "../../log/logger.ts";
import type { Gateway } from "../../server/gateway.ts";
import { formatHost } from "../../server/guards.ts";
import { logFileOf } from "../../server/log_config.ts";
import type { PreparedStart, StartRequest } from "../../server/prepare.ts";
import { GatewayRunner } from "../../server/runner.ts";
import { StartupError } from "../../server/startup_error.ts";
import { exitCodeFor, reportError } from "../exit.ts";
import { ConfigError } from "../../config/errors.ts";
import { invalidConfigStartLines } from "./config_common.ts";
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

function announce(prepared: PreparedStart, gateway: Gateway, restartBeganAt?: number): void {
  const log = getLogger("gateway");
  const { config, paths } = prepared;
  // performance.now() counts from process start: the number operators compare against targets. After a restart
  // in place that would be the process's age, so the restart's own time is given instead.
  const ready = restartBeganAt === undefined
    ? `ready ${Math.round(performance.now())}ms after start`
    : `ready ${Math.round(performance.now() - restartBeganAt)}ms after the restart began`;
  log.info(`listening on ${gateway.url} (pid ${Deno.pid}; ${ready})`);
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
 * `openclaw gateway [run]`: runs the gateway in the foreground until SIGINT/SIGTERM (exit 0);
 * start-up refusals exit 78 with OpenClaw's failure signature, a taken port 1 (a unit retries it).
 */
export async function gatewayRun(options: GlobalOptions & GatewayRunOptions): Promise<number> {
  const env: EnvSnapshot = Deno.env.toObject();
  if (options.password !== undefined) {
    printError(
      "Warning: --password can be exposed via process listings. Prefer --password-file or OPENCLAW_GATEWAY_PASSWORD.",
    );
  }
  try {
    return await GatewayRunner.run({
      request: await startRequest(options),
      env,
      verbose: options.verbose ?? false,
      force: options.force ?? false,
      started: announce,
    });
  } catch (error) {
    // A file the schema refuses: the reference's words, issue by issue (a syntax error keeps ours).
    if (error instanceof ConfigError && error.file && error.issues.some((issue) => issue.segments !== undefined)) {
      for (const line of invalidConfigStartLines(error.file, error)) printError(line);
      return exitCodeFor(error);
    }
    // A refusal the reference announces with lines of its own first (the state ownership fence).
    if (error instanceof StartupError) { for (const line of error.preface) printError(line); }
    return reportError(error, {
      prefix: error instanceof StartupError && error.standalone ? "" : "Gateway failed to start: ",
    });
  }
}
