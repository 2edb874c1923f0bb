import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { bootstrapExtraFiles, extraBootstrapPatterns } from "../../src/automation/hook_bootstrap_extra_files.ts";

Deno.test("extraBootstrapPatterns() reads paths, else patterns, else files", () => {
  assert.deepEqual(extraBootstrapPatterns({ paths: [" a/AGENTS.md ", 3], files: ["x"] }), ["a/AGENTS.md"]);
  assert.deepEqual(extraBootstrapPatterns({ paths: [], patterns: ["p/*.md"] }), ["p/*.md"]);
  assert.deepEqual(extraBootstrapPatterns({ enabled: false, paths: ["a"] }), []);
  assert.deepEqual(extraBootstrapPatterns(undefined), []);
});

Deno.test("bootstrapExtraFiles adds matching bootstrap files inside the workspace to agent:bootstrap's list", async () => {
  const workspace = await Deno.makeTempDir();
  const outside = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${workspace}/packages/a`, { recursive: true });
    await Deno.mkdir(`${workspace}/packages/b`, { recursive: true });
    await Deno.writeTextFile(`${workspace}/packages/a/AGENTS.md`, "rules of a");
    await Deno.writeTextFile(`${workspace}/packages/b/NOTES.md`, "not a bootstrap name");
    await Deno.writeTextFile(`${outside}/SOUL.md`, "outside");
    await Deno.symlink(`${outside}/SOUL.md`, `${workspace}/packages/b/SOUL.md`);
    const handler = bootstrapExtraFiles({
      entry: () => ({ paths: ["packages/*/*.md", "../elsewhere/AGENTS.md"] }),
      log: { warn: () => {}, debug: () => {} } as never,
    });
    const root = { name: "AGENTS.md", path: `${workspace}/AGENTS.md`, content: "root" };
    const event = createInternalHookEvent("agent", "bootstrap", "agent:main:main", {
      workspaceDir: workspace,
      bootstrapFiles: [root],
    });
    await handler(event);
    assert.deepEqual(event.context.bootstrapFiles, [
      root,
      { name: "AGENTS.md", path: `${workspace}/packages/a/AGENTS.md`, content: "rules of a" },
    ]);
  } finally {
    await Deno.remove(workspace, { recursive: true });
    await Deno.remove(outside, { recursive: true });
  }
});
