// The reference's clients editing agents through our gateway: its CLI's `openclaw agents delete` beside a running
// gateway goes through `agents.delete` (before, our hello lacked it and the CLI refused), and the calls its Control
// UI's Agents page makes (agents.create, agents.files.list|get|set, agents.update) with the reference client library.
import assert from "node:assert/strict";
import JSON5 from "json5";
import { DatabaseSync } from "node:sqlite";
import { requirePeer, runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { connectReference } from "../support/reference_client.ts";
import { runOpenclaw } from "../support/spawn_gateway.ts";

const TOKEN = "reference-agents-roster-token-0123456789abcdef";

const twoAgents = {
  agents: {
    ownership: "explicit",
    defaults: { model: { primary: "fake/m1" }, systemAgent: { agentId: "main" } },
    entries: { main: { workspace: "~/ws-main" }, helper: { workspace: "~/ws-helper" } },
  },
};

Deno.test("the reference CLI's agents delete goes through our running gateway's agents.delete", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN, twoAgents);
  const { where, env, port, proc } = gateway;
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    const workspace = `${where.home}/ws-helper`;
    await Deno.mkdir(workspace);
    await Deno.writeTextFile(`${workspace}/AGENTS.md`, "# helper\n");
    const listed = await client.request<{ agents: { id: string }[] }>("agents.list", {});
    assert.deepEqual(listed.agents.map((a) => a.id), ["main", "helper"]);

    const reloaded = proc.waitForLine(/config hot reload applied \(.*agents/);
    const deleted = await runPeer(["agents", "delete", "helper", "--force", "--json"], where, env);
    assert.equal(deleted.code, 0, deleted.stdout + deleted.stderr);
    const out = JSON.parse(deleted.stdout);
    assert.equal(out.transport, "gateway", "deleted by the gateway, not by the CLI's offline fallback");
    assert.equal(out.agentId, "helper");
    assert.deepEqual(out.failed, []);
    assert.deepEqual(out.removed.find((r: { path: string }) => r.path === workspace), {
      path: workspace,
      method: "trash",
    });
    await assert.rejects(Deno.stat(workspace), Deno.errors.NotFound);
    const config = JSON5.parse(await Deno.readTextFile(where.configPath));
    assert.deepEqual(Object.keys(config.agents.entries), ["main"]);
    await reloaded;
    const after = await client.request<{ agents: { id: string }[] }>("agents.list", {});
    assert.deepEqual(after.agents.map((a) => a.id), ["main"]);
  } finally {
    client.stop();
    await gateway.stop();
  }
});

Deno.test("our CLI's agents delete also lets the running gateway delete the agent, its cron job with it", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN, twoAgents);
  const { where, env, port, proc } = gateway;
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    await client.request("cron.add", {
      name: "helper digest",
      agentId: "helper",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      payload: { kind: "agentTurn", message: "digest" },
    });
    const before = await client.request<{ jobs: { name: string }[] }>("cron.list", {});
    assert.deepEqual(before.jobs.map((j) => j.name), ["helper digest"]);
    const reloaded = proc.waitForLine(/config hot reload applied \(.*agents\.entries\.helper/);
    const deleted = await runOpenclaw(["agents", "delete", "helper", "--force", "--json"], {
      home: where.home,
      env: { ...env, OPENCLAW_GATEWAY_TOKEN: TOKEN },
    });
    assert.equal(deleted.code, 0, deleted.stdout + deleted.stderr);
    const out = JSON.parse(deleted.stdout);
    assert.equal(out.transport, "gateway");
    assert.equal(out.cronCleanupSkipped, undefined);
    const jobs = await client.request<{ jobs: { name: string }[] }>("cron.list", {});
    assert.deepEqual(jobs.jobs.map((j) => j.name), [], "the gateway removed the deleted agent's job");
    await reloaded;
  } finally {
    client.stop();
    await gateway.stop();
  }
});

