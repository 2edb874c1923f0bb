// `gateway.suspend.prepare|status|resume|handoff`: the cooperative host-suspension handshake
// (src/rpc/suspension.ts), answered in the reference's shapes and words. `handoff` passes a held lease to
// the host that owns the process's exit across a restart; this gateway is never run by such a host, so it
// answers as the reference does without one.
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import type { SuspensionCoordinator } from "../suspension.ts";

/** What the suspend methods need. */
export interface GatewaySuspendDeps {
  suspension: SuspensionCoordinator;
  /** This process's id and `system-info`'s `processInstanceId`, which a handoff target must name. */
  pid: number;
  processInstanceId: string;
}

function conflict(message: string, expiresAtMs: number): RpcError {
  return new RpcError("UNAVAILABLE", message, {
    retryable: true,
    retryAfterMs: Math.max(0, expiresAtMs - Date.now()),
    details: { reason: "gateway-suspension-conflict", expiresAtMs },
  });
}

function idOf(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" && value.length <= 128 ? value.trim() : undefined;
}

/** The handoff params' shape (the protocol package this gateway pins has no validator for it). */
function handoffProblem(params: unknown): string | undefined {
  const p = (typeof params === "object" && params !== null ? params : {}) as Record<string, unknown>;
  const extra = Object.keys(p).find((key) => key !== "suspensionId" && key !== "target");
  if (extra) return `unexpected property '${extra}'`;
  if (!idOf(p.suspensionId)) return "suspensionId must be a non-empty string of at most 128 characters";
  const target = p.target as Record<string, unknown> | undefined;
  if (typeof target !== "object" || target === null) return "target must be an object";
  if (!Number.isSafeInteger(target.pid) || (target.pid as number) < 1) return "target.pid must be a positive integer";
  if (!idOf(target.processInstanceId)) return "target.processInstanceId must be a non-empty string";
  return undefined;
}

/** The four `gateway.suspend.*` methods. */
export function gatewaySuspendMethods(deps: GatewaySuspendDeps): MethodTable {
  const { suspension } = deps;
  return {
    "gateway.suspend.prepare": validated("operator.admin", "validateGatewaySuspendPrepareParams", ({ params }) => {
      const result = suspension.prepare({
        requestId: params.requestId.trim(),
        terminalPolicy: params.terminalPolicy ?? "preserve",
        drain: params.drain === true,
      });
      if (result.status === "conflict") {
        throw conflict("another gateway suspension is already prepared", result.expiresAtMs);
      }
      return result;
    }),
    "gateway.suspend.status": validated("operator.read", "validateGatewaySuspendStatusParams", ({ params }) => {
      const result = suspension.status(params.suspensionId.trim());
      if (result.status === "conflict") {
        throw conflict("a different gateway suspension is prepared", result.expiresAtMs);
      }
      return result;
    }),
    "gateway.suspend.resume": validated("operator.admin", "validateGatewaySuspendResumeParams", ({ params }) => {
      const result = suspension.resume(params.suspensionId.trim());
      if (!result.ok) throw new RpcError("INVALID_REQUEST", "gateway suspension id does not match");
      return result;
    }),
    "gateway.suspend.handoff": {
      scope: "operator.admin",
      check: handoffProblem,
      handler: ({ params }) => {
        const target = (params as { target: { pid: number; processInstanceId: string } }).target;
        if (target.pid !== deps.pid || target.processInstanceId.trim() !== deps.processInstanceId) {
          throw new RpcError("UNAVAILABLE", "gateway process changed after preflight");
        }
        throw new RpcError("UNAVAILABLE", "gateway host does not own process exit");
      },
    },
  };
}
