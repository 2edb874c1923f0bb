// `cron.sessionRetention` with the real program: an isolated job run twice with a tiny retention keeps
// only its session and the transcript of its latest run; an expired exact-run row the reference left is
// pruned, one the reference is still running and other sessions' old transcripts are kept. Every pruned
// transcript is archived as the reference's reaper archives it (tests/fixtures/sessions/
// reference_cron_reaper.json): a `deleted` archive row and its 0600 `.jsonl.deleted.<time>.<gen>.zst` file.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { zstdDecompressSync } from "node:zlib";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "cron-retention-token-0123456789";
const OLD = Date.now() - 48 * 3_600_000;

/** Rows the reference could have left in the shared agent database, before our gateway starts. */
function seed(stateDir: string): { mainOld: string; goneRun: string } {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    const mainOld = sessions.start("agent:main:main", { at: OLD }).sessionId;
    sessions.start("agent:main:main", { at: OLD + 1 });
    // An expired run row with its transcript, as the reference leaves one when its process stops mid-way.
    const goneRun = sessions.importSession(
      { key: "agent:main:cron:gone:run:r1", sessionId: crypto.randomUUID(), createdAt: OLD, updatedAt: OLD },
      [{ role: "assistant", content: [{ type: "text", text: "Gone run digest." }], timestamp: OLD } as never],
    ).sessionId;
    const sessionId = crypto.randomUUID();
    const entry = { sessionId, updatedAt: OLD, cronRunContinuation: { phase: "running", lifecycleRevision: "x" } };
    db.prepare(
      "INSERT INTO session_nodes (session_key, current_session_id, entry_json, updated_at) VALUES (?, ?, ?, ?)",
    ).run("agent:main:cron:busy:run:r2", sessionId, JSON.stringify(entry), OLD);
    return { mainOld, goneRun };
  } finally {
    db.close();
  }
}

Deno.test("cron.sessionRetention: a job run twice keeps only its latest run's transcript", async () => {
  const upstream = startFakeUpstream();
  upstream.script("digest", [{ text: "First digest." }, { text: "Second digest." }]);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["digest"] } } },
    agents: { defaults: { model: { primary: "fake/digest" } } },
    cron: { sessionRetention: "1ms" },
  });
  const { mainOld, goneRun } = seed(home.stateDir);
  const { proc } = await startGateway({ home: home.home, port });
  const call = async (method: string, params: unknown) => {
    const out = await runOpenclaw(
      [
        "gateway",
        "call",
        method,
        "--port",
        String(port),
        "--token",
        TOKEN,
        "--json",
        "--params",
        JSON.stringify(params),
      ],
      { home: home.home },
    );
    assert.equal(out.code, 0, `${method}: ${out.stdout}${out.stderr}`);
    return JSON.parse(out.stdout.slice(out.stdout.indexOf("{")));
  };
  try {
    const job = await call("cron.add", {
      name: "digest",
      schedule: { kind: "every", everyMs: 3_600_000 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "Write the digest." },
      delivery: { mode: "none" },
    });
    const runs = async () => (await call("cron.runs", { id: job.id })).entries as Record<string, unknown>[];
    // The sweep after the first run finds the reference's expired run row.
    await call("cron.run", { id: job.id, mode: "force" });
    await until(async () => (await runs()).length === 1, "the first run");
    await proc.waitForLine(/cron-reaper: pruned 1 expired cron run session\(s\)/);
    // The one after the second finds the first run's transcript.
    await call("cron.run", { id: job.id, mode: "force" });
    await until(async () => (await runs()).length === 2, "the second run");
    await until(
      () => proc.output.split("\n").filter((l) => l.includes("cron-reaper: pruned 1 ")).length === 2,
      "2nd sweep",
    );
    const [latest, first] = await runs();
    assert.equal(latest!.status, "ok");
    assert.equal(latest!.summary, "Second digest.");

    const db = new DatabaseSync(agentDbPath(home.stateDir, "main"), { readOnly: true });
    try {
      const jobKey = `agent:main:cron:${job.id}`;
      const nodes = (db.prepare("SELECT session_key AS k FROM session_nodes ORDER BY k").all() as { k: string }[])
        .map((r) => r.k);
      assert.deepEqual(nodes, ["agent:main:cron:busy:run:r2", jobKey, "agent:main:main"].sort());
      const windows = db.prepare("SELECT session_id AS id FROM session_windows WHERE session_key = ?").all(jobKey) as {
        id: string;
      }[];
      assert.deepEqual(windows.map((w) => w.id), [latest!.sessionId], "only the latest run's transcript");
      const texts = (db.prepare("SELECT event_json AS j FROM transcript_events").all() as { j: string }[])
        .map((r) => r.j).join("\n");
      assert.equal(texts.includes("First digest."), false);
      assert.equal(texts.includes("Second digest."), true);
      const mainWindows = db.prepare("SELECT session_id AS id FROM session_windows WHERE session_key = ?")
        .all("agent:main:main") as { id: string }[];
      assert.equal(mainWindows.some((w) => w.id === mainOld), true, "other sessions' old transcripts stay");

      // What went is archived, as the reference's reaper keeps it: the run row's transcript, then the first run's.
      const archives = db.prepare(
        "SELECT session_id AS id, session_key AS key, reason, archive_name AS name, archive_blob AS blob, " +
          "published_at AS publishedAt FROM session_transcript_archives ORDER BY created_at",
      ).all() as { id: string; key: string; reason: string; name: string; blob: Uint8Array; publishedAt: number }[];
      assert.deepEqual(archives.map((a) => [a.id, a.key, a.reason]), [
        [goneRun, "agent:main:cron:gone:run:r1", "deleted"],
        [first!.sessionId, jobKey, "deleted"],
      ]);
      const archived: string[] = [];
      for (const archive of archives) {
        assert.match(archive.name, new RegExp(`^${archive.id}\\.jsonl\\.deleted\\.[0-9T.Z-]+\\.[0-9a-f]{32}\\.zst$`));
        assert.equal(typeof archive.publishedAt, "number");
        const file = `${home.stateDir}/agents/main/sessions/${archive.name}`;
        assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
        assert.deepEqual(await Deno.readFile(file), archive.blob);
        archived.push(new TextDecoder().decode(zstdDecompressSync(archive.blob)));
      }
      assert.match(archived[0]!, /"Gone run digest\."/);
      assert.match(archived[1]!, /"First digest\."/);
    } finally {
      db.close();
    }
  } finally {
    assert.equal(await proc.stop(), 0);
    await upstream.stop();
    await home.cleanup();
  }
});
