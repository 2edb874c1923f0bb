// A backup snapshot taken under the shipped binary's permissions (no `--allow-all`, so Deno refuses
// the ATTACH that VACUUM needs) still leaves no row deleted from the live database in the copy,
// and keeps every live row, FTS shadow table and header value; run in a child with those permissions.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { openAgentDb } from "../../src/state/agent_db.ts";

const REPO = new URL("../../", import.meta.url);
const SECRET = `DELETED-SECRET-${"z".repeat(64)}`;

function rows(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    return JSON.stringify([
      db.prepare("PRAGMA user_version").get(),
      db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all(),
      ...tables.map(({ name }) => db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all()),
    ]);
  } finally {
    db.close();
  }
}

Deno.test("sqlite snapshot without every permission: deleted rows do not reach the copy, live rows do", async () => {
  const root = await Deno.makeTempDir({ prefix: "oc-sqlite-rebuild-" });
  const source = `${root}/state/agents/main/agent/openclaw-agent.sqlite`;
  const target = `${root}/snapshot.sqlite`;
  try {
    openAgentDb(`${root}/state`, "main").close();
    const live = new DatabaseSync(source);
    live.exec("PRAGMA secure_delete = OFF; CREATE TABLE probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL);");
    live.prepare("INSERT INTO probe (note) VALUES (?), (?)").run("kept row", SECRET);
    live.prepare("DELETE FROM probe WHERE note = ?").run(SECRET);
    live.close();
    assert.ok(
      new TextDecoder().decode(await Deno.readFile(source)).includes(SECRET),
      "the live file holds the deleted row",
    );
    const script = `${root}/snapshot.ts`;
    await Deno.writeTextFile(
      script,
      `import { snapshotDatabase } from "${new URL("src/state/backup_sqlite_snapshot.ts", REPO)}";\n` +
        `await snapshotDatabase(Deno.args[0], Deno.args[1], { role: "agent", agentId: "main" });\n`,
    );
    const child = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--config",
        new URL("deno.json", REPO).pathname,
        script,
        source,
        target,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(child.code, 0, new TextDecoder().decode(child.stderr));
    assert.ok(
      !new TextDecoder().decode(await Deno.readFile(target)).includes(SECRET),
      "a deleted row reached the snapshot",
    );
    assert.equal(rows(target), rows(source));
    assert.equal((await Deno.stat(target)).mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
