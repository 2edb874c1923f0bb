// `gateway.restart.request` and `gateway.restart.preflight`: how the reference's CLI restarts a running gateway
// (`openclaw gateway restart --safe`; with an external supervisor, or a foreground gateway found by its lock,
// every `openclaw gateway restart`), answered in the reference's shapes and words. A targeted restart names the
// process by the reference lock this gateway holds (pid, owner id, port) and is refused for any other.
import { RpcError } from "../errors.ts";
import type { MethodTable } from "../registry.ts";
import type { RestartPreflight } from "../restart_preflight.ts";
import { drainBudgetMs, parseRestartRequest, type RestartTarget } from "../restart_request.ts";
import type { RestartScheduler } from "../restart_scheduler.ts";

/** What the restart methods need. */
export interface GatewayRestartDeps {
  scheduler: RestartScheduler;
  /** The work a restart would wait for now, the request being answered (`method`) left out. */
  preflight(method: string): RestartPreflight;
  /** Who holds the reference's gateway lock now: this process while it runs. */
  lockIdentity(): RestartTarget | undefined;
  pid: number;
}

function sameTarget(a: RestartTarget, b: RestartTarget | undefined): boolean {
  return b !== undefined && a.pid === b.pid && a.ownerId === b.ownerId && a.port === b.port;
}

/** The two restart methods. */
export function gatewayRestartMethods(deps: GatewayRestartDeps): MethodTable {
  return {
    "gateway.restart.request": {
      scope: "operator.admin",
      handler: ({ params }) => {
        const parsed = parseRestartRequest(params);
        if (!parsed.ok) throw new RpcError("INVALID_REQUEST", parsed.message);
        // A restart asked for while the gateway stops would never be delivered: said so, not scheduled.
        if (deps.scheduler.stopped) {
          throw new RpcError("UNAVAILABLE", "gateway restart unavailable: the gateway is stopping", {
            retryable: true,
          });
        }
        const { request } = parsed;
        if (request.kind === "targeted") {
          const lock = deps.lockIdentity();
          if (!sameTarget(request.target, lock) || request.target.pid !== deps.pid) {
            throw new RpcError("INVALID_REQUEST", "target gateway no longer owns the active lock");
          }
          const status = deps.scheduler.deliverTargeted({
            reason: request.reason ?? "gateway.restart",
            budgetMs: drainBudgetMs(request.intent),
          });
          return { ok: true, status, pid: deps.pid };
        }
        // Read before scheduling, as the reference: what the restart will wait for at this moment.
        const preflight = deps.preflight("gateway.restart.request");
        const restart = deps.scheduler.schedule({
          reason: request.reason ?? "gateway.restart.safe",
          skipDeferral: request.skipDeferral,
        });
        const status = restart.coalesced
          ? "coalesced"
          : request.skipDeferral || preflight.safe
          ? "scheduled"
          : "deferred";
        return { ok: true, status, preflight, restart };
      },
    },
    "gateway.restart.preflight": {
      scope: "operator.read",
      handler: () => deps.preflight("gateway.restart.preflight"),
    },
  };
}
