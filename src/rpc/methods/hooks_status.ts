// `hooks.status`: the internal hooks inventory of an agent's workspace (bundled, managed
// `<stateDir>/hooks`, `hooks.internal.load.extraDirs`, workspace `hooks/`), in the reference's shape.
import { join } from "node:path";
import type { HookHost } from "../../automation/hook_policy.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of `hooks.status`. */
export interface HooksStatusDeps {
  stateDir: string;
  /** The workspace of an agent (the default one when undefined); undefined for an unknown agent. */
  workspaceOf(agentId: string | undefined): { agentId: string; workspace: string } | undefined;
  /** The config tree as written (per-hook entries, extra dirs, required config paths). */
  rawConfig(): Record<string, unknown>;
  /** The home and working directory `~` and relative extra dirs resolve against. */
  home: string;
  cwd: string;
  /** The host requirement checks ask (env, PATH, platform); loaded on first use. */
  host(): Promise<HookHost>;
}

/** `hooks.status`. */
export function hooksStatusMethods(deps: HooksStatusDeps): MethodTable {
  return {
    "hooks.status": validated("operator.read", "validateHooksStatusParams", async ({ params }) => {
      const agent = deps.workspaceOf(params.agentId);
      if (!agent) throw new RpcError("INVALID_REQUEST", `unknown agent id "${params.agentId}"`);
      const config = deps.rawConfig();
      const hooks = config.hooks as { internal?: { load?: { extraDirs?: unknown } } } | undefined;
      const extraDirs = hooks?.internal?.load?.extraDirs;
      // Discovery loads on the first report, not at gateway start.
      const { hooksReport } = await import("../../automation/hook_status.ts");
      return hooksReport(config, {
        discovery: {
          workspaceDir: agent.workspace,
          managedHooksDir: join(deps.stateDir, "hooks"),
          extraDirs: Array.isArray(extraDirs) ? extraDirs.filter((dir) => typeof dir === "string") : [],
          home: deps.home,
          cwd: deps.cwd,
        },
        host: await deps.host(),
      });
    }),
  };
}
