import assert from "node:assert/strict";
import { join } from "node:path";
import { workspaceSystemPrompt } from "../../../src/agent/workspace_files.ts";
import { resolveAgents } from "../../../src/config/resolve_agents.ts";

Deno.test("the run's prompt: skills for every session kind offering `read`, memory recall only with a memory tool and not in subagent or cron runs", async () => {
  const root = await Deno.makeTempDir();
  try {
    const ws = join(root, "ws");
    await Deno.mkdir(join(ws, "skills", "plain"), { recursive: true });
    await Deno.writeTextFile(
      join(ws, "skills", "plain", "SKILL.md"),
      "---\nname: plain\ndescription: A plain skill\n---\n",
    );
    const agent = resolveAgents({ agents: { defaults: { workspace: ws } } } as never, join(root, "state"), "/home/test")
      .agents[0]!;
    const memoryTools = new Set(["read", "memory_search", "memory_get"]);
    const main = await workspaceSystemPrompt(agent, "agent:main:main", memoryTools);
    const lines = main.split("\n");
    assert.equal(lines[1], "## Skills");
    assert.ok(lines.indexOf("## Memory Recall") > lines.indexOf("</available_skills>"));
    assert.ok(lines.indexOf("## Workspace") > lines.indexOf("## Memory Recall"));
    assert.ok(!(await workspaceSystemPrompt(agent, "agent:main:main", new Set(["read"]))).includes("## Memory Recall"));
    // No `read` tool to open a SKILL.md with: no skills listed (the reference's rule).
    const noRead = await workspaceSystemPrompt(agent, "agent:main:main", new Set(["memory_search", "memory_get"]));
    assert.ok(!noRead.includes("## Skills") && noRead.includes("## Memory Recall"));
    const sub = await workspaceSystemPrompt(agent, "agent:main:subagent:x", memoryTools);
    assert.ok(sub.includes("<name>plain</name>") && !sub.includes("## Memory Recall"));
    const off = resolveAgents(
      { agents: { defaults: { workspace: ws } }, skills: { entries: { plain: { enabled: false } } } } as never,
      join(root, "state"),
      "/home/test",
    ).agents[0]!;
    assert.ok(!(await workspaceSystemPrompt(off, "agent:main:main", new Set(["read"]))).includes("## Skills"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
