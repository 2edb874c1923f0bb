// `backup create` flushes before it reports: the archive's bytes are synced before the hard link
// publishes it and the output directory after, as the reference does (fsync of the temp archive,
// then of the parent), so a crash right after "Created" never leaves a short archive in place.
import assert from "node:assert/strict";
import { backupArchiveRoot } from "../../src/state/backup_archive_path.ts";
import { createBackupArchive } from "../../src/state/backup_create.ts";
import { planBackup } from "../../src/state/backup_plan.ts";

Deno.test("create: the archive is synced before publication and the output directory after it", async () => {
  const home = await Deno.makeTempDir({ prefix: "oc-backup-sync-" });
  const stateDir = `${home}/.openclaw`;
  await Deno.mkdir(stateDir);
  await Deno.writeTextFile(`${stateDir}/openclaw.json`, "{}\n");
  const nowMs = Date.now();
  const archiveRoot = backupArchiveRoot(nowMs);
  const outputPath = `${home}/out/archive.tar.gz`;
  const synced: { path: string; linked: boolean }[] = [];
  const original = Deno.FsFile.prototype.sync;
  Deno.FsFile.prototype.sync = async function (this: Deno.FsFile) {
    const info = await this.stat();
    const linked = await Deno.lstat(outputPath).then(() => true, () => false);
    synced.push({ path: info.isDirectory ? "dir" : info.nlink === 1 ? "archive" : "linked file", linked });
    return await original.call(this);
  };
  try {
    const plan = planBackup({
      home,
      stateDir,
      configPath: `${stateDir}/openclaw.json`,
      oauthDir: `${stateDir}/credentials`,
      workspaceDirs: [],
      agentRoots: [],
      includeWorkspace: false,
      onlyConfig: false,
      archiveRoot,
    });
    await createBackupArchive({
      plan,
      archiveRoot,
      nowMs,
      outputPath,
      dryRun: false,
      includeWorkspace: false,
      onlyConfig: false,
      runtime: { version: "test", platform: "linux", nodeVersion: "v0" },
    });
    assert.deepEqual(synced, [{ path: "archive", linked: false }, { path: "dir", linked: true }]);
  } finally {
    Deno.FsFile.prototype.sync = original;
    await Deno.remove(home, { recursive: true });
  }
});
