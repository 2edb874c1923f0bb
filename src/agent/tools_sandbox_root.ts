// The file tools of a sandboxed session act where its commands act: on the sandbox's workspace
// (the directory mounted at /workspace: the agent's workspace with `rw`, a private one otherwise),
// confined to it, and read-only under `ro` (the reference offers no write/edit/apply_patch then; the
// tools stay listed here, so a write is refused in the reference's sandbox words).
import type { AgentSpec } from "./agents_config.ts";
import { preparePrivateWorkspace } from "./sandbox_dirs.ts";
import { isSandboxed, SANDBOX_OFF, sandboxLayout } from "./sandbox_policy.ts";
import { type AgentTool, type ToolCall, ToolError } from "./tool.ts";

/** Where a sandboxed session's file tools are rooted, or undefined when the session is not sandboxed. */
export async function sandboxFileRoot(
  agent: AgentSpec,
  call: ToolCall,
): Promise<{ dir: string; readOnly: boolean } | undefined> {
  const sandbox = agent.sandbox ?? SANDBOX_OFF;
  if (!isSandboxed(sandbox, call.agentId, call.sessionKey)) return undefined;
  const layout = await sandboxLayout(sandbox, call);
  const dir = layout.private
    ? await preparePrivateWorkspace(sandbox.workspaceRoot, layout.workspaceDir)
    : layout.workspaceDir;
  return { dir, readOnly: layout.readOnly };
}

/** A path the model wrote as the sandbox shows it (`/workspace/x`) becomes relative to the root. */
function unmapped(args: Record<string, unknown>): Record<string, unknown> {
  const path = args.path;
  if (typeof path !== "string" || !(path === "/workspace" || path.startsWith("/workspace/"))) return args;
  return { ...args, path: path.slice("/workspace".length).replace(/^\/+/, "") || "." };
}

/**
 * `plain` for unsandboxed sessions; `confined` (the same tool built always confined) on the
 * sandbox's workspace for sandboxed ones, refusing writes when it is read-only.
 */
export function sandboxRooted(
  plain: AgentTool,
  confined: AgentTool,
  agent: AgentSpec,
  options: { writes: boolean },
): AgentTool {
  return {
    ...plain,
    async execute(args, call) {
      const root = await sandboxFileRoot(agent, call);
      if (!root) return plain.execute(args, call);
      const mapped = unmapped(args);
      if (options.writes && root.readOnly) {
        const path = typeof mapped.path === "string" && !mapped.path.startsWith("/")
          ? `/workspace/${mapped.path}`
          : "/workspace";
        throw new ToolError(`Sandbox path is read-only; cannot write files: ${path}`);
      }
      return confined.execute(mapped, { ...call, workspace: root.dir });
    },
  };
}
