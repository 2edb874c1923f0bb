import { ConfigError, formatIssue, reloadIssueSummary } from "../config/errors.ts";
import { changedPaths } from "../config/diff.ts";
import { loadConfig } from "../config/load.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import { planConfigReload } from "../config/reload_plan.ts";
import { ignoredKeys } from "../config/implemented_keys.ts";
import { sandboxNetworkWarnings } from "../config/sandbox_warnings.ts";
import { ConfigWatcher } from "../config/watch.ts";
import { getLogger } from "../log/logger.ts";
import { shutdownLogging } from "../log/setup.ts";
import type { ConfigReloadStatus } from "../rpc/methods/health.ts";
import { ControlQueue } from "./control_queue.ts";
import { freePort } from "./force.ts";
import { Gateway } from "./gateway.ts";
import { InstanceLock } from "./instance_lock.ts";
import { configureLogging, logFileOf } from "./log_config.ts";
import { type PreparedStart, prepareStart, resolveSnapshot, type StartRequest } from "./prepare.ts";
import { containRejections } from "./rejections.ts";
import { ownStartTime } from "../state/process_probe.ts";
import { ReferenceLock } from "./reference_lock.ts";
import { argvProvesGateway } from "./reference_lock_format.ts";
import { checkStateFenceAtStart } from "./state_fence_start.ts";
import { messageOf } from "../log/error_text.ts";

/** How long clients are told a restart takes (`shutdown.restartExpectedMs`). */
const RESTART_EXPECTED_MS = 1500;

/** Options of {@link GatewayRunner.run}. */
export interface RunnerOptions {
  request: StartRequest;
  env: EnvSnapshot;
  verbose: boolean;
  force: boolean;
  /**
   * Called once the gateway listens (the CLI prints its banner); after a restart in place, `restartBeganAt` is when
   * that restart began (`performance.now()`).
   */
  started(prepared: PreparedStart, gateway: Gateway, restartBeganAt?: number): void;
}

function describeError(error: unknown): string {
  if (error instanceof ConfigError && error.issues.length > 0) {
    return error.issues.map((issue) => formatIssue(issue, error.file)).join("; ");
  }
  return messageOf(error).split("\n").join(" ");
}

/**
 * The process lifecycle of `gateway run`: lock the state dir, serve, and handle one control
 * event at a time: stop (SIGINT/SIGTERM), restart in place (SIGUSR2, `config.apply`), and config
 * reloads (file edits, RPC writes and SIGHUP), each planned by the one reload table. A bad edit or a
 * restart that cannot bind never takes the running gateway down.
 */
