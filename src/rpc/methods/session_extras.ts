// What the chat and sessions pages ask about a session besides its messages: its board, progress
// card, task suggestions, mentions, discussion link, pull requests, the agents' projects and the
// talk (voice) catalog. This gateway has none of these features but the projects (each agent's
// workspace), so each answers the reference's "nothing there" shape.
import { basename } from "node:path";
import { isJsonObject } from "../../log/json_object.ts";
import { emptyParams, type MethodTable, validated } from "../registry.ts";

/** Dependencies of the session page extras. */
export interface SessionExtrasDeps {
  /** Each configured agent with its workspace. */
  agents(): { id: string; workspace: string }[];
  /** This gateway process's instance id (also `system.info.processInstanceId`). */
  instanceId: string;
}

/** Params that must be an object (fields the feature would read are ignored here). */
function anyObject(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  return isJsonObject(params) ? undefined : "must be object";
}

function sessionKeyParams(params: unknown): string | undefined {
  if (!isJsonObject(params)) return "must be object";
  return typeof params.sessionKey === "string" && params.sessionKey !== ""
    ? undefined
    : "must have required property 'sessionKey'";
}

/** The `projects.list` payload: every agent's workspace is a project. */
export function projectsPayload(agents: readonly { id: string; workspace: string }[]) {
  return {
    projects: agents.map((agent) => ({
      id: `workspace:${agent.id}`,
      displayName: basename(agent.workspace),
      repoRoot: agent.workspace,
      source: "workspace",
      agentId: agent.id,
    })),
    recents: [],
  };
}

/** The session page extras, each in the reference's empty shape. */
export function sessionExtrasMethods(deps: SessionExtrasDeps): MethodTable {
  return {
    "board.get": {
      scope: "operator.read",
      check: sessionKeyParams,
      handler: ({ params }) => ({
        sessionKey: isJsonObject(params) ? params.sessionKey : undefined,
        revision: 0,
        tabs: [],
        widgets: [],
      }),
    },
    "progressCard.get": { scope: "operator.read", check: sessionKeyParams, handler: () => ({ card: null }) },
    "taskSuggestions.list": { scope: "operator.read", check: anyObject, handler: () => ({ suggestions: [] }) },
    "mentions.list": {
      scope: "operator.read",
      check: anyObject,
      handler: () => ({ gatewayInstanceId: deps.instanceId, revision: 0, items: [] }),
    },
    "session.discussion.info": validated(
      "operator.read",
      "validateSessionDiscussionInfoParams",
      () => ({ state: "none" }),
    ),
    "controlUi.sessionPullRequests.subscribe": {
      scope: "operator.read",
      check: (params) =>
        isJsonObject(params) && Array.isArray(params.sessionKeys) &&
          params.sessionKeys.every((key) => typeof key === "string")
          ? undefined
          : "sessionKeys must be an array of strings",
      handler: ({ params }) => {
        // No pull requests are tracked, so nothing is ever pushed; the answer says whether keys were given.
        const keys = isJsonObject(params) && Array.isArray(params.sessionKeys) ? params.sessionKeys : [];
        return { subscribed: keys.length > 0 };
      },
    },
    "projects.list": { scope: "operator.read", check: emptyParams, handler: () => projectsPayload(deps.agents()) },
    "talk.catalog": {
      scope: "operator.read",
      check: emptyParams,
      handler: () => ({
        modes: [],
        transports: [],
        brains: [],
        speech: { providers: [] },
        transcription: { ready: false, providers: [] },
        realtime: { ready: false, providers: [] },
      }),
    },
  };
}
