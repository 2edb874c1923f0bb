// A session deleted through our gateway keeps its transcript where and as the reference OpenClaw 2026.9.6
// keeps it: the reference CLI deletes through our gateway and is answered with the archive paths, the
// files are there (0600, zstd JSONL of every generation), and the reference's own `memory forget`
// preview, run on the same state dir, resolves the deleted session from our archives as `archived`. An
// archive whose file could not be written stays in its row, and the reference's gateway publishes it.
import assert from "node:assert/strict";
import { zstdDecompressSync } from "node:zlib";
import { DatabaseSync } from "node:sqlite";
import { runPeer, spawnPeer } from "../support/peer.ts";
import { freePort, OpenclawProcess, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db_path.ts";

const TOKEN = "sekrit-token-123";
const KEY = "agent:main:scratch-1";

Deno.test("a session deleted through our gateway leaves the reference's archives, which its memory forget finds", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const store = new SessionStore(home.stateDir);
  const now = Date.now();
  await store.ensure("agent:main:main", "main");
  const first = await store.ensure(KEY, "main");
  await store.append(KEY, "main", [
    { role: "user", content: [{ type: "text", text: "hi" }], timestamp: now, runId: "r1" },
  ] as never);
  const second = await store.reset(KEY, "main");
  await store.append(KEY, "main", [
    { role: "user", content: [{ type: "text", text: "second gen" }], timestamp: now, runId: "r2" },
  ] as never);
  await store.close();

  const { proc, port } = await startGateway({ home: home.home, args: ["--token", TOKEN] });
  try {
    const flags = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN];
    const deleted = await runPeer(["sessions", "delete", KEY, "--yes", "--json", ...flags], home);
    assert.equal(deleted.code, 0, deleted.stderr);
    const [result] = JSON.parse(deleted.stdout).results;
    assert.deepEqual([result.key, result.ok, result.status], [KEY, true, "deleted"]);
    // The current transcript first, as the reference answers (tests/fixtures/sessions/reference_delete_archive.json).
    const dir = `${home.stateDir}/agents/main/sessions`;
    const name = /^([0-9a-f-]{36})\.jsonl\.deleted\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.[0-9a-f]{32}\.zst$/;
    assert.deepEqual(
      (result.archived as string[]).map((p) => p.startsWith(`${dir}/`) && name.exec(p.slice(dir.length + 1))?.[1]),
      [second.sessionId, first.sessionId],
    );
    const texts = await Promise.all((result.archived as string[]).map(async (path) => {
      assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
      return new TextDecoder().decode(zstdDecompressSync(await Deno.readFile(path)));
    }));
    assert.match(texts[0]!, /^\{"type":"session","version":4,.*\n\{"type":"message".*"second gen".*\n$/s);
    assert.match(texts[1]!, /"text":"hi"/);
  } finally {
    await proc.stop();
  }
  try {
    const forget = await runPeer(
      ["memory", "forget", "--agent", "main", "--session", KEY, "--dry-run", "--json"],
      home,
    );
    assert.equal(forget.code, 0, forget.stderr);
    const report = JSON.parse(forget.stdout);
    assert.deepEqual(
      report.sessionResolutions.map((r: { sessionId: string; sessionKey: string; source: string }) => [
        r.sessionId,
        r.sessionKey,
        r.source,
      ]).sort(),
      [[first.sessionId, KEY, "archived"], [second.sessionId, KEY, "archived"]].sort(),
    );
  } finally {
    await home.cleanup();
  }
});

Deno.test("an archive our delete could not write is published by the reference's gateway, byte for byte", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { mode: "token", token: TOKEN } },
    discovery: { mdns: { mode: "off" } },
    update: { checkOnStart: false },
  });
  const store = new SessionStore(home.stateDir);
  const sessionsDir = `${home.stateDir}/agents/main/sessions`;
  try {
    await store.ensure("agent:main:main", "main");
    await store.ensure(KEY, "main");
    await store.append(KEY, "main", [
      { role: "user", content: [{ type: "text", text: "kept" }], timestamp: Date.now(), runId: "r1" },
    ] as never);
    await store.ensure("agent:main:other", "main");
    // The archive directory cannot be made: the delete commits, the file stays pending in its row.
    await Deno.writeTextFile(sessionsDir, "in the way");
    await assert.rejects(store.delete(KEY, "main", { deleteTranscript: true }), /remain pending in SQLite/);
  } finally {
    await store.close();
  }
  await Deno.remove(sessionsDir);
  const db = new DatabaseSync(agentDbPath(home.stateDir, "main"), { readOnly: true });
  const row = db.prepare("SELECT archive_name AS name, archive_blob AS blob FROM session_transcript_archives")
    .get() as {
      name: string;
      blob: Uint8Array;
    };
  db.close();

  const port = freePort();
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const peer = new OpenclawProcess(
    spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    }),
  );
  try {
    await peer.waitForLine(/\[gateway\] ready/, 120_000);
    // Its own next delete on the agent publishes what is pending, ours included.
    const deleted = await runPeer([
      "gateway",
      "call",
      "sessions.delete",
      "--params",
      JSON.stringify({ key: "agent:main:other" }),
      "--json",
      "--url",
      `ws://127.0.0.1:${port}`,
      "--token",
      TOKEN,
    ], where);
    assert.equal(deleted.code, 0, `${deleted.stdout}\n${deleted.stderr}`);
    assert.deepEqual(await Deno.readFile(`${sessionsDir}/${row.name}`), new Uint8Array(row.blob));
    assert.match(new TextDecoder().decode(zstdDecompressSync(row.blob)), /"text":"kept"/);
  } finally {
    await peer.stop();
    await home.cleanup();
  }
});