Deno.test("with no gateway running, our CLI's agents delete removes the agent's cron jobs from the store itself", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN, twoAgents);
  const { where, env, port, proc } = gateway;
  try {
    const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
    for (const agentId of ["helper", "main"]) {
      await client.request("cron.add", {
        name: `${agentId} digest`,
        agentId,
        schedule: { kind: "every", everyMs: 3_600_000 },
        sessionTarget: "isolated",
        payload: { kind: "agentTurn", message: "digest" },
      });
    }
    client.stop();
    await proc.stop();
    const deleted = await runOpenclaw(["agents", "delete", "helper", "--force", "--json"], {
      home: where.home,
      env: { ...env, OPENCLAW_GATEWAY_TOKEN: TOKEN },
    });
    assert.equal(deleted.code, 0, deleted.stdout + deleted.stderr);
    const out = JSON.parse(deleted.stdout);
    assert.equal(out.transport, undefined, "deleted offline");
    assert.equal(out.cronCleanupSkipped, undefined);
    assert.equal(deleted.stderr, "");
    const db = new DatabaseSync(`${where.stateDir}/state/openclaw.sqlite`, { readOnly: true });
    try {
      const rows = db.prepare("SELECT name FROM cron_jobs").all() as { name: string }[];
      assert.deepEqual(rows.map((r) => r.name), ["main digest"]);
    } finally {
      db.close();
    }
  } finally {
    await gateway.stop();
  }
});

Deno.test("the Control UI's agent calls: create an agent, edit its files with hashes, rename it", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN);
  const { where, port, proc } = gateway;
  const client = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    const hello = client.hello as { features: { methods: string[] } };
    for (const method of ["agents.create", "agents.update", "agents.delete", "agents.files.set"]) {
      assert.ok(hello.features.methods.includes(method), `${method} is advertised`);
    }
    let reloaded = proc.waitForLine(/config hot reload applied \(.*agents\.entries\.scout/);
    const created = await client.request<{ agentId: string; workspace: string }>("agents.create", {
      name: "Scout",
      workspace: `${where.home}/ws-scout`,
      emoji: "🧭",
    });
    assert.equal(created.agentId, "scout");
    await reloaded;

    const files = await client.request<{ files: { name: string; missing: boolean }[] }>("agents.files.list", {
      agentId: "scout",
    });
    assert.deepEqual(files.files.filter((f) => !f.missing).map((f) => f.name), [
      "AGENTS.md",
      "SOUL.md",
      "USER.md",
      "BOOTSTRAP.md",
    ]);
    const soul = await client.request<{ file: { hash: string; content: string } }>("agents.files.get", {
      agentId: "scout",
      name: "SOUL.md",
    });
    await client.request("agents.files.set", {
      agentId: "scout",
      name: "SOUL.md",
      content: `${soul.file.content}\nAlways cite sources.\n`,
      expectedHash: soul.file.hash,
    });
    assert.match(await Deno.readTextFile(`${where.home}/ws-scout/SOUL.md`), /Always cite sources\.\n$/);
    await assert.rejects(
      client.request("agents.files.set", {
        agentId: "scout",
        name: "SOUL.md",
        content: "lost update",
        expectedHash: soul.file.hash,
      }),
      /agent file "SOUL.md" changed since it was read/,
    );

    // Only the two names change: the line that says so is this update's, not the create's.
    const renamed =
      /config hot reload applied \(agents\.entries\.scout\.identity\.name, agents\.entries\.scout\.name\)/;
    reloaded = proc.waitForLine(renamed);
    await client.request("agents.update", { agentId: "scout", name: "Scout Prime" });
    await reloaded;
    const identity = await client.request<{ name: string }>("agent.identity.get", { agentId: "scout" });
    assert.equal(identity.name, "Scout Prime");
  } finally {
    client.stop();
    await gateway.stop();
  }
});
