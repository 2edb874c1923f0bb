import assert from "node:assert/strict";
import type { Logger } from "../../src/log/logger.ts";
import { PairingStore } from "../../src/state/pairing_store.ts";

/** A logger that keeps what it is told, to check what the import reports. */
function recordingLog(lines: string[]): Logger {
  return new Proxy({}, {
    get: (_target, level) => (message: string) => void lines.push(`${String(level)}: ${message}`),
  }) as Logger;
}

Deno.test("pairing import: an unparsable allowFrom file is reported and left in place, the other files are imported", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-import-" });
  const lines: string[] = [];
  const credentials = `${dir}/credentials`;
  await Deno.mkdir(credentials);
  const now = new Date().toISOString();
  await Deno.writeTextFile(
    `${credentials}/telegram-pairing.json`,
    JSON.stringify({ version: 1, requests: [{ id: "123", code: "ABCDEFGH", createdAt: now, lastSeenAt: now }] }),
  );
  await Deno.writeTextFile(`${credentials}/telegram-default-allowFrom.json`, "{ not json");
  await Deno.writeTextFile(`${credentials}/telegram-work-allowFrom.json`, JSON.stringify({ allowFrom: ["7"] }));
  const store = new PairingStore(dir, undefined, { log: recordingLog(lines) });
  try {
    assert.deepEqual((await store.list("telegram")).map((r) => r.id), ["123"]);
    assert.deepEqual(await store.allowed("telegram", "work"), ["7"]);
    const names = (await Array.fromAsync(Deno.readDir(credentials))).map((e) => e.name).sort();
    assert.deepEqual(names, [
      "telegram-default-allowFrom.json",
      "telegram-pairing.json.migrated",
      "telegram-work-allowFrom.json.migrated",
    ]);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^warn: DM pairing import: .*telegram-default-allowFrom\.json: it is not valid JSON/);
  } finally {
    await store.close();
  }
  // The next start reports the bad file again and keeps every imported row.
  const restarted = new PairingStore(dir, undefined, { log: recordingLog(lines) });
  try {
    assert.deepEqual((await restarted.list("telegram")).map((r) => r.id), ["123"]);
    assert.equal(lines.length, 2);
  } finally {
    await restarted.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pairing import: a failed insert renames nothing, so the next call imports the files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-import-" });
  const credentials = `${dir}/credentials`;
  await Deno.mkdir(credentials);
  const now = new Date().toISOString();
  await Deno.writeTextFile(
    `${credentials}/irc-pairing.json`,
    JSON.stringify({ requests: [{ id: "a", code: "ABCDEFGH", createdAt: now }] }),
  );
  const { openStateDb } = await import("../../src/state/state_db.ts");
  const db = openStateDb(dir);
  // A trigger makes the insert fail inside the import's transaction.
  db.exec(
    "CREATE TEMP TRIGGER fail_import BEFORE INSERT ON channel_pairing_requests BEGIN SELECT RAISE(ABORT, 'disk full'); END",
  );
  const store = new PairingStore(dir, () => Promise.resolve(db), { log: recordingLog([]) });
  try {
    await assert.rejects(store.list("irc"), /disk full/);
    await Deno.stat(`${credentials}/irc-pairing.json`);
    db.exec("DROP TRIGGER fail_import");
    assert.deepEqual((await store.list("irc")).map((r) => r.id), ["a"]);
    await Deno.stat(`${credentials}/irc-pairing.json.migrated`);
  } finally {
    await store.close();
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pairing store: a failed open is tried again on the next call; a closed store stays closed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-pairing-open-" });
  await Deno.writeTextFile(`${dir}/state`, "in the way"); // state/ cannot be created
  const store = new PairingStore(dir, undefined, { log: recordingLog([]) });
  try {
    await assert.rejects(store.list("telegram"));
    await Deno.remove(`${dir}/state`);
    assert.deepEqual(await store.list("telegram"), []);
    await store.close();
    await assert.rejects(store.list("telegram"), /it is closed/);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
