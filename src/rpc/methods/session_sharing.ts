// The chat page's session-sharing and GitHub-publication reads, made on every send:
// `session.members.listEvidence` (who may see a session) and `sessions.github.options` (where it
// could be published). This gateway has one operator, the gateway owner, who owns every session and
// shares none; it has no GitHub connection. Both answer as the reference does in that state.
import { isJsonObject } from "../../log/json_object.ts";
import { agentOfKey } from "../../sessions/store.ts";
import { RpcError, type RpcErrorCode } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { disconnected } from "./github_status.ts";

/** The gateway owner as the reference names a session's creator when no user profiles exist. */
const GATEWAY_OWNER = { type: "human", id: "gateway-owner", identity: { type: "profile", id: "gateway-owner" } };

/** The reference's default session visibilities (`session.sharing` unset). */
const ALLOWED_VISIBILITIES = ["shared", "read-only", "suggest", "draft"];

const OPTIONS_KEYS = new Set(["sessionKey", "agentId", "idempotencyKey"]);

/** The 2026.9.6 `sessions.github.options` params (the pinned protocol package predates them). */
function githubOptionsParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  if (typeof params.sessionKey !== "string" || params.sessionKey.length === 0) {
    return "must have required property 'sessionKey'";
  }
  for (const key of ["agentId", "idempotencyKey"]) {
    const value = params[key];
    if (value !== undefined && (typeof value !== "string" || value.length === 0)) {
      return `at /${key}: must not have fewer than 1 characters`;
    }
  }
  const extra = Object.keys(params).find((key) => !OPTIONS_KEYS.has(key));
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

function refuse(code: RpcErrorCode, message: string): never {
  throw new RpcError(code, message);
}

/** Dependencies of the session-sharing reads. */
export interface SessionSharingDeps {
  /** The configured agents and the default one (a bare key names the default agent's session). */
  agents(): { ids: string[]; defaultAgentId: string };
  /** Whether a session with this key is stored for the agent. */
  hasSession(key: string, agentId: string): Promise<boolean>;
}

/** `session.members.listEvidence`, `sessions.github.options`. */
export function sessionSharingMethods(deps: SessionSharingDeps): MethodTable {
  /** The canonical key of a stored session, undefined when there is none; an unknown agent is refused. */
  const storedSession = async (sessionKey: string, requestedAgent: string | undefined) => {
    const agents = deps.agents();
    const agentId = agentOfKey(sessionKey) ?? requestedAgent ?? agents.defaultAgentId;
    if (!agents.ids.includes(agentId)) throw new RpcError("INVALID_REQUEST", `unknown agent id "${agentId}"`);
    const key = agentOfKey(sessionKey) ? sessionKey : `agent:${agentId}:${sessionKey}`;
    // As in the reference, a session exists once stored: even an agent's main key is unknown before.
    return await deps.hasSession(key, agentId) ? key : undefined;
  };
  return {
    "session.members.listEvidence": validated(
      "operator.read",
      "validateSessionMembersListParams",
      async ({ params }) => ({
        sessionKey: await storedSession(params.sessionKey, params.agentId) ??
          refuse("INVALID_REQUEST", `unknown session: ${params.sessionKey}`),
        owner: GATEWAY_OWNER,
        members: [],
        identities: [{ ...GATEWAY_OWNER, label: GATEWAY_OWNER.id }],
        // Every operator here is the gateway owner's token holder, and the owner manages all.
        role: "admin",
        allowedVisibilities: [...ALLOWED_VISIBILITIES],
      }),
    ),
    "sessions.github.options": {
      scope: "operator.read",
      check: githubOptionsParams,
      handler: async ({ params }) => {
        const { sessionKey, agentId } = params as { sessionKey: string; agentId?: string };
        if (!await storedSession(sessionKey, agentId)) refuse("FORBIDDEN", "GitHub publication session was not found.");
        return { personal: disconnected(), shared: null, pendingPersonal: null, latestShared: null };
      },
    },
  };
}
