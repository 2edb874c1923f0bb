import type { AgentsConfig } from "../../agent/agents_config.ts";
import { RpcError } from "../errors.ts";
import { type CallerIdentity, type MethodTable, validated } from "../registry.ts";
import type { ParamsOf } from "../validators.ts";
import { scopeSatisfied } from "../scopes.ts";
import { targetOf } from "./agent.ts";
import { canonicalKey } from "./session_view.ts";

/** The agent and canonical key a subscription names (`main` is the default agent's main session). */
function subscribed(agents: AgentsConfig, key: string, agentId: string | undefined) {
  return targetOf(agents, { agentId, sessionKey: canonicalKey(key, agentId ?? agents.defaultAgentId) });
}

/** Where subscriptions are kept (the hub's registry; a connection's go with it when it closes). */
export interface SubscriptionRegistry {
  subscribeSessions(connId: string): void;
  subscribeMessages(connId: string, key: string): void;
  unsubscribeMessages(connId: string, key: string): void;
}

/** Dependencies of the subscription methods. */
export interface SubscriptionMethodsDeps {
  subscriptions: SubscriptionRegistry;
  agents(): AgentsConfig;
  /** `sessions.list` itself: a subscribe with list params answers with the list too. */
  list(params: ParamsOf<"validateSessionsListParams">, caller: CallerIdentity): Promise<unknown> | unknown;
}

const APPROVALS_SCOPE = "operator.approvals";

/**
 * `sessions.subscribe`, `sessions.messages.subscribe`/`unsubscribe`, and the two viewer
 * declarations (`sessions.viewers.set`, `sessions.observer.visibility`) the Control UI sends with
 * them; this gateway has no observers to tell, so those only acknowledge.
 */
export function subscriptionMethods(deps: SubscriptionMethodsDeps): MethodTable {
  return {
    "sessions.subscribe": validated("operator.read", "validateSessionsListParams", async ({ params, caller }) => {
      deps.subscriptions.subscribeSessions(caller.connId);
      // With list params (a filter, a page) the subscriber gets the list it will keep current.
      return Object.keys(params).length === 0
        ? { subscribed: true }
        : { subscribed: true, list: await deps.list(params, caller) };
    }),
    "sessions.messages.subscribe": validated(
      "operator.read",
      "validateSessionsMessagesSubscribeParams",
      ({ params: p, caller }) => {
        if (p.includeApprovals === true && !scopeSatisfied(caller.scopes, APPROVALS_SCOPE)) {
          throw new RpcError(
            "INVALID_REQUEST",
            `sessions.messages.subscribe includeApprovals requires a paired device and gateway scope: ${APPROVALS_SCOPE}`,
          );
        }
        const { sessionKey } = subscribed(deps.agents(), p.key, p.agentId);
        deps.subscriptions.subscribeMessages(caller.connId, sessionKey);
        // No approvals are ever pending here: the replay the client asked for is empty.
        const approvalReplay = p.includeApprovals === true
          ? { sessionKey, updatedAtMs: Date.now(), approvals: [], truncated: false }
          : undefined;
        return { subscribed: true, key: sessionKey, ...(approvalReplay ? { approvalReplay } : {}) };
      },
    ),
    "sessions.messages.unsubscribe": validated(
      "operator.read",
      "validateSessionsMessagesUnsubscribeParams",
      ({ params: p, caller }) => {
        const { sessionKey } = subscribed(deps.agents(), p.key, p.agentId);
        deps.subscriptions.unsubscribeMessages(caller.connId, sessionKey);
        return { subscribed: false, key: sessionKey };
      },
    ),
    "sessions.viewers.set": validated("operator.read", "validateSessionsViewerPresenceSetParams", ({ params: p }) => {
      const agents = deps.agents();
      return {
        sessionKeys: p.sessionKeys.map((key) => subscribed(agents, key, p.agentId).sessionKey),
      };
    }),
    "sessions.observer.visibility": validated(
      "operator.read",
      "validateSessionsObserverVisibilityParams",
      () => ({ ok: true }),
    ),
  };
}
