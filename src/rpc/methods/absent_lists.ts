// Lists the Control UI shows on pages for features this gateway lacks (worktrees, meeting
// transcripts, portals, the built-in assistant's chat, the activity audit `openclaw audit` reads): each
// answers the reference's empty list, so those pages and commands show "nothing yet" instead of an
// unknown-method error.
import { isJsonObject } from "../../log/json_object.ts";
import { type MethodTable, validated } from "../registry.ts";

function transcriptsParams(params: unknown): string | undefined {
  if (params === undefined || params === null) return undefined;
  if (!isJsonObject(params)) return "must be object";
  const extra = Object.keys(params).find((key) => key !== "limit" && key !== "cursor");
  return extra ? `at root: unexpected property '${extra}'` : undefined;
}

/** `worktrees.list`, `transcripts.list`, `portal.list`, `openclaw.chat.history`, `audit.list`, `audit.activity.list`. */
export function absentListsMethods(): MethodTable {
  return {
    "worktrees.list": validated("operator.read", "validateWorktreesListParams", () => ({ worktrees: [] })),
    "transcripts.list": {
      scope: "operator.read",
      check: transcriptsParams,
      handler: () => ({ sessions: [], nextCursor: null }),
    },
    "portal.list": validated("operator.read", "validatePortalListParams", () => ({ portals: [] })),
    "openclaw.chat.history": validated(
      "operator.admin",
      "validateSystemAgentChatHistoryParams",
      () => ({ turns: [] }),
    ),
    // No activity audit is recorded here: always the reference's answer on a fresh state.
    "audit.list": validated("operator.read", "validateAuditListParams", () => ({ events: [] })),
    "audit.activity.list": validated("operator.read", "validateAuditActivityListParams", () => ({ events: [] })),
  };
}
