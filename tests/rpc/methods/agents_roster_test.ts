import assert from "node:assert/strict";
import JSON5 from "json5";
import { agentsRosterMethods } from "../../../src/rpc/methods/agents_roster.ts";
import { agentDeletionFence } from "../../../src/rpc/methods/agent_deletion_fence.ts";
import { commitConfigEdit } from "../../../src/rpc/methods/config_tree_commit.ts";
import { configWriteQueue } from "../../../src/rpc/methods/config_write_queue.ts";
import { callMethod, payloadOf } from "../../support/method_call.ts";
import { until } from "../../support/until.ts";

/** A home with a config file; the roster methods wired to it as the gateway wires them. */
async function fixture(config: Record<string, unknown>, hooks: { closeSessions?: () => Promise<void> } = {}) {
  const home = await Deno.makeTempDir({ prefix: "agents-roster-" });
  const stateDir = `${home}/.openclaw`;
  await Deno.mkdir(stateDir);
  const configPath = `${stateDir}/openclaw.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(config));
  const queue = configWriteQueue();
  let writes = 0;
  const provenance: string[] = [];
  const closed: string[] = [];
  const cronRemoved: string[] = [];
  const unregistered: string[] = [];
  const fence = agentDeletionFence();
  const table = agentsRosterMethods({
    fence,
    commit: (edit) =>
      commitConfigEdit({ path: configPath, env: { HOME: home }, queue, written: () => void writes++ }, edit),
    paths: { stateDir, home },
    configPath,
    cwd: home,
    recordProvenance: (id) => Promise.resolve(void provenance.push(id)),
    closeSessions: (id) => (closed.push(id), hooks.closeSessions?.() ?? Promise.resolve()),
    unregisterDatabase: (id) => Promise.resolve(void unregistered.push(id)),
    removeCronJobs: (id) => (cronRemoved.push(id), 1),
  });
  return {
    home,
    stateDir,
    table,
    provenance,
    closed,
    cronRemoved,
    unregistered,
    writes: () => writes,
    config: async () => JSON5.parse(await Deno.readTextFile(configPath)),
    cleanup: () => Deno.remove(home, { recursive: true }),
  };
}

Deno.test("agents.create seeds the workspace and sessions dir, then adds the entry; a duplicate is refused", async () => {
  const f = await fixture({ agents: { entries: { main: { workspace: "~/ws-main" } } } });
  try {
    const created = await payloadOf(f.table, "agents.create", {
      name: "Research Bot",
      workspace: "~/ws-research",
      model: "fake/m1",
      emoji: "🔬",
    });
    assert.deepEqual(created, {
      ok: true,
      agentId: "research-bot",
      name: "Research Bot",
      workspace: `${f.home}/ws-research`,
      model: "fake/m1",
    });
    const entry = (await f.config()).agents.entries["research-bot"];
    assert.deepEqual(entry, {
      name: "Research Bot",
      workspace: `${f.home}/ws-research`,
      agentDir: `${f.stateDir}/agents/research-bot/agent`,
      identity: { name: "Research Bot", emoji: "🔬" },
      model: "fake/m1",
    });
    assert.ok((await Deno.stat(`${f.home}/ws-research/AGENTS.md`)).isFile);
    assert.ok((await Deno.stat(`${f.home}/ws-research/BOOTSTRAP.md`)).isFile, "a brand-new workspace bootstraps");
    assert.ok((await Deno.stat(`${f.stateDir}/agents/research-bot/sessions`)).isDirectory);
    assert.deepEqual(f.provenance, ["research-bot"]);
    assert.equal(f.writes(), 1);
    const again = await callMethod(f.table, "agents.create", { name: "research bot" });
    assert.equal(!again.ok && again.error.message, 'agent "research-bot" already exists');
    const reserved = await callMethod(f.table, "agents.create", { name: "OpenClaw" });
    assert.equal(!reserved.ok && reserved.error.message, '"openclaw" is reserved');
    const empty = await callMethod(f.table, "agents.create", { name: "!!!" });
    assert.match(!empty.ok ? empty.error.message : "", /has no valid id characters/);
    assert.equal(f.writes(), 1, "refusals write nothing");
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.update writes the identity into the config and IDENTITY.md, sets or clears the model", async () => {
  const f = await fixture({
    agents: {
      entries: { main: {}, helper: { workspace: "~/ws-helper", model: { primary: "a/b", fallbacks: ["c/d"] } } },
    },
  });
  try {
    await Deno.mkdir(`${f.home}/ws-helper`);
    await Deno.writeTextFile(`${f.home}/ws-helper/IDENTITY.md`, "# IDENTITY.md\n\n- Name: Old\n- Vibe: calm\n");
    assert.deepEqual(
      await payloadOf(f.table, "agents.update", { agentId: "helper", name: "  New   Name ", emoji: "🦊" }),
      { ok: true, agentId: "helper" },
    );
    const helper = () => f.config().then((c) => c.agents.entries.helper);
    assert.deepEqual((await helper()).identity, { name: "New Name", emoji: "🦊" });
    assert.equal((await helper()).name, "New Name");
    assert.equal(
      await Deno.readTextFile(`${f.home}/ws-helper/IDENTITY.md`),
      "# IDENTITY.md\n\n- Name: New Name\n- Vibe: calm\n- Emoji: 🦊\n",
    );
    // The Control UI's model pick, with the runtime its catalog names: the fallbacks stay.
    await payloadOf(f.table, "agents.update", { agentId: "helper", model: "x/y", agentRuntime: "auto" });
    assert.deepEqual((await helper()).model, { primary: "x/y", fallbacks: ["c/d"] });
    await payloadOf(f.table, "agents.update", { agentId: "helper", model: null });
    assert.equal((await helper()).model, undefined);
    const mixed = await callMethod(f.table, "agents.update", {
      agentId: "helper",
      name: "x",
      model: "x/y",
      agentRuntime: "auto",
    });
    assert.equal(!mixed.ok && mixed.error.message, "Runtime selection requires a model-only update.");
    const profiled = await callMethod(f.table, "agents.update", {
      agentId: "helper",
      model: "x/y@work",
      agentRuntime: "auto",
    });
    assert.equal(
      !profiled.ok && profiled.error.message,
      "Choose a model without an OpenClaw sign-in override for this runtime.",
    );
    const runtime = await callMethod(f.table, "agents.update", {
      agentId: "helper",
      model: "x/y",
      agentRuntime: "codex",
    });
    assert.equal(!runtime.ok && runtime.error.code, "UNAVAILABLE");
    const ghost = await callMethod(f.table, "agents.update", { agentId: "ghost", name: "x" });
    assert.equal(!ghost.ok && ghost.error.message, 'agent "ghost" not found');
    const avatar = await callMethod(f.table, "agents.update", { agentId: "helper", avatar: "../../etc/passwd" });
    assert.match(!avatar.ok ? avatar.error.message : "", /identity\.avatar must stay within the agent workspace/);
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.update: a model pick for the one implicit agent sets the default model", async () => {
  const f = await fixture({ agents: { defaults: { model: { primary: "a/b" } } } });
  try {
    await payloadOf(f.table, "agents.update", { agentId: "main", model: "x/y", agentRuntime: "auto" });
    const config = await f.config();
    assert.deepEqual(config.agents, { defaults: { model: { primary: "x/y" } } });
    const named = await callMethod(f.table, "agents.update", { agentId: "main", name: "Main" });
    assert.equal(!named.ok && named.error.message, 'agent "main" not found', "no roster entry to rename");
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.delete prunes the config, drops cron jobs, closes sessions and trashes the agent's directories", async () => {
  const f = await fixture({
    agents: { entries: { main: { workspace: "~/ws-main" }, helper: { workspace: "~/ws-helper" } } },
    bindings: [{ agentId: "helper", match: { channel: "telegram" } }],
  });
  try {
    await Deno.mkdir(`${f.home}/ws-helper`);
    await Deno.mkdir(`${f.stateDir}/agents/helper/agent`, { recursive: true });
    const only = await fixture({ agents: { entries: { solo: {} } } });
    try {
      const refused = await callMethod(only.table, "agents.delete", { agentId: "solo" });
      assert.equal(
        !refused.ok && refused.error.message,
        'Agent "solo" is the only configured agent and cannot be deleted.',
      );
    } finally {
      await only.cleanup();
    }
    const deleted = await payloadOf(f.table, "agents.delete", { agentId: "Helper" }) as {
      removedBindings: number;
      removed: { path: string; method: string }[];
      failed: unknown[];
    };
    assert.equal(deleted.removedBindings, 1);
    assert.deepEqual(deleted.failed, []);
    assert.deepEqual(deleted.removed.map((r) => [r.path, r.method]), [
      [`${f.home}/ws-helper`, "trash"],
      [`${f.stateDir}/agents/helper/agent`, "trash"],
      [`${f.stateDir}/agents/helper/sessions`, "missing"],
    ]);
    const config = await f.config();
    assert.deepEqual(Object.keys(config.agents.entries), ["main"]);
    assert.equal(config.bindings, undefined, "the only binding went with its agent");
    assert.deepEqual([f.cronRemoved, f.closed, f.unregistered], [["helper"], ["helper"], ["helper"]]);
    await assert.rejects(Deno.stat(`${f.home}/ws-helper`), Deno.errors.NotFound);
    const trash = await Array.fromAsync(Deno.readDir(`${f.home}/.Trash`));
    assert.equal(trash.length, 2, "each directory in its own Trash container");
    const again = await callMethod(f.table, "agents.delete", { agentId: "helper" });
    assert.equal(!again.ok && again.error.message, 'agent "helper" not found');
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.delete with deleteFiles false keeps every file", async () => {
  const f = await fixture({ agents: { entries: { main: {}, helper: { workspace: "~/ws-helper" } } } });
  try {
    await Deno.mkdir(`${f.home}/ws-helper`);
    const kept = await payloadOf(f.table, "agents.delete", { agentId: "helper", deleteFiles: false }) as {
      removed: unknown[];
    };
    assert.deepEqual(kept.removed, []);
    assert.ok((await Deno.stat(`${f.home}/ws-helper`)).isDirectory);
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.delete: an agent with its state dir elsewhere still loses its database at the default place", async () => {
  const f = await fixture({
    agents: { entries: { main: {}, helper: { workspace: "~/ws-helper", agentDir: "~/helper-state" } } },
  });
  try {
    const database = `${f.stateDir}/agents/helper/agent/openclaw-agent.sqlite`;
    await Deno.mkdir(`${f.stateDir}/agents/helper/agent`, { recursive: true });
    await Deno.writeTextFile(database, "db");
    await Deno.writeTextFile(`${database}-wal`, "wal");
    const deleted = await payloadOf(f.table, "agents.delete", { agentId: "helper" }) as {
      removed: { path: string; method: string }[];
    };
    assert.deepEqual(deleted.removed.map((r) => r.path), [
      `${f.home}/ws-helper`,
      `${f.home}/helper-state`,
      `${f.stateDir}/agents/helper/sessions`,
      database,
      `${database}-wal`,
    ]);
    await assert.rejects(Deno.stat(database), Deno.errors.NotFound);
    assert.deepEqual(f.unregistered, ["helper"]);
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.update never writes through a link in the workspace, and a moved workspace keeps its identity", async () => {
  const f = await fixture({ agents: { entries: { main: {}, helper: { workspace: "~/ws-helper" } } } });
  try {
    await Deno.mkdir(`${f.home}/ws-helper`);
    await Deno.writeTextFile(`${f.home}/secret.txt`, "TOKEN=abc\n");
    await Deno.symlink(`${f.home}/secret.txt`, `${f.home}/ws-helper/IDENTITY.md`);
    const linked = await callMethod(f.table, "agents.update", { agentId: "helper", name: "Bee" });
    assert.equal(!linked.ok && linked.error.message, 'unsafe workspace file "IDENTITY.md"');
    assert.equal(await Deno.readTextFile(`${f.home}/secret.txt`), "TOKEN=abc\n", "the link's target untouched");
    assert.equal((await f.config()).agents.entries.helper.identity, undefined, "nothing committed");
    await Deno.remove(`${f.home}/ws-helper/IDENTITY.md`);
    await Deno.writeTextFile(`${f.home}/ws-helper/IDENTITY.md`, "# IDENTITY.md\n\n- Name: Bee\n- Vibe: calm\n");
    await payloadOf(f.table, "agents.update", { agentId: "helper", workspace: "~/ws-moved", emoji: "🐝" });
    assert.equal(
      await Deno.readTextFile(`${f.home}/ws-moved/IDENTITY.md`),
      "# IDENTITY.md\n\n- Name: Bee\n- Vibe: calm\n- Emoji: 🐝\n",
      "the moved workspace's identity is the old file's, not the seeded template",
    );
  } finally {
    await f.cleanup();
  }
});

Deno.test("agents.delete keeps a directory a survivor reaches through another spelling", async () => {
  const f = await fixture({
    agents: { entries: { main: { workspace: "~/link" }, helper: { workspace: "~/real" } } },
  });
  try {
    await Deno.mkdir(`${f.home}/real`);
    await Deno.writeTextFile(`${f.home}/real/AGENTS.md`, "main's\n");
    await Deno.symlink(`${f.home}/real`, `${f.home}/link`);
    const deleted = await payloadOf(f.table, "agents.delete", { agentId: "helper" }) as {
      removed: { path: string }[];
    };
    assert.equal(deleted.removed.some((r) => r.path === `${f.home}/real`), false);
    assert.equal(await Deno.readTextFile(`${f.home}/link/AGENTS.md`), "main's\n");
  } finally {
    await f.cleanup();
  }
});

Deno.test("while an agent is being deleted, its update, file saves and a new agent of its id are refused", async () => {
  let release!: () => void;
  const closing = new Promise<void>((resolve) => release = resolve);
  const f = await fixture({ agents: { entries: { main: {}, helper: { workspace: "~/ws-helper" } } } }, {
    closeSessions: () => closing,
  });
  try {
    const deleting = callMethod(f.table, "agents.delete", { agentId: "helper" });
    await until(() => f.closed.length > 0, "the delete reached its cleanup");
    const update = await callMethod(f.table, "agents.update", { agentId: "helper", name: "x" });
    assert.equal(!update.ok && update.error.message, 'agent "helper" deletion cleanup is still pending');
    const again = await callMethod(f.table, "agents.delete", { agentId: "helper" });
    assert.equal(!again.ok && again.error.code, "UNAVAILABLE");
    const create = await callMethod(f.table, "agents.create", { name: "helper" });
    assert.equal(!create.ok && create.error.message, 'agent "helper" deletion cleanup is still pending');
    release();
    assert.ok((await deleting).ok);
    assert.ok((await callMethod(f.table, "agents.create", { name: "helper" })).ok, "after the cleanup, the id is free");
  } finally {
    release();
    await f.cleanup();
  }
});
