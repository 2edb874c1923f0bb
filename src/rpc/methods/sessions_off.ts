// Session features this gateway does not have (branches, companions, groups, external session
// catalogs): the Control UI asks for them on every chat view, so each answers with the reference's
// own "nothing here" shape rather than `unknown method`, which the UI would retry.
import { type MethodTable, validated } from "../registry.ts";

/** `sessions.branches.list`, `sessions.companion.state`, `sessions.groups.list`, `sessions.groups.defaults`, `sessions.catalog.list`. */
export function sessionsOffMethods(): MethodTable {
  return {
    // A transcript here is one line of turns: it never branches.
    "sessions.branches.list": validated("operator.read", "validateSessionsBranchesListParams", () => ({
      branches: [],
    })),
    "sessions.companion.state": validated("operator.read", "validateSessionsCompanionStateParams", () => ({
      exchanges: [],
    })),
    "sessions.groups.list": validated("operator.read", "validateSessionsGroupsListParams", () => ({
      groups: [],
      sectionOrder: [],
    })),
    "sessions.groups.defaults": validated("operator.write", "validateSessionsGroupsDefaultsParams", () => ({
      defaults: [],
    })),
    // No other agent's sessions (Claude Code and the like) are imported here.
    "sessions.catalog.list": validated("operator.read", "validateSessionsCatalogListParams", () => ({
      catalogs: [],
    })),
  };
}
