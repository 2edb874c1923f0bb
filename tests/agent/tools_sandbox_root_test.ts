// A sandboxed session's file tools act on the sandbox's workspace, not the agent's: its private one
// under `none`, nothing writable under `ro`, the agent's own under `rw`; unsandboxed sessions as before.
import assert from "node:assert/strict";
import { fileToolsFamily } from "../../src/agent/tools_files.ts";
import { patchToolsFamily } from "../../src/agent/tools_patch.ts";
import { type ToolCall, ToolError } from "../../src/agent/tool.ts";
import { resolveSandbox } from "../../src/config/resolve_exec.ts";
import { agentFor, callIn, hostFor, textOf } from "../support/tool_harness.ts";

async function setup(sandbox: Record<string, unknown>) {
  const base = await Deno.makeTempDir({ prefix: "files-sbx-" });
  const workspace = `${base}/workspace`;
  await Deno.mkdir(workspace);
  const agent = {
    ...agentFor({}, workspace),
    sandbox: resolveSandbox({ sandbox: { workspaceRoot: `${base}/sandboxes`, ...sandbox } }, {}, `${base}/state`),
  };
  const host = hostFor(agent);
  const tools = new Map(
    [...await fileToolsFamily(host, agent), ...await patchToolsFamily(host, agent)].map((tool) => [tool.name, tool]),
  );
  const call: ToolCall = { ...callIn(workspace), sessionKey: "agent:main:irc:group:#ops" };
  return { base, workspace, tools, call, sandboxes: `${base}/sandboxes` };
}

async function privateDir(sandboxes: string): Promise<string> {
  const entries = await Array.fromAsync(Deno.readDir(sandboxes));
  assert.equal(entries.length, 1);
  return `${sandboxes}/${entries[0]!.name}`;
}

Deno.test("workspaceAccess none: a sandboxed session's write lands in its private workspace, not the agent's", async () => {
  const t = await setup({ mode: "all", workspaceAccess: "none" });
  try {
    await t.tools.get("write")!.execute({ path: "notes.txt", content: "boxed" }, t.call);
    await t.tools.get("write")!.execute({ path: "/workspace/sub/x.txt", content: "mapped" }, t.call);
    await assert.rejects(Deno.stat(`${t.workspace}/notes.txt`), Deno.errors.NotFound);
    const dir = await privateDir(t.sandboxes);
    assert.equal(await Deno.readTextFile(`${dir}/notes.txt`), "boxed");
    assert.equal(await Deno.readTextFile(`${dir}/sub/x.txt`), "mapped");
    // Always confined: the agent's workspace (or anything else on the host) is out of reach.
    await Deno.writeTextFile(`${t.workspace}/agent.md`, "agent file");
    await assert.rejects(
      t.tools.get("read")!.execute({ path: `${t.workspace}/agent.md` }, t.call),
      (e) => e instanceof ToolError && /^Path escapes sandbox root/.test(e.message),
    );
    // Relative paths read from the same private workspace.
    const main = await t.tools.get("read")!.execute({ path: "notes.txt" }, t.call);
    assert.equal(textOf(main), "boxed");
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("workspaceAccess ro: write, edit and apply_patch are refused in the reference's words; read works", async () => {
  const t = await setup({ mode: "all", workspaceAccess: "ro" });
  try {
    const refused = (name: string, args: Record<string, unknown>, path: string) =>
      assert.rejects(
        t.tools.get(name)!.execute(args, t.call),
        (e) => e instanceof ToolError && e.message === `Sandbox path is read-only; cannot write files: ${path}`,
      );
    await refused("write", { path: "x.txt", content: "no" }, "/workspace/x.txt");
    await refused("edit", { path: "/workspace/y.txt", oldText: "a", newText: "b" }, "/workspace/y.txt");
    await refused("apply_patch", { input: "*** Begin Patch\n*** Add File: z.txt\n+z\n*** End Patch" }, "/workspace");
    await assert.rejects(Deno.stat(`${t.workspace}/x.txt`), Deno.errors.NotFound);
    const dir = await privateDir(t.sandboxes);
    await Deno.writeTextFile(`${dir}/seen.txt`, "visible");
    assert.equal(textOf(await t.tools.get("read")!.execute({ path: "seen.txt" }, t.call)), "visible");
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});

Deno.test("non-main: the agent's main session keeps its file tools on the agent's workspace", async () => {
  const t = await setup({ mode: "non-main", workspaceAccess: "none" });
  try {
    await t.tools.get("write")!.execute({ path: "main.txt", content: "host" }, {
      ...t.call,
      sessionKey: "agent:main:main",
    });
    assert.equal(await Deno.readTextFile(`${t.workspace}/main.txt`), "host");
  } finally {
    await Deno.remove(t.base, { recursive: true });
  }
});
