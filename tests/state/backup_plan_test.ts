// The archive plan against the reference's, recorded from OpenClaw 2026.9.6 on the same layout:
// config, credentials, two workspaces and a custom agent root outside the state dir, managed and
// generated roots inside it. Same assets in the same order, same skips.
import assert from "node:assert/strict";
import { backupArchiveRoot } from "../../src/state/backup_archive_path.ts";
import { planBackup } from "../../src/state/backup_plan.ts";

Deno.test("planBackup: the reference's assets, order and skips for config, credentials, workspaces and agents outside state", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-backup-plan-" }));
  try {
    for (
      const dir of [".openclaw/npm", ".openclaw/plugin-skills", "cfg", "creds", "agentdirs/ops", "ws-main", "ws-ops"]
    ) {
      await Deno.mkdir(`${home}/${dir}`, { recursive: true });
    }
    await Deno.writeTextFile(`${home}/cfg/openclaw.json`, "{}");
    const plan = planBackup({
      home,
      stateDir: `${home}/.openclaw`,
      configPath: `${home}/cfg/openclaw.json`,
      oauthDir: `${home}/creds`,
      workspaceDirs: [`${home}/ws-main`, `${home}/ws-ops`],
      agentRoots: [
        { agentId: "main", sourcePath: `${home}/.openclaw/agents/main/agent` },
        { agentId: "ops", sourcePath: `${home}/agentdirs/ops` },
      ],
      includeWorkspace: true,
      onlyConfig: false,
      archiveRoot: backupArchiveRoot(0),
    });
    // Recorded: credentials, workspace ~/ws-ops, workspace ~/ws-main, state, agent, config (shortest path first).
    assert.deepEqual(plan.included.map((a) => [a.kind, a.displayPath]), [
      ["credentials", "~/creds"],
      ["workspace", "~/ws-ops"],
      ["workspace", "~/ws-main"],
      ["state", "~/.openclaw"],
      ["agent", "~/agentdirs/ops"],
      ["config", "~/cfg/openclaw.json"],
    ]);
    assert.deepEqual(plan.skipped.map((s) => [s.kind, s.displayPath, s.reason]), [
      ["managed state", "~/.openclaw/npm", "regenerable"],
      ["plugin skills", "~/.openclaw/plugin-skills", "regenerable"],
    ]);
    const noWorkspace = planBackup({
      home,
      stateDir: `${home}/.openclaw`,
      configPath: `${home}/cfg/openclaw.json`,
      oauthDir: `${home}/creds`,
      workspaceDirs: [`${home}/ws-main`],
      agentRoots: [],
      includeWorkspace: false,
      onlyConfig: false,
      archiveRoot: backupArchiveRoot(0),
    });
    assert.ok(!noWorkspace.included.some((a) => a.kind === "workspace"));
    assert.equal(noWorkspace.policy.isIncluded(`${home}/ws-main/notes.md`), false);
    assert.equal(noWorkspace.policy.isVolatile(`${home}/.openclaw/logs/today.log`), true);
    assert.equal(noWorkspace.policy.isVolatile(`${home}/.openclaw/agents/main/sessions/s.jsonl`), true);
    assert.equal(noWorkspace.policy.isVolatile(`${home}/.openclaw/openclaw.json`), false);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("planBackup: a config or credentials symlink is itself planned, as the reference plans it", async () => {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "oc-backup-plan-links-" }));
  try {
    for (const dir of [".openclaw", "dot", "etc", "creds-real"]) await Deno.mkdir(`${home}/${dir}`);
    await Deno.writeTextFile(`${home}/dot/real.json`, "{}");
    await Deno.symlink(`${home}/dot/real.json`, `${home}/etc/cfg-link.json`);
    await Deno.symlink(`${home}/creds-real`, `${home}/.openclaw/credentials`);
    const plan = planBackup({
      home,
      stateDir: `${home}/.openclaw`,
      configPath: `${home}/etc/cfg-link.json`,
      oauthDir: `${home}/.openclaw/credentials`,
      workspaceDirs: [],
      agentRoots: [],
      includeWorkspace: true,
      onlyConfig: false,
      archiveRoot: backupArchiveRoot(0),
    });
    // Recorded from the reference on this layout (`backup create --dry-run --json`; it adds the missing default workspace).
    assert.deepEqual(plan.included.map((a) => [a.kind, a.displayPath]), [
      ["state", "~/.openclaw"],
      ["credentials", "~/creds-real"],
      ["config", "~/dot/real.json"],
      ["config", "~/etc/cfg-link.json"],
    ]);
    assert.deepEqual(plan.skipped.map((s) => [s.kind, s.displayPath, s.reason, s.coveredBy]), [
      ["credentials", "~/.openclaw/credentials", "covered", "~/.openclaw"],
    ]);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
