// The gateway's internal hooks over its life: the one dispatcher emitters receive from the start, the load
// after listening (then `gateway:startup` 250 ms later, as the reference schedules it), a reload when
// `hooks.internal` or the default workspace changed, and `gateway:shutdown`/`gateway:pre-restart` when it
// stops. The loader itself (internal_hooks_wiring.ts) is imported only when the hooks load.
import type { ShutdownNotice } from "../protocol/hub.ts";
import { createInternalHookEvent, InternalHooks } from "../agent/internal_hooks.ts";
import { getLogger } from "../log/logger.ts";
import type { InternalHooksWiringDeps } from "./internal_hooks_wiring.ts";

/** The reference's delay between loading the hooks and `gateway:startup`. */
const STARTUP_EVENT_DELAY_MS = 250;
/** The reference's bounds on the lifecycle events a stopping gateway waits for. */
const SHUTDOWN_HOOK_TIMEOUT_MS = 5_000;
const PRE_RESTART_HOOK_TIMEOUT_MS = 10_000;

/** Owns the dispatcher and the load, reload and lifecycle events of one gateway. */
export class InternalHooksLifecycle {
  #hooks = new InternalHooks(getLogger("hooks"));
  #log = getLogger("hooks");
  #deps: Omit<InternalHooksWiringDeps, "hooks"> | undefined;
  /** The config facts the loaded handler set came from; undefined before the first load. */
  #fingerprint: string | undefined;
  #startupTimer: ReturnType<typeof setTimeout> | undefined;
  #stopping = false;

  /** The dispatcher emitters are handed (empty until the hooks load). */
  get hooks(): InternalHooks {
    return this.#hooks;
  }

  /** What loading reads, once the gateway's services exist. */
  attach(deps: Omit<InternalHooksWiringDeps, "hooks">): void {
    this.#deps = deps;
  }

  /** Loads the hooks, then schedules `gateway:startup` when hooks are configured or a handler listens. */
  async start(): Promise<void> {
    const loaded = await this.#load();
    if (this.#stopping || !(loaded.configured || this.#hooks.listens("gateway", "startup"))) return;
    this.#startupTimer = setTimeout(() => {
      this.#startupTimer = undefined;
      const deps = this.#deps;
      if (this.#stopping || !deps) return;
      const agents = deps.agents();
      this.#hooks.trigger(createInternalHookEvent("gateway", "startup", "gateway:startup", {
        cfg: deps.rawConfig(),
        workspaceDir: agents.agents.find((agent) => agent.id === agents.defaultAgentId)?.workspace,
      })).catch((error) => this.#log.warn(`gateway startup hook failed: ${String(error)}`));
    }, STARTUP_EVENT_DELAY_MS);
  }

  /** After a config reload: loads again when `hooks.internal` or the default workspace changed. */
  async reload(): Promise<void> {
    const deps = this.#deps;
    if (!deps || this.#fingerprint === undefined || this.#stopping) return;
    const { internalHooksFingerprint } = await import("./internal_hooks_wiring.ts");
    if (internalHooksFingerprint(deps.rawConfig(), deps.agents()) === this.#fingerprint) return;
    await this.#load();
  }

  /**
   * The gateway stops: no `gateway:startup` any more, then `gateway:shutdown` (and `gateway:pre-restart` for a
   * restart) for the handlers that listen, each waited for up to the reference's bound.
   */
  async stop(notice: ShutdownNotice): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#startupTimer);
    await this.#lifecycleEvent("shutdown", notice, SHUTDOWN_HOOK_TIMEOUT_MS);
    if (notice.restartExpectedMs !== undefined) {
      await this.#lifecycleEvent("pre-restart", notice, PRE_RESTART_HOOK_TIMEOUT_MS);
    }
  }

  async #lifecycleEvent(action: "shutdown" | "pre-restart", notice: ShutdownNotice, timeoutMs: number): Promise<void> {
    if (!this.#hooks.listens("gateway", action)) return;
    const event = createInternalHookEvent("gateway", action, `gateway:${action}`, {
      reason: notice.reason,
      restartExpectedMs: notice.restartExpectedMs ?? null,
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<"timeout">((resolve) => timer = setTimeout(() => resolve("timeout"), timeoutMs));
    const outcome = await Promise.race([this.#hooks.trigger(event), timedOut]);
    clearTimeout(timer);
    if (outcome === "timeout") this.#log.warn(`gateway:${action} hook timed out after ${timeoutMs}ms`);
  }

  /** (Re)loads the handler set; a failure is logged with the reference's words and leaves no handler. */
  async #load(): Promise<{ configured: boolean }> {
    const deps = this.#deps;
    if (!deps) return { configured: false };
    const { internalHooksFingerprint, loadInternalHooks, loadedLine } = await import("./internal_hooks_wiring.ts");
    this.#fingerprint = internalHooksFingerprint(deps.rawConfig(), deps.agents());
    try {
      const result = await loadInternalHooks({ ...deps, hooks: this.#hooks });
      if (result.configured && result.loaded > 0) this.#log.info(loadedLine(result.loaded));
      return result;
    } catch (error) {
      this.#hooks.replace([]);
      this.#log.error(`failed to load hooks: ${String(error)}`);
      return { configured: true };
    }
  }
}
