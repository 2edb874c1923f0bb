// `tools.github.status` and `users.github.status`: the Profile page's GitHub identity reads. This
// gateway has no GitHub integration (no detected or configured credential, no personal connection,
// no git author), so both answer the reference's "nothing there" state: a system-detected native
// identity whose credential is unavailable, and a personal connection never made.
import { isJsonObject } from "../../log/json_object.ts";
import { RpcError } from "../errors.ts";
import { emptyParams, type MethodTable } from "../registry.ts";

/** The system GitHub identity the reference reports when it detects no credential. */
function undetectedIdentity() {
  return {
    source: "system-detected",
    credentialKind: "native",
    credentialState: "unavailable",
    account: null,
    gitAuthor: { name: null, email: null },
    evidence: "none",
    accessExpiresAtMs: null,
    refreshState: "not_applicable",
    oauthScopes: [],
    repositoryGrants: "unknown",
  };
}

/** A personal GitHub connection never made, as the reference describes one. */
export function disconnected(): Record<string, unknown> {
  return {
    state: "disconnected",
    generation: null,
    account: null,
    accessExpiresAtMs: null,
    refreshState: "not_applicable",
    pending: null,
  };
}

const SCOPES = new Set(["system", "agent"]);

/** The 2026.9.6 params (`agentId`, `selectedScope`), which the pinned protocol package lacks. */
function toolsStatusParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  if (typeof params.agentId !== "string" || params.agentId.length === 0) {
    return "must have required property 'agentId'";
  }
  if (typeof params.selectedScope !== "string" || !SCOPES.has(params.selectedScope)) {
    return "at /selectedScope: must be equal to one of the allowed values";
  }
  const extra = Object.keys(params).find((key) => key !== "agentId" && key !== "selectedScope");
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** Dependencies of the GitHub status reads. */
export interface GithubStatusDeps {
  agentIds(): string[];
}

/** `tools.github.status`, `users.github.status`. */
export function githubStatusMethods(deps: GithubStatusDeps): MethodTable {
  return {
    "tools.github.status": {
      scope: "operator.read",
      check: toolsStatusParams,
      handler: ({ params }) => {
        const { agentId, selectedScope } = params as { agentId: string; selectedScope: string };
        if (!deps.agentIds().includes(agentId)) {
          throw new RpcError("INVALID_REQUEST", `unknown agent id "${agentId}"`);
        }
        // No agent override exists here: either scope resolves to the undetected system identity.
        return {
          agentId,
          selectedScope,
          selected: { scope: selectedScope, configured: false, identity: undetectedIdentity() },
          effective: undetectedIdentity(),
        };
      },
    },
    "users.github.status": {
      scope: "operator.read",
      check: emptyParams,
      handler: () => ({ personal: disconnected(), system: undetectedIdentity() }),
    },
  };
}
