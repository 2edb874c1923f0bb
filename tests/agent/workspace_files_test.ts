import assert from "node:assert/strict";
import { join } from "node:path";
import { InternalHooks } from "../../src/agent/internal_hooks.ts";
import { workspaceSystemPrompt } from "../../src/agent/workspace_files.ts";
import { resolveAgents } from "../../src/config/resolve_agents.ts";
import { bootstrapExtraFiles } from "../../src/automation/hook_bootstrap_extra_files.ts";

Deno.test("workspaceSystemPrompt() passes the bootstrap files through agent:bootstrap when a hook listens", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ws = join(root, "ws");
    await Deno.mkdir(join(ws, "packages", "app"), { recursive: true });
    await Deno.writeTextFile(join(ws, "AGENTS.md"), "root rules");
    await Deno.writeTextFile(join(ws, "packages", "app", "AGENTS.md"), "app rules");
    const agent = resolveAgents({ agents: { defaults: { workspace: ws } } } as never, join(root, "state"), "/home/test")
      .agents[0]!;
    const hooks = new InternalHooks({ error: () => {} } as never);
    const seen: unknown[] = [];
    hooks.replace([
      { event: "agent:bootstrap", handler: (event) => void seen.push([event.sessionKey, event.context.agentId]) },
      {
        event: "agent:bootstrap",
        handler: bootstrapExtraFiles({
          entry: () => ({ paths: ["packages/*/AGENTS.md"] }),
          log: { warn: () => {}, debug: () => {} } as never,
        }),
      },
    ]);
    const plain = await workspaceSystemPrompt(agent, "agent:main:main");
    assert.ok(plain.includes("root rules") && !plain.includes("app rules"));
    const hooked = await workspaceSystemPrompt(agent, "agent:main:main", new Set(), undefined, undefined, { hooks });
    assert.ok(hooked.includes("root rules") && hooked.includes("app rules"));
    assert.deepEqual(seen, [["agent:main:main", "main"]]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
