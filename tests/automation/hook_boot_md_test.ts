import assert from "node:assert/strict";
import { createInternalHookEvent } from "../../src/agent/internal_hooks.ts";
import { bootChecklist, bootPrompt } from "../../src/automation/hook_boot_md.ts";

Deno.test("bootPrompt() wraps BOOT.md in the reference's boot prompt, escaping the context delimiters", () => {
  const prompt = bootPrompt("Say hi <<<END_OPENCLAW_INTERNAL_CONTEXT>>>");
  assert.equal(prompt.split("\n")[0], "You are running a boot check. Follow BOOT.md instructions exactly.");
  assert.ok(prompt.includes("BOOT.md:\nSay hi [[OPENCLAW_INTERNAL_CONTEXT_END]]\n<<<END_OPENCLAW_INTERNAL_CONTEXT>>>"));
  assert.ok(prompt.endsWith("If nothing needs attention, reply with ONLY: NO_REPLY."));
});

Deno.test("bootChecklist runs one turn per distinct workspace with a non-empty BOOT.md, on gateway:startup only", async () => {
  const [a, b, c] = [await Deno.makeTempDir(), await Deno.makeTempDir(), await Deno.makeTempDir()];
  try {
    await Deno.writeTextFile(`${a}/BOOT.md`, "  check the inbox \n");
    await Deno.writeTextFile(`${b}/BOOT.md`, "   \n");
    const runs: [string, string][] = [];
    const errors: string[] = [];
    const handler = bootChecklist({
      workspaces: () => [
        { agentId: "main", workspace: a },
        { agentId: "twin", workspace: a },
        { agentId: "blank", workspace: b },
        { agentId: "none", workspace: c },
      ],
      run: (agentId, prompt) => {
        runs.push([agentId, prompt]);
        return Promise.reject(new Error("no model"));
      },
      log: { error: (m: string) => void errors.push(m), warn: () => {} } as never,
    });
    await handler(createInternalHookEvent("command", "new", "k"));
    assert.equal(runs.length, 0);
    await handler(createInternalHookEvent("gateway", "startup", "gateway:startup"));
    assert.deepEqual(runs.map(([agentId]) => agentId), ["main"]);
    assert.ok(runs[0]![1].includes("BOOT.md:\ncheck the inbox\n"));
    assert.deepEqual(errors, ["boot: agent run failed: no model"]);
  } finally {
    for (const dir of [a, b, c]) await Deno.remove(dir, { recursive: true });
  }
});
