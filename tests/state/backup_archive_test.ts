// The full-archive run in process: a live WAL database is snapshotted (committed WAL rows in, no
// sidecar in the archive), volatile files are skipped, the manifest is last, the archive verifies
// and restores; the refusals use the reference's words.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import * as tar from "tar";
import { backupArchiveRoot, backupTimestamp, encodeSourcePath } from "../../src/state/backup_archive_path.ts";
import { createBackupArchive } from "../../src/state/backup_create.ts";
import { planBackup } from "../../src/state/backup_plan.ts";
import { restoreBackupArchive } from "../../src/state/backup_restore.ts";
import { prepareBackupArchive } from "../../src/state/backup_verify.ts";
import { openAgentDb } from "../../src/state/agent_db.ts";

const RUNTIME = { version: "test", platform: "linux", nodeVersion: "v0" };

async function liveHome() {
  const home = await Deno.makeTempDir({ prefix: "oc-backup-" });
  const stateDir = `${home}/.openclaw`;
  await Deno.mkdir(`${stateDir}/logs`, { recursive: true });
  await Deno.writeTextFile(`${stateDir}/openclaw.json`, "{ gateway: { mode: 'local' } }\n");
  await Deno.writeTextFile(`${stateDir}/logs/today.log`, "live\n");
  await Deno.writeTextFile(`${stateDir}/gateway.pid`, "1\n");
  await Deno.mkdir(`${stateDir}/npm`);
  await Deno.writeTextFile(`${stateDir}/npm/pkg.json`, "{}");
  const db = openAgentDb(stateDir, "main");
  db.exec("PRAGMA wal_autocheckpoint = 0");
  db.exec("CREATE TABLE backup_probe (note TEXT); INSERT INTO backup_probe VALUES ('only in the WAL');");
  return { home, stateDir, db };
}

function planFor(home: string, stateDir: string, nowMs: number, extra: { onlyConfig?: boolean } = {}) {
  return planBackup({
    home,
    stateDir,
    configPath: `${stateDir}/openclaw.json`,
    oauthDir: `${stateDir}/credentials`,
    workspaceDirs: [`${stateDir}/workspace`],
    agentRoots: [{ agentId: "main", sourcePath: `${stateDir}/agents/main/agent` }],
    includeWorkspace: true,
    onlyConfig: extra.onlyConfig ?? false,
    archiveRoot: backupArchiveRoot(nowMs),
  });
}

async function entries(path: string): Promise<string[]> {
  const names: string[] = [];
  await tar.t({ file: path, gzip: true, onReadEntry: (entry) => void names.push(entry.path) });
  return names;
}

Deno.test("archive names: local time with its UTC offset, payload paths encoded as the reference encodes them", () => {
  const at = Date.UTC(2026, 2, 9, 0, 0, 0, 0);
  assert.equal(backupTimestamp(at, 480), "2026-03-09T08-00-00.000+08-00");
  assert.equal(backupTimestamp(at, -90), "2026-03-08T22-30-00.000-01-30");
  assert.equal(encodeSourcePath("/home/u/.openclaw"), "posix/home/u/.openclaw");
  assert.equal(encodeSourcePath("C:\\Users\\u"), "windows/C/Users/u");
});

Deno.test("create: a live WAL database is snapshotted whole, sidecars and volatile files stay out, manifest last", async () => {
  const { home, stateDir, db } = await liveHome();
  try {
    assert.ok((await Deno.stat(`${stateDir}/agents/main/agent/openclaw-agent.sqlite-wal`)).size > 0);
    const nowMs = Date.now();
    const plan = planFor(home, stateDir, nowMs);
    const outputPath = `${home}/out/a.tar.gz`;
    const inputs = {
      plan,
      archiveRoot: backupArchiveRoot(nowMs),
      nowMs,
      outputPath,
      dryRun: false,
      includeWorkspace: true,
      onlyConfig: false,
      runtime: RUNTIME,
    };
    const result = await createBackupArchive(inputs);
    assert.equal(result.skippedVolatileCount, 2);
    assert.deepEqual(result.skipped.filter((s) => s.reason !== "volatile").map((s) => [s.kind, s.reason]), [
      ["workspace", "missing"],
      ["agent", "covered"],
      ["managed state", "regenerable"],
    ]);
    const names = await entries(outputPath);
    assert.equal(names.at(-1), `${inputs.archiveRoot}/manifest.json`);
    assert.ok(!names.some((name) => /-(wal|shm|journal)$|\.pid$|\.log$|\/npm\//.test(name)), names.join("\n"));
    const snapshot = names.find((name) => name.endsWith("agents/main/agent/openclaw-agent.sqlite"));
    assert.ok(snapshot && names.some((name) => name.endsWith("state/openclaw.sqlite")));
    const verified = await prepareBackupArchive(outputPath);
    assert.equal(verified.result.entryCount, names.length);

    const target = `${home}/restored`;
    const restored = await restoreBackupArchive(outputPath, target, { stateDir, agentRoots: [] });
    assert.equal(restored.targetPath, target);
    const copy = new DatabaseSync(`${target}/${snapshot}`, { readOnly: true });
    try {
      // The row lived only in the WAL when the backup ran: the online backup carried it over.
      assert.ok(copy.prepare("SELECT 1 FROM backup_probe WHERE note = 'only in the WAL'").get());
      assert.equal((copy.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode, "delete");
    } finally {
      copy.close();
    }

    await assert.rejects(createBackupArchive(inputs), {
      message: `Refusing to overwrite existing backup archive: ${outputPath}`,
    });
    await assert.rejects(createBackupArchive({ ...inputs, outputPath: `${stateDir}/x.tar.gz` }), {
      message: `Backup output must not be written inside a source path: ${stateDir}/x.tar.gz is inside ${stateDir}`,
    });
    await assert.rejects(restoreBackupArchive(outputPath, target, { stateDir, agentRoots: [] }), {
      message: `Backup restore target directory must be empty: ${target}`,
    });
    await assert.rejects(restoreBackupArchive(outputPath, `${stateDir}/r`, { stateDir, agentRoots: [] }), {
      message: `Backup restore target must be outside the live OpenClaw state directory: ${stateDir}/r`,
    });
  } finally {
    db.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("create --only-config: the config file alone; nothing found is the reference's refusal", async () => {
  const { home, stateDir, db } = await liveHome();
  db.close();
  try {
    const nowMs = Date.now();
    const base = {
      archiveRoot: backupArchiveRoot(nowMs),
      nowMs,
      dryRun: false,
      includeWorkspace: false,
      onlyConfig: true,
      runtime: RUNTIME,
    };
    const outputPath = `${home}/only.tar.gz`;
    const result = await createBackupArchive({
      ...base,
      plan: planFor(home, stateDir, nowMs, { onlyConfig: true }),
      outputPath,
    });
    assert.equal(result.agentRoots, undefined);
    assert.deepEqual(result.assets.map((a) => [a.kind, a.displayPath]), [["config", "~/.openclaw/openclaw.json"]]);
    assert.equal((await entries(outputPath)).length, 2);
    await Deno.remove(`${stateDir}/openclaw.json`);
    await assert.rejects(
      createBackupArchive({
        ...base,
        plan: planFor(home, stateDir, nowMs, { onlyConfig: true }),
        outputPath: `${home}/b.tar.gz`,
      }),
      { message: "No OpenClaw config file was found to back up." },
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