export class GatewayRunner {
  #options: RunnerOptions;
  #control = new ControlQueue();
  #log = getLogger("gateway/reload");
  #prepared!: PreparedStart;
  #gateway!: Gateway;
  #watcher: ConfigWatcher | undefined;
  /** The reference's gateway lock, held beside our own (reference_lock.ts); taken afresh at a restart in place. */
  #referenceLock: ReferenceLock | undefined;
  /** This process's start time as the reference's locks carry it (none when its argv proves the gateway). */
  #startTime: number | undefined;
  /** Why the reference lock could not be taken again after a restart in place: the process then stops. */
  #lostLock: string | undefined;
  /** The edit a deferred restart waits to apply while work in progress finishes (its file's hash, its reason). */
  #deferredRestart: { hash: string; reason: string } | undefined;
  #status: ConfigReloadStatus = {
    hotReloadStatus: "active",
    mode: "hybrid",
    lastError: null,
    pendingRestart: [],
    lastAppliedAt: null,
    ignoredKeys: [],
  };

  private constructor(options: RunnerOptions) {
    this.#options = options;
  }

  /**
   * Runs the gateway until it is stopped; resolves with the exit code. Start-up refusals are
   * thrown (the CLI edge turns them into exit codes); nothing after start-up is.
   */
  static async run(options: RunnerOptions): Promise<number> {
    return await new GatewayRunner(options).#run();
  }

  async #run(): Promise<number> {
    let lock: InstanceLock | undefined;
    const releaseRejections = containRejections(getLogger("gateway"));
    // The reference knows the binary (`openclaw gateway run`) by its argv; under `deno run` only by the start time in
    // its locks, which only a spawn can read (process_probe.ts, about 1 MB of idle RSS for Deno's child-process
    // machinery): started now, it is done by the time the config is loaded and the locks are taken.
    const startTime = argvProvesGateway(Deno.execPath(), Deno.args) ? Promise.resolve(undefined) : ownStartTime();
    try {
      // Before anything is written or bound, and before the other start refusals (as the reference orders
      // them, tests/fixtures/database/fence_start_order.json): a state database another program owns refuses
      // the start, unless another gateway holds the state dir, whose refusal comes first. With a config that
      // does not load, the reference fails later, on the fence (exit 1), before it reports the config.
      const env = this.#options.env;
      this.#prepared = await prepareStart(this.#options.request, env, undefined, {
        beforeGuards: (paths) =>
          checkStateFenceAtStart(paths.stateDir, env, async () => {
            await InstanceLock.assertFree(paths.stateDir);
            await ReferenceLock.assertFree(paths);
          }),
        invalidConfig: (paths) => checkStateFenceAtStart(paths.stateDir, env, undefined, "runtime"),
      });
      await configureLogging(this.#prepared, { verbose: this.#options.verbose });
      noteSecretWarnings(this.#prepared);
      const { config, paths } = this.#prepared;
      if (this.#options.force) {
        await freePort({ host: config.listen[0]!.host, port: config.port, log: getLogger("gateway") });
      }
      lock = await InstanceLock.acquire({ stateDir: paths.stateDir, configPath: paths.configPath, port: config.port });
      // Held beside our own lock so the reference's CLI and gateway see this one running (reference_lock.ts); a live
      // reference gateway on this state dir refuses the start here.
      this.#startTime = await startTime;
      this.#referenceLock = await ReferenceLock.acquire({
        stateDir: paths.stateDir,
        configPath: paths.configPath,
        port: config.port,
        startTime: this.#startTime,
      });
      // Watch before binding, so no edit made once the port answers can be missed; one check
      // after start covers an edit made between the first read and the watch.
      this.#watch();
      // Walked before the port is bound, not after: a client connecting as the port accepts would wait for it
      // (0.7-2 ms on a first call). Recorded and warned about after the "listening" lines as before, before any
      // connect is read, so the first hello-ok's health names them all the same (docs/performance.md).
      const ignored = ignoredKeys(this.#prepared.snapshot.authored);
      this.#gateway = await this.#startGateway(this.#prepared);
      this.#options.started(this.#prepared, this.#gateway);
      this.#noteIgnoredKeys(this.#prepared, ignored);
      for (const warning of sandboxNetworkWarnings(this.#prepared.config.agents)) getLogger("sandbox").warn(warning);
      this.#watcher?.poke();
      for (;;) {
        const event = await this.#control.next();
        if (event.kind === "stop") {
          getLogger("gateway").info(`received ${event.signal}; shutting down`);
          await this.#gateway.stop({ reason: "gateway stopping" });
          return 0;
        }
        if (event.kind === "restart") {
          try {
            await this.#restartFromDisk(event.reason);
          } finally {
            event.handled?.();
          }
        } else {
          try {
            await this.#reload(event.source);
          } finally {
            event.handled?.();
          }
        }
        if (this.#lostLock) {
          getLogger("gateway").error(this.#lostLock);
          await this.#gateway.stop({ reason: "gateway stopping" });
          return 1;
        }
        // Clients (the Control UI's overview) learn the outcome now, not at the next 60 s refresh.
        this.#gateway.refreshHealth();
      }
    } finally {
      releaseRejections();
      this.#watcher?.close();
      this.#control.dispose();
      await this.#referenceLock?.release();
      await lock?.release();
      await shutdownLogging();
    }
  }

  #startGateway(prepared: PreparedStart): Promise<Gateway> {
    this.#status.mode = prepared.config.reload.mode;
    this.#status.hotReloadStatus = prepared.config.reload.mode === "off" ? "disabled" : "active";
    return Gateway.start({
      config: prepared.config,
      snapshot: prepared.snapshot,
      env: this.#options.env,
      secrets: prepared.secrets,
      logFile: () => logFileOf(this.#prepared),
      requestRestart: (reason = "config.apply", handled) => this.#control.push({ kind: "restart", reason, handled }),
      lockIdentity: () => this.#referenceLock?.identity,
      configWritten: () =>
        new Promise<void>((handled) => this.#control.push({ kind: "reload", source: "rpc", handled })),
      reloadSecrets: () => this.#reloadSecrets(),
      reloadStatus: () => this.#status,
      // A preview reuses the provider-backed values in force: it must not run exec providers on every config.set.
      resolve: (snapshot) =>
        resolveSnapshot(this.#options.request, this.#options.env, snapshot, this.#prepared.secretRefs),
    });
  }

  #watch(): void {
    const { paths, config } = this.#prepared;
    this.#watcher = new ConfigWatcher(paths.configPath, {
      debounceMs: config.reload.debounceMs,
      onChange: () => this.#control.push({ kind: "reload", source: "watch" }),
      log: this.#log,
    });
    this.#watcher.start();
  }

  /**
   * Reads the edited file and applies it as the reload plan says. SIGHUP is the operator asking
   * explicitly: it is logged, and applies even with gateway.reload.mode=off.
   */
  async #reload(source: "watch" | "rpc" | "SIGHUP"): Promise<void> {
    const requested = source === "SIGHUP";
    const current = this.#prepared;
    if (requested) this.#log.info(`received SIGHUP; reloading config from ${current.paths.configPath}`);
    let next: PreparedStart;
    try {
      const snapshot = await loadConfig(current.paths.configPath, this.#options.env);
      if (snapshot.hash === current.snapshot.hash) {
        // Our own write, a touch, or a bad edit undone back to the config in force: the file is
        // valid and applied, so an error about an earlier state of it no longer holds.
        this.#status.lastError = null;
        if (requested) this.#log.info("config unchanged; nothing to reload");
        this.#callOffDeferredRestart();
        return;
      }
      next = await prepareStart(this.#options.request, this.#options.env, snapshot);
    } catch (error) {
      this.#status.lastError = describeError(error);
      // The reference's line, level and wording: operators and their log filters know it.
      const summary = error instanceof ConfigError && error.issues.length > 0
        ? reloadIssueSummary(error.issues)
        : this.#status.lastError;
      this.#log.warn(`config reload skipped (invalid config): ${summary}`);
      return;
    }
    const changed = changedPaths(current.snapshot.authored, next.snapshot.authored);
    const plan = planConfigReload({ current: current.config, next: next.config, changed, requested });
    this.#watcher?.setDebounce(next.config.reload.debounceMs);
    // A restart clears the error only once it worked: a second event for the same edit (editors
    // write twice) must not show "no error" while it retries a restart that will fail again.
    if (plan.action !== "restart") {
      this.#status.lastError = null;
      this.#callOffDeferredRestart();
    }
    this.#status.mode = next.config.reload.mode;
    this.#status.hotReloadStatus = next.config.reload.mode === "off" ? "disabled" : "active";
    const list = changed.join(", ");
    switch (plan.action) {
      case "none":
        this.#prepared = next;
        noteSecretWarnings(next);
        this.#noteIgnoredKeys(next);
        return;
      case "ignore":
        // The applied snapshot stays put, so switching back to a live mode applies the backlog.
        this.#log.info(`config reload disabled (gateway.reload.mode=off); not applied (${list})`);
        return;
      case "hot":
      case "hot-with-pending-restart":
        this.#log.info(`config change detected; evaluating reload (${list})`);
        await this.#applyHot(next);
        this.#log.info(`config hot reload applied (${plan.hot.join(", ")})`);
        if (plan.action === "hot-with-pending-restart") {
          this.#status.pendingRestart = [...new Set([...this.#status.pendingRestart, ...plan.restart])];
          this.#log.warn(
            `config change requires gateway restart (${
              plan.restart.join(", ")
            }); deferred because gateway.reload.mode=hot. Restart the gateway to apply it`,
          );
        }
        return;
      case "restart": {
        const reasons = plan.restart.concat(plan.hot).join(", ");
        // The same edit seen twice (our write, then the watcher): already waiting for the work to finish.
        if (this.#deferredRestart?.hash === next.snapshot.hash) return;
        const reason = `config reload: ${reasons}`;
        const waiting = await this.#gateway.deferRestart(reason);
        if (waiting) {
          // As the reference: a run in progress finishes first; the restart then reads the file again. The reason
          // stays the first edit's: the scheduler's pending restart carries it (what a call-off names).
          this.#deferredRestart = { hash: next.snapshot.hash, reason: this.#deferredRestart?.reason ?? reason };
          this.#status.pendingRestart = plan.restart;
          this.#log.warn(
            waiting.length > 0
              ? `config change requires gateway restart (${reasons}) — deferring until ${waiting.join(", ")} complete`
              : `config change requires gateway restart (${reasons}) — joining the restart already pending`,
          );
          return;
        }
        this.#log.info(`config change requires gateway restart (${reasons}) — restarting`);
        await this.#restart(next, "config reload");
        return;
      }
    }
  }

  /**
   * An edit undone (the file back to the config in force) or superseded by one that needs no restart: the restart
   * deferred for the earlier edit is called off unless another request joined it, and nothing waits for a restart.
   */
  #callOffDeferredRestart(): void {
    const deferred = this.#deferredRestart;
    if (!deferred) return;
    this.#deferredRestart = undefined;
    this.#status.pendingRestart = [];
    if (this.#gateway.cancelRestart(deferred.reason)) {
      this.#log.info("deferred gateway restart called off: the config in force no longer needs it");
    }
  }

  /**
   * `secrets.reload`: the config in force resolved again, so its SecretRefs read the store (or env, or
   * file) afresh; a reference that no longer resolves throws and changes nothing. The caller applies the
   * result once its reply is written: a rotated token closes the sessions opened with the old one, the
   * caller's own included.
   */
  async #reloadSecrets(): Promise<{ warningCount: number; apply(): Promise<void> }> {
    const next = await prepareStart(this.#options.request, this.#options.env, this.#prepared.snapshot);
    return { warningCount: next.secretRefs.warnings.length, apply: () => this.#applyHot(next) };
  }

  async #applyHot(next: PreparedStart): Promise<void> {
    this.#gateway.applyHot(next);
    await configureLogging(next, { verbose: this.#options.verbose });
    noteSecretWarnings(next);
    this.#prepared = next;
    this.#status.lastAppliedAt = Date.now();
    this.#noteIgnoredKeys(next);
  }

  /**
   * Records which keys of the config now in force do nothing here, for `health`, and names them
   * in one warning when the list changes (at start, and after an edit that adds or removes one).
   */
  #noteIgnoredKeys(prepared: PreparedStart, keys: string[] = ignoredKeys(prepared.snapshot.authored)): void {
    if (keys.join("\n") === this.#status.ignoredKeys.join("\n")) return;
    this.#status.ignoredKeys = keys;
    if (keys.length === 0) return;
    getLogger("gateway").warn(
      `config keys this gateway does not implement are ignored: ${keys.join(", ")} (${prepared.paths.configPath})`,
    );
  }

  /** SIGUSR2 or `config.apply`: restart with whatever the file says now. */
  async #restartFromDisk(reason: string): Promise<void> {
    getLogger("gateway").info(`received ${reason}; restarting`);
    // A deferred restart is consumed here even when the file no longer loads: the next edit is planned afresh.
    this.#deferredRestart = undefined;
    let next: PreparedStart;
    try {
      next = await prepareStart(this.#options.request, this.#options.env);
    } catch (error) {
      this.#status.lastError = describeError(error);
      this.#log.error(`restart skipped; the running config stays in force: ${this.#status.lastError}`);
      return;
    }
    await this.#restart(next, reason);
  }

  /**
   * Takes the reference's gateway lock afresh after a restart in place, as the reference's own in-process restart
   * does: a new owner id (and the port now served), which is how the reference's CLI sees that a restart it asked
   * for has happened. Losing it stops the gateway (exit 1), as the reference's does.
   */
  async #renewReferenceLock(next: PreparedStart): Promise<void> {
    const old = this.#referenceLock;
    if (!old) return;
    this.#referenceLock = undefined;
    await old.release();
    try {
      this.#referenceLock = await ReferenceLock.acquire({
        stateDir: next.paths.stateDir,
        configPath: next.paths.configPath,
        port: next.config.port,
        startTime: this.#startTime,
      });
    } catch (error) {
      // As the reference stops when its in-process restart cannot take its lock again: whoever holds it now
      // (a reference gateway started in between) owns the state dir, and two gateways must not serve it.
      this.#lostLock = `failed to reacquire gateway lock for in-process restart: ${describeError(error)}`;
    }
  }

  /**
   * Restarts in place, keeping the state-dir lock. When the port or bind changes, the new
   * listener is bound first and the old one is only closed once it works; on the same port the
   * old one must go first, and if the new one then fails the old config is started again.
   */
  async #restart(next: PreparedStart, reason: string): Promise<void> {
    const began = performance.now();
    // Whatever a deferred restart waited to apply is read afresh now.
    this.#deferredRestart = undefined;
    const old = this.#gateway;
    const current = this.#prepared;
    const notice = { reason: "gateway restarting", restartExpectedMs: RESTART_EXPECTED_MS };
    const moved = next.config.port !== current.config.port ||
      JSON.stringify(next.config.listen) !== JSON.stringify(current.config.listen);
    await configureLogging(next, { verbose: this.#options.verbose });
    try {
      if (moved) {
        const fresh = await this.#startGateway(next);
        await old.stop(notice);
        this.#gateway = fresh;
      } else {
        await old.stop(notice);
        this.#gateway = await this.#startGateway(next);
      }
    } catch (error) {
      this.#status.lastError = `restart failed: ${describeError(error)}`;
      this.#status.pendingRestart = changedPaths(current.snapshot.authored, next.snapshot.authored);
      await configureLogging(current, { verbose: this.#options.verbose });
      if (moved) {
        this.#log.error(`${this.#status.lastError}; still serving on ${old.url}`);
        return;
      }
      this.#log.error(`${this.#status.lastError}; starting the previous config again`);
      this.#gateway = await this.#startGateway(current);
      return;
    }
    this.#prepared = next;
    this.#status.lastError = null;
    this.#status.pendingRestart = [];
    this.#status.lastAppliedAt = Date.now();
    this.#options.started(next, this.#gateway, began);
    noteSecretWarnings(next);
    this.#noteIgnoredKeys(next);
    await this.#renewReferenceLock(next);
    getLogger("gateway").info(`restarted in place (${reason})`);
  }
}

/** Logs each provider-backed SecretRef that degraded its owner (a start, reload or restart that went ahead). */
function noteSecretWarnings(prepared: PreparedStart): void {
  for (const warning of prepared.secretRefs.warnings) getLogger("secrets").warn(warning);
}
