// The hooks endpoint's dependencies: the routing resolved from the config in force (once per
// config, so transforms load once until a reload), wake through the heartbeat, agent runs through
// AgentRuns with delivery through DeliverReply.
import type { AgentsConfig } from "../agent/agents_config.ts";
import type { AgentRuns } from "../agent/runs.ts";
import { AuthRateLimiter } from "../auth/rate_limit.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import type { HeartbeatControl } from "../automation/heartbeat_control.ts";
import { HookRuns } from "../automation/hook_runs.ts";
import type { ResolvedConfig } from "../config/resolve.ts";
import type { ResolvedHooks } from "../config/resolved.ts";
import type { HookRouting } from "../http/hook_config.ts";
import { type HooksDeps, normalizeHooksPath } from "../http/hooks.ts";
import { getLogger } from "../log/logger.ts";
import { hookRoutingOf } from "./hook_routing.ts";

/** What the hooks wiring takes from the gateway. */
export interface HooksWiringInput {
  heartbeat: HeartbeatControl;
  /** The chat a session last talked on (for `last` delivery). */
  sessions?:
    | { lastRoute(key: string, agentId: string): Promise<{ channel: string; to: string } | undefined> }
    | undefined;
  runs: AgentRuns;
  agents(): AgentsConfig;
  config(): ResolvedConfig;
  /** DeliverReply; absent in apps built without channels (delivery then reports failure). */
  deliver?: DeliverReply | undefined;
  /** The channels a hook may name, with their accounts; none when absent. */
  channelAccounts?: (() => Record<string, { accountId: string; enabled: boolean }[]>) | undefined;
  /** The gateway's phase: hook runs still queued when it drains are not started. */
  probes?: { phase(): string } | undefined;
}

/** Builds the hooks endpoint's dependencies. */
export function hooksDeps(w: HooksWiringInput): HooksDeps {
  const log = getLogger("hooks");
  const heartbeat = () => w.heartbeat;
  let cached: { hooks: ResolvedHooks; agents: AgentsConfig; routing: HookRouting } | undefined;
  // With no good routing yet, a config that does not resolve is remembered: every HTTP request asks
  // `settings()`, and must not resolve (and warn about) the same config again.
  let refused: { hooks: ResolvedHooks; agents: AgentsConfig; error: unknown } | undefined;
  let generation = 0;
  const routing = (): HookRouting => {
    const hooks = w.config().hooks;
    const agents = w.agents();
    if (cached && cached.hooks === hooks && cached.agents === agents) return cached.routing;
    if (!cached && refused && refused.hooks === hooks && refused.agents === agents) throw refused.error;
    try {
      generation += 1;
      cached = { hooks, agents, routing: hookRoutingOf(w.config(), agents, generation) };
    } catch (error) {
      // Start-up refuses such a config (guards); after a reload the last good routing stays.
      log.warn(`hooks config reload failed: ${String(error)}`);
      if (!cached) {
        refused = { hooks, agents, error };
        throw error;
      }
      cached = { ...cached, hooks, agents };
    }
    return cached.routing;
  };
  const runs = new HookRuns({
    startRun: (request) => w.runs.start(request),
    deliver: w.deliver ??
      ((input) =>
        Promise.resolve({
          status: "not-delivered",
          error: "delivery is not available",
          channel: input.target.channel,
        })),
    lastRoute: (key, agentId) => w.sessions?.lastRoute(key, agentId) ?? Promise.resolve(undefined),
    heartbeat: {
      enqueue: (event) => heartbeat().enqueue(event),
      runNow: (input) => heartbeat().runNow(input),
    },
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    accepting: () => w.probes?.phase() !== "draining",
  });
  return {
    settings: () => {
      const hooks = w.config().hooks;
      let enabled = hooks.enabled;
      if (enabled && !cached) {
        // Turned on by a reload the reference would refuse: it stays off, as the old config had it.
        try {
          routing();
        } catch {
          enabled = false;
        }
      }
      return { enabled, token: hooks.token, path: normalizeHooksPath(hooks.path) };
    },
    routing,
    // Hooks have their own limiter: 20 failures a minute, loopback included.
    limiter: new AuthRateLimiter({ maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false }),
    channels: () => Object.keys(w.channelAccounts?.() ?? {}),
    accountError: (channel, accountId) => {
      const accounts = w.channelAccounts?.()[channel];
      if (!accounts) return `Channel ${channel} is unavailable.`;
      const account = accounts.find((a) => a.accountId === accountId.trim().toLowerCase());
      if (!account) return `Unknown account "${accountId}" for channel ${channel}.`;
      return account.enabled ? undefined : `Account "${account.accountId}" for channel ${channel} is disabled.`;
    },
    wake: (input) => {
      const control = heartbeat();
      // A hook's key names a session of the agent's store, as the reference scopes it.
      const sessionKey = input.sessionKey === undefined || input.sessionKey.startsWith("agent:")
        ? input.sessionKey
        : `agent:${input.agentId}:${input.sessionKey}`;
      const outcome = control.enqueue({ text: input.text, agentId: input.agentId, sessionKey });
      if (input.mode === "now") {
        control.runNow({ reason: "hook:wake", agentId: input.agentId, sessionKey }).catch(() => {});
      }
      return outcome;
    },
    dispatchAgent: (value) => runs.dispatch(value),
    log: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
  };
}
