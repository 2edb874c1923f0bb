import assert from "node:assert/strict";
import { agentsFromConfig } from "../../../src/agent/agents_config.ts";
import { agentDeletionFence } from "../../../src/rpc/methods/agent_deletion_fence.ts";
import { agentsFilesMethods } from "../../../src/rpc/methods/agents_files.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";

/** A state dir with one agent `main` whose workspace holds AGENTS.md and SOUL.md. */
async function fixture(options: { setupDone?: boolean } = {}) {
  const stateDir = await Deno.makeTempDir({ prefix: "agents-files-" });
  const workspace = `${stateDir}/workspace`;
  await Deno.mkdir(workspace);
  await Deno.writeTextFile(`${workspace}/AGENTS.md`, "# Agents\n");
  await Deno.writeTextFile(`${workspace}/SOUL.md`, "be kind\n");
  const agents = agentsFromConfig({ agents: { defaults: { workspace } } }, stateDir, "/home/test");
  const table = agentsFilesMethods({
    agents: () => agents,
    setupCompleted: () => Promise.resolve(!!options.setupDone),
    fence: agentDeletionFence(),
  });
  return { stateDir, workspace, table, cleanup: () => Deno.remove(stateDir, { recursive: true }) };
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("agents.files.list: the reference's files in its order, IDENTITY.md left to the identity form", async () => {
  const f = await fixture();
  try {
    const listed = await payloadOf(f.table, "agents.files.list", { agentId: "main" }) as {
      workspace: string;
      files: { name: string; missing: boolean; expectedAbsent?: boolean; size?: number; updatedAtMs?: number }[];
    };
    assert.equal(listed.workspace, f.workspace);
    assert.deepEqual(listed.files.map((file) => file.name), [
      "AGENTS.md",
      "SOUL.md",
      "USER.md",
      "BOOTSTRAP.md",
      "MEMORY.md",
    ]);
    assert.deepEqual(listed.files[0], {
      name: "AGENTS.md",
      path: `${f.workspace}/AGENTS.md`,
      missing: false,
      size: 9,
      updatedAtMs: listed.files[0]!.updatedAtMs,
    });
    // Optional files absent are normal; BOOTSTRAP.md absent is not.
    assert.deepEqual(listed.files.filter((file) => file.missing).map((file) => [file.name, file.expectedAbsent]), [
      ["USER.md", true],
      ["BOOTSTRAP.md", false],
      ["MEMORY.md", true],
    ]);
  } finally {
    await f.cleanup();
  }
  const done = await fixture({ setupDone: true });
  try {
    const listed = await payloadOf(done.table, "agents.files.list", { agentId: "main" }) as {
      files: { name: string }[];
    };
    assert.equal(listed.files.some((file) => file.name === "BOOTSTRAP.md"), false, "hidden once setup is complete");
  } finally {
    await done.cleanup();
  }
});

Deno.test("agents.files.get and set: hashes, a stale save refused with the current hash, a new file created", async () => {
  const f = await fixture();
  try {
    const got = await payloadOf(f.table, "agents.files.get", { agentId: "main", name: "SOUL.md" }) as {
      file: { content: string; hash: string; missing: boolean };
    };
    assert.equal(got.file.content, "be kind\n");
    assert.equal(got.file.hash, await sha256("be kind\n"));
    const saved = await payloadOf(f.table, "agents.files.set", {
      agentId: "main",
      name: "SOUL.md",
      content: "be very kind\n",
      expectedHash: got.file.hash,
    }) as { ok: boolean; file: { hash: string; size: number } };
    assert.equal(saved.ok, true);
    assert.equal(saved.file.hash, await sha256("be very kind\n"));
    assert.equal(saved.file.size, 13);
    assert.equal(await Deno.readTextFile(`${f.workspace}/SOUL.md`), "be very kind\n");
    // A second editor still holding the first hash: refused, nothing lost.
    const stale = await callMethod(f.table, "agents.files.set", {
      agentId: "main",
      name: "SOUL.md",
      content: "overwrite",
      expectedHash: got.file.hash,
    });
    assert.ok(!stale.ok);
    assert.equal(stale.error.message, 'agent file "SOUL.md" changed since it was read');
    assert.deepEqual(stale.error.details, {
      type: "agent_file_conflict",
      name: "SOUL.md",
      currentHash: saved.file.hash,
    });
    assert.equal(await Deno.readTextFile(`${f.workspace}/SOUL.md`), "be very kind\n");
    // A missing file reads as missing, and a save creates it (0644).
    const absent = await payloadOf(f.table, "agents.files.get", { agentId: "main", name: "USER.md" }) as {
      file: { missing: boolean; expectedAbsent: boolean };
    };
    assert.deepEqual([absent.file.missing, absent.file.expectedAbsent], [true, true]);
    await payloadOf(f.table, "agents.files.set", { agentId: "main", name: "USER.md", content: "- Name: Ada\n" });
    assert.equal((await Deno.stat(`${f.workspace}/USER.md`)).mode! & 0o777, 0o644);
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.files: unknown agents and names, links and bad hashes are refused", async () => {
  const f = await fixture();
  try {
    const refusal = async (method: string, params: Record<string, unknown>) => {
      const result = await callMethod(f.table, method, params);
      assert.ok(!result.ok, `${method} ${JSON.stringify(params)} must fail`);
      return result.error.message;
    };
    assert.equal(await refusal("agents.files.list", { agentId: "ghost" }), 'agent "ghost" not found');
    assert.equal(
      await refusal("agents.files.get", { agentId: "main", name: "../secrets" }),
      'unsupported file "../secrets"',
    );
    await Deno.writeTextFile(`${f.stateDir}/outside.txt`, "secret");
    await Deno.symlink(`${f.stateDir}/outside.txt`, `${f.workspace}/USER.md`);
    assert.equal(
      await refusal("agents.files.get", { agentId: "main", name: "USER.md" }),
      'unsafe workspace file "USER.md"',
    );
    assert.equal(
      await refusal("agents.files.set", { agentId: "main", name: "USER.md", content: "x" }),
      'unsafe workspace file "USER.md"',
    );
    assert.equal(await Deno.readTextFile(`${f.stateDir}/outside.txt`), "secret", "never written through the link");
    await Deno.link(`${f.workspace}/AGENTS.md`, `${f.stateDir}/hardlink`);
    assert.equal(
      await refusal("agents.files.get", { agentId: "main", name: "AGENTS.md" }),
      'unsafe workspace file "AGENTS.md"',
    );
    assert.match(
      await refusal("agents.files.set", { agentId: "main", name: "SOUL.md", content: "x", expectedHash: "abc" }),
      /expectedHash/,
    );
    const read = await callMethod(f.table, "agents.files.set", { agentId: "main", name: "SOUL.md", content: "x" }, [
      "operator.read",
    ]);
    assert.equal(!read.ok && read.error.message, "missing scope: operator.admin");
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.files: what is no regular file (a directory here, a FIFO alike) is refused, never read; a BOM is kept", async () => {
  const f = await fixture();
  try {
    await Deno.mkdir(`${f.workspace}/MEMORY.md`);
    const read = await callMethod(f.table, "agents.files.get", { agentId: "main", name: "MEMORY.md" });
    assert.equal(!read.ok && read.error.message, 'unsafe workspace file "MEMORY.md"');
    await Deno.writeTextFile(`${f.workspace}/USER.md`, "\uFEFF- Name: Ada\n");
    const got = await payloadOf(f.table, "agents.files.get", { agentId: "main", name: "USER.md" }) as {
      file: { content: string; hash: string };
    };
    assert.equal(got.file.content, "\uFEFF- Name: Ada\n");
    assert.equal(got.file.hash, await sha256("\uFEFF- Name: Ada\n"));
  } finally {
    await f.cleanup();
  }
});
