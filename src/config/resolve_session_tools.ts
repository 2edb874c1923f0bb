// How far the session tools reach (`tools.sessions.visibility`) and which agents may reach each
// other (`tools.agentToAgent`), with the reference's defaults: every session, every agent pair.
import { isOneOf } from "./literal_choice.ts";
import { objectOrEmpty } from "../log/json_object.ts";

/** Which sessions the session tools may target, as the reference names the scopes. */
export type SessionVisibility = "self" | "tree" | "agent" | "all";

/** `tools.sessions.visibility` and `tools.agentToAgent` after defaults. */
export interface ResolvedSessionTools {
  visibility: SessionVisibility;
  agentToAgent: {
    /** Cross-agent session tool calls at all (default true). */
    enabled: boolean;
    /** Agent ids or `*` patterns both sides must match; undefined (omitted or empty) allows every pair. */
    allow?: readonly string[] | undefined;
  };
}

const SCOPES: readonly SessionVisibility[] = ["self", "tree", "agent", "all"];

/** Reads `tools.sessions.visibility` (default `all`) and `tools.agentToAgent` (default on, every pair). */
export function resolveSessionTools(config: unknown): ResolvedSessionTools {
  const tools = objectOrEmpty(objectOrEmpty(config).tools);
  const visibility = objectOrEmpty(tools.sessions).visibility;
  const a2a = objectOrEmpty(tools.agentToAgent);
  const allow = Array.isArray(a2a.allow) ? a2a.allow.filter((e): e is string => typeof e === "string") : [];
  return {
    visibility: isOneOf(SCOPES, visibility) ? visibility : "all",
    agentToAgent: { enabled: a2a.enabled !== false, ...(allow.length > 0 ? { allow } : {}) },
  };
}
