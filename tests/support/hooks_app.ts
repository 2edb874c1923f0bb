// An in-process app with hooks on: the routing resolved from a hooks config, a wake queue and an
// agent dispatcher stand-in that record what they were asked (tests/http/hook*_test.ts).
import { AuthRateLimiter } from "../../src/auth/rate_limit.ts";
import type { HookAdmission, HookAgentDispatch, HookCompletion } from "../../src/automation/hook_runs.ts";
import { createHttpApp } from "../../src/http/app.ts";
import type { HookWake } from "../../src/http/hook_actions.ts";
import { type HookRoutingInput, resolveHookRouting } from "../../src/http/hook_config.ts";
import type { HooksSettings } from "../../src/http/hooks.ts";
import { getLogger } from "../../src/log/logger.ts";
import type { WorkAdmission } from "../../src/rpc/work_admission.ts";

/** The hook token of the app. */
export const SECRET = "hook-secret-0123456789";
/** A remote address for requests. */
export const env = { remoteAddr: "203.0.113.9" };

/** The app with hooks on, a wake queue and an agent dispatcher stand-in that record what they were asked. */
export function hooksApp(
  options: {
    settings?: Partial<HooksSettings>;
    routing?: Partial<HookRoutingInput>;
    admit?: (value: HookAgentDispatch) => HookAdmission;
    configDir?: string;
    /** The work admission fence (a host suspension answers 503). */
    work?: WorkAdmission;
  } = {},
) {
  const dispatched: HookAgentDispatch[] = [];
  const woken: HookWake[] = [];
  const warnings: string[] = [];
  const routing = resolveHookRouting(
    { allowRequestSessionKey: false, allowedAgentIds: undefined, ...options.routing },
    {
      configDir: options.configDir ?? "/nonexistent",
      agentIds: ["main", "ops"],
      defaultAgentId: "main",
      generation: 1,
    },
  );
  let runs = 0;
  const app = createHttpApp({
    log: getLogger("test"),
    probes: { phase: () => "ready", uptimeMs: () => 1, version: "x", detailed: () => true },
    hooks: {
      work: options.work,
      settings: () => ({ enabled: true, path: "/hooks", token: SECRET, ...options.settings }),
      routing: () => routing,
      limiter: new AuthRateLimiter({ maxAttempts: 2, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false }),
      channels: () => ["irc"],
      accountError: (_channel, accountId) =>
        accountId === "default" ? undefined : `Unknown account "${accountId}" for channel irc.`,
      wake: (input) => (woken.push(input), woken.length === 1 ? "queued" : "coalesced"),
      dispatchAgent: (value) => {
        dispatched.push(value);
        runs += 1;
        return Promise.resolve(
          options.admit?.(value) ??
            { ok: true, runId: `run-${runs}`, completion: new Promise<HookCompletion>(() => {}) },
        );
      },
      log: { info: () => {}, warn: (m) => warnings.push(m) },
    },
  });
  return { app, dispatched, woken, warnings };
}

/** A POST of `body` with the hook token (or the given headers). */
export const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${SECRET}` }) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
