// `environments.list`: where an agent can run. This gateway runs agents on its own host only (no
// cloud workers, no desktop, no node hosts yet), so the list is that one local environment, in
// the reference's shape, with the capabilities this gateway has.
import { isJsonObject } from "../../log/json_object.ts";
import { type MethodTable } from "../registry.ts";

const LIST_KEYS = new Set(["runtimeId", "includeDesktopSetup", "projection"]);

/** The 2026.9.6 params (the pinned protocol package's schema predates them). */
function listParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  const extra = Object.keys(params).find((key) => !LIST_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** The gateway host as the reference describes its local environment. */
export function gatewayEnvironment(platform: string) {
  return {
    id: "gateway",
    type: "local",
    label: "Gateway local",
    status: "available",
    platform,
    sessionHost: true,
    trust: "persistent",
    // Runs agent turns and keeps sessions; no agent tools run here.
    capabilities: ["agent.run", "sessions"],
  };
}

/** `environments.list`. */
export function environmentsMethods(deps: { platform: string }): MethodTable {
  return {
    "environments.list": {
      scope: "operator.read",
      check: listParams,
      handler: ({ params }) => ({
        environments: isJsonObject(params) && params.projection === "profiles"
          ? []
          : [gatewayEnvironment(deps.platform)],
      }),
    },
  };
}
