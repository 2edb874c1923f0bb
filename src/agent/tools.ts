import { agentOfKey, type SessionStore } from "../sessions/store.ts";
import type { AgentsConfig } from "./agents_config.ts";

/** A built-in tool callable through `/tools/invoke` (and later by agents). */
export interface Tool {
  description: string;
  run(args: Record<string, unknown>, context: { agentId: string }): Promise<Record<string, unknown>>;
}

/** Tools the HTTP API never offers, whatever the config: the reference's default deny list. */
export const DEFAULT_HTTP_TOOL_DENY: readonly string[] = [
  "exec",
  "spawn",
  "shell",
  "fs_write",
  "fs_delete",
  "fs_move",
  "apply_patch",
  "terminal",
  "portal",
  "sessions_spawn",
  "sessions_send",
  "conversations_list",
  "conversations_send",
  "conversations_turn",
  "automations",
  "gateway",
  "plugins",
  "nodes",
  "computer",
  "mobile_ui",
  "openclaw",
];

/**
 * Whether HTTP callers may use a tool: the default deny list plus `gateway.tools.deny`, minus what
 * `gateway.tools.allow` takes back. Unknown tools are never allowed.
 */
export function httpToolAllowed(
  name: string,
  policy: { allow?: string[] | undefined; deny?: string[] | undefined },
  tools: Readonly<Record<string, Tool>>,
): boolean {
  if (!Object.hasOwn(tools, name)) return false;
  const denied = new Set([...DEFAULT_HTTP_TOOL_DENY, ...(policy.deny ?? [])]);
  for (const allowed of policy.allow ?? []) if (!(policy.deny ?? []).includes(allowed)) denied.delete(allowed);
  return !denied.has(name);
}

/** The built-in tools: read-only views of sessions and agents. */
export function builtinTools(deps: { sessions: SessionStore; agents(): AgentsConfig }): Record<string, Tool> {
  return {
    "sessions_list": {
      description: "List sessions, most recent first",
      run: async (args) => {
        const limit = Math.max(1, Math.min(Number(args.limit ?? 100) || 100, 500));
        const rows = await deps.sessions.list(deps.agents().agents.map((a) => a.id));
        return {
          count: Math.min(rows.length, limit),
          sessions: rows.slice(0, limit),
          hasMore: rows.length > limit,
          limitApplied: limit,
        };
      },
    },
    "sessions_history": {
      description: "Read the messages of one session",
      run: async (args, context) => {
        if (typeof args.sessionKey !== "string") throw new TypeError("sessions_history requires args.sessionKey");
        // The agent id names a directory: only a configured agent's id, parsed strictly, may reach it.
        const agentId = args.sessionKey.startsWith("agent:") ? agentOfKey(args.sessionKey) : context.agentId;
        if (!agentId || !deps.agents().agents.some((a) => a.id === agentId)) {
          throw new TypeError(`sessions_history: unknown agent in session key ${JSON.stringify(args.sessionKey)}`);
        }
        const { messages } = await deps.sessions.history(args.sessionKey, agentId);
        const limit = Math.max(1, Math.min(Number(args.limit ?? 50) || 50, 500));
        return { sessionKey: args.sessionKey, messages: messages.slice(-limit), total: messages.length };
      },
    },
    "agents_list": {
      description: "List the agents this gateway runs",
      run: () => {
        const config = deps.agents();
        return Promise.resolve({
          defaultId: config.defaultAgentId,
          agents: config.agents.map((a) => ({
            id: a.id,
            name: a.name,
            isDefault: a.isDefault,
            model: a.model ?? null,
          })),
        });
      },
    },
  };
}
