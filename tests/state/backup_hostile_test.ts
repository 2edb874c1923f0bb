// Archives built by hand to be hostile: `backup verify` refuses them with the reference's words
// (traversal, a second manifest, an asset without payload, an entry beneath a link, a link out of
// the assets, a sidecar beside the state snapshot, a manifest of another schema), and a restore
// of a refused archive writes nothing.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Header } from "tar";
import { manifestBlocks, writeGzipFile } from "../../src/state/backup_tar_stream.ts";
import { restoreBackupArchive } from "../../src/state/backup_restore.ts";
import { prepareBackupArchive } from "../../src/state/backup_verify.ts";

const ROOT = "2026-03-09T08-00-00.000+08-00-openclaw-backup";
const STATE = "/home/u/.openclaw";
const STATE_ARCHIVE = `${ROOT}/payload/posix/home/u/.openclaw`;

interface Item {
  path: string;
  type?: "File" | "Directory" | "SymbolicLink";
  body?: string;
  linkpath?: string;
}

function manifest(extra: Record<string, unknown> = {}) {
  return {
    schemaVersion: 1,
    createdAt: "2026-03-09T00:00:00.000Z",
    archiveRoot: ROOT,
    runtimeVersion: "2026.9.6",
    platform: "linux",
    nodeVersion: "v24",
    paths: { stateDir: STATE },
    assets: [{ kind: "state", sourcePath: STATE, archivePath: STATE_ARCHIVE }],
    skipped: [],
    externalSymbolicLinks: [],
    ...extra,
  };
}

async function* blocks(items: Item[], manifestValue: unknown): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  for (const item of items) {
    const body = new TextEncoder().encode(item.body ?? "");
    const block = Buffer.alloc(512);
    new Header({
      path: item.path,
      type: item.type ?? "File",
      mode: 0o600,
      size: item.type && item.type !== "File" ? 0 : body.length,
      linkpath: item.linkpath,
    }).encode(block);
    yield new Uint8Array(block);
    if ((item.type ?? "File") === "File" && body.length) {
      yield body;
      yield new Uint8Array((512 - (body.length % 512)) % 512);
    }
  }
  yield* manifestBlocks(`${ROOT}/manifest.json`, new TextEncoder().encode(JSON.stringify(manifestValue)));
}

async function archive(dir: string, items: Item[], manifestValue: unknown = manifest()): Promise<string> {
  const path = `${dir}/${crypto.randomUUID()}.tar.gz`;
  await writeGzipFile(path, blocks(items, manifestValue));
  return path;
}

const ok: Item[] = [{ path: `${STATE_ARCHIVE}/`, type: "Directory" }, { path: `${STATE_ARCHIVE}/a.txt`, body: "a" }];

Deno.test("verify refuses hostile archives with the reference's words; a refused restore writes nothing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-backup-hostile-" });
  try {
    const good = await archive(dir, ok);
    assert.equal((await prepareBackupArchive(good)).result.entryCount, 3);
    const cases: [Item[], unknown, string][] = [
      [
        [...ok, { path: `${ROOT}/payload/../../evil`, body: "x" }],
        manifest(),
        "Archive entry contains path traversal segments: 2026-03-09T08-00-00.000+08-00-openclaw-backup/payload/../../evil",
      ],
      [
        [...ok, { path: `other/manifest.json`, body: "{}" }],
        manifest(),
        "Expected exactly one backup manifest entry, found 2.",
      ],
      [
        [ok[0]!],
        manifest({
          assets: [...manifest().assets, {
            kind: "workspace",
            sourcePath: "/w",
            archivePath: `${ROOT}/payload/posix/w`,
          }],
        }),
        `Archive is missing payload for manifest asset: ${ROOT}/payload/posix/w`,
      ],
      [
        [...ok, { path: `${STATE_ARCHIVE}/link`, type: "SymbolicLink", linkpath: "sub" }, {
          path: `${STATE_ARCHIVE}/link/x`,
          body: "x",
        }],
        manifest(),
        `Archive entry is beneath a symbolic link: ${STATE_ARCHIVE}/link/x`,
      ],
      [
        [...ok, { path: `${ROOT}/payload/posix/elsewhere`, type: "SymbolicLink", linkpath: "/etc/passwd" }],
        manifest(),
        `Archive symbolic link is outside the declared backup assets: ${ROOT}/payload/posix/elsewhere -> /etc/passwd`,
      ],
      [
        [...ok, { path: `${STATE_ARCHIVE}/out`, type: "SymbolicLink", linkpath: "/etc/passwd" }],
        manifest(),
        "Backup manifest external symbolic links do not match archive entries.",
      ],
      [
        [...ok, { path: `${STATE_ARCHIVE}/state/openclaw.sqlite-wal`, body: "w" }, {
          path: `${STATE_ARCHIVE}/state/openclaw.sqlite`,
          body: "not sqlite",
        }],
        manifest(),
        `Backup contains a SQLite snapshot sidecar: ${STATE_ARCHIVE}/state/openclaw.sqlite-wal`,
      ],
      [
        [...ok, { path: `${STATE_ARCHIVE}/state/openclaw.sqlite`, body: "not sqlite" }],
        manifest(),
        `Backup SQLite snapshot failed verification: ${STATE_ARCHIVE}/state/openclaw.sqlite. SQLite snapshot ${STATE_ARCHIVE}/state/openclaw.sqlite has an invalid database header.`,
      ],
      [ok, manifest({ schemaVersion: 2 }), "Unsupported backup manifest schemaVersion: 2"],
    ];
    for (const [items, value, words] of cases) {
      const path = await archive(dir, items, value);
      await assert.rejects(prepareBackupArchive(path), {
        message: `Backup archive verification failed: ${path}. ${words}`,
      });
      const target = `${dir}/restore-${crypto.randomUUID()}`;
      await assert.rejects(restoreBackupArchive(path, target, { stateDir: `${dir}/live`, agentRoots: [] }));
      await assert.rejects(Deno.lstat(target), Deno.errors.NotFound);
    }
    const garbage = `${dir}/garbage.tar.gz`;
    await Deno.writeTextFile(garbage, "garbage\n");
    await assert.rejects(prepareBackupArchive(garbage), {
      message:
        `Backup archive verification failed: ${garbage}. Archive is not a valid OpenClaw backup. Unrecognized archive format. Choose another archive or create a new one with \`openclaw backup create\`.`,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
