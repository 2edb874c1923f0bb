// Bootstrap files are read without following a link out of the workspace: a sandboxed command that
// plants `AGENTS.md -> <gateway config>` gets an unreadable marker, not the gateway's secrets.
import assert from "node:assert/strict";
import { readBootstrapFiles } from "../../src/agent/workspace_files.ts";
import { readWorkspaceText, WorkspaceBoundaryError } from "../../src/agent/workspace_boundary.ts";

Deno.test("a bootstrap file that links out of the workspace is unreadable, never followed", async () => {
  const base = await Deno.makeTempDir();
  try {
    const ws = `${base}/ws`;
    await Deno.mkdir(`${ws}/docs`, { recursive: true });
    await Deno.writeTextFile(`${base}/openclaw.json`, "GATEWAY-SECRET");
    await Deno.writeTextFile(`${ws}/docs/soul.md`, "inside");
    await Deno.symlink(`${base}/openclaw.json`, `${ws}/AGENTS.md`);
    await Deno.symlink("docs/soul.md", `${ws}/SOUL.md`);
    await Deno.symlink(base, `${ws}/up`);
    const read = await readBootstrapFiles(ws, ["AGENTS.md", "SOUL.md"]);
    assert.equal(read[0]!.name, "AGENTS.md");
    assert.match(read[0]!.content, /^\[UNREADABLE: Symlink escapes workspace root \(.*\): .*AGENTS\.md\]$/);
    assert.doesNotMatch(JSON.stringify(read), /GATEWAY-SECRET/);
    assert.equal(read[1]!.content, "inside");
    await assert.rejects(readWorkspaceText(ws, `${ws}/up/openclaw.json`), WorkspaceBoundaryError);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
