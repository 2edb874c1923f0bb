// `openclaw sessions cleanup`, run as the binary runs, on a state dir seeded as the reference's recording
// was (tests/fixtures/sessions/reference_sessions_cleanup.json, same session ids): the dry run prints the
// recorded JSON and table and changes nothing; the real run prints the recorded summary, archives in place
// and removes the stale synthetic sessions with their transcripts kept as a delete keeps them.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { agentDbPath } from "../../src/state/agent_db.ts";
import {
  loadCleanupRecording,
  normalizeSummary,
  normalizeText,
  seedRecording,
} from "../support/sessions_cleanup_replay.ts";
import { runPeer } from "../support/peer.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

function dump(stateDir: string): unknown {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    return {
      nodes: db.prepare("SELECT session_key, entry_json, archived_at FROM session_nodes ORDER BY 1").all(),
      windows: db.prepare("SELECT session_id, session_key FROM session_windows ORDER BY 1").all(),
      events: db.prepare("SELECT count(*) AS n FROM transcript_events").get(),
    };
  } finally {
    db.close();
  }
}

Deno.test("openclaw sessions cleanup replays the reference's recording: dry run (JSON, text), then the real run", async () => {
  const recording = await loadCleanupRecording();
  const home = await tempHome({
    gateway: { mode: "local", port: 19599, auth: { mode: "token", token: "cleanup-token-0123456789" } },
  });
  try {
    seedRecording(home.stateDir, recording, Date.now());
    const cli = (...args: string[]) => runOpenclaw(["sessions", "cleanup", ...args], { home: home.home });
    const before = dump(home.stateDir);

    // Refusals in the reference's words (checked against OpenClaw 2026.9.6 on an empty state dir).
    const unknown = await cli("--agent", "nope", "--dry-run", "--json");
    assert.equal(unknown.code, 1);
    const words = 'Unknown agent id "nope". Run openclaw agents list to see configured agents.';
    assert.deepEqual(JSON.parse(unknown.stdout), { ok: false, error: { type: "cli_error", message: words } });
    assert.equal(unknown.stderr, words);
    const both = await cli("--store", "x.sqlite", "--all-agents", "--dry-run");
    assert.deepEqual([both.code, both.stderr], [1, "--store cannot be combined with --all-agents"]);

    const dryJson = await cli("--dry-run", "--json");
    assert.equal(dryJson.code, recording.dryRunJson.code, dryJson.stderr);
    assert.deepEqual(
      normalizeSummary(JSON.parse(dryJson.stdout), home.stateDir),
      normalizeSummary(recording.dryRunJson.stdout, "<root>/state"),
    );
    const dryText = await cli("--dry-run");
    assert.equal(dryText.code, 0, dryText.stderr);
    assert.equal(
      normalizeText(`${dryText.stdout}\n`, home.stateDir),
      normalizeText(recording.dryRunText.stdout, "<root>/state"),
    );
    assert.deepEqual(dump(home.stateDir), before, "a dry run changes nothing");
    await assert.rejects(Deno.stat(`${home.stateDir}/agents/main/sessions`), Deno.errors.NotFound);

    const applied = await cli("--json");
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(
      normalizeSummary(JSON.parse(applied.stdout), home.stateDir),
      normalizeSummary(recording.appliedJson.stdout, "<root>/state"),
    );
    const db = new DatabaseSync(agentDbPath(home.stateDir, "main"), { readOnly: true });
    try {
      const keys = (db.prepare("SELECT session_key AS k FROM session_nodes ORDER BY 1").all() as { k: string }[])
        .map((r) => r.k);
      assert.deepEqual(keys, recording.after.sessionNodes.map((n) => n.key));
      const archived = db.prepare(
        "SELECT session_key AS key, reason, archive_name AS name FROM session_transcript_archives ORDER BY created_at, rowid",
      ).all() as { key: string; reason: string; name: string }[];
      assert.deepEqual(
        archived.map((a) => [a.key, a.reason]),
        recording.after.archives.map((a) => [a.key, a.reason]),
      );
      const files = (await Array.fromAsync(Deno.readDir(`${home.stateDir}/agents/main/sessions`))).map((f) => f.name);
      assert.deepEqual(files.sort(), archived.map((a) => a.name).sort());
    } finally {
      db.close();
    }

    // The reference reads the cleaned store as consistent: nothing left for its own cleanup to do, and its
    // `memory forget` resolves a removed session from our archives.
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const reference = await runPeer(["sessions", "cleanup", "--dry-run", "--json"], where);
    assert.equal(reference.code, 0, reference.stderr);
    const referenceView = JSON.parse(reference.stdout);
    assert.deepEqual(
      [referenceView.beforeCount, referenceView.afterCount, referenceView.wouldMutate],
      [7, 7, false],
    );
    assert.equal(referenceView.unreferencedArtifacts.scannedFiles, 4);
    const forget = await runPeer(
      ["memory", "forget", "--agent", "main", "--session", "agent:main:hook:gmail:h1", "--dry-run", "--json"],
      where,
    );
    assert.equal(forget.code, 0, forget.stderr);
    const hook = recording.after.archives.find((a) => a.key === "agent:main:hook:gmail:h1")!;
    assert.deepEqual(
      JSON.parse(forget.stdout).sessionResolutions.map((
        r: { sessionId: string; sessionKey: string; source: string },
      ) => [r.sessionId, r.sessionKey, r.source]),
      [[hook.id, hook.key, "archived"]],
    );

    const text = await cli();
    assert.equal(text.code, 0, text.stderr);
    assert.equal(
      text.stdout,
      `Session store: ${agentDbPath(home.stateDir, "main")}\nApplied maintenance. Current entries: 7`,
    );
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw sessions cleanup delegates a real run to the gateway that owns the state dir (sessions.cleanup)", async () => {
  const recording = await loadCleanupRecording();
  const gatewayPort = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port: gatewayPort, auth: { mode: "token", token: "cleanup-token-0123456789" } },
  });
  seedRecording(home.stateDir, recording, Date.now());
  const { proc } = await startGateway({ home: home.home, port: gatewayPort });
  try {
    const cli = (...args: string[]) => runOpenclaw(["sessions", "cleanup", ...args], { home: home.home });
    const applied = await cli("--json");
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(
      normalizeSummary(JSON.parse(applied.stdout), home.stateDir),
      normalizeSummary(recording.appliedJson.stdout, "<root>/state"),
    );
    // The gateway did it: its log says so.
    await proc.waitForLine(/sessions\.cleanup applied .*openclaw-agent\.sqlite: 11 -> 7/);
    // A real run on the gateway's store by path would go around the gateway: refused, nothing changed.
    const byPath = await cli("--store", agentDbPath(home.stateDir, "main"));
    assert.equal(byPath.code, 1);
    assert.match(byPath.stderr, /^Cannot clean up .* while the Gateway owns its state directory\. Run without --store/);
    const listed = await runOpenclaw(["sessions", "--json"], { home: home.home });
    const keys = (JSON.parse(listed.stdout).sessions as { key: string }[]).map((s) => s.key).sort();
    assert.deepEqual(keys, recording.after.sessionNodes.map((n) => n.key));
    const files = (await Array.fromAsync(Deno.readDir(`${home.stateDir}/agents/main/sessions`))).map((f) => f.name);
    assert.equal(files.length, 4, "the gateway published the four archives");
    const again = await cli();
    assert.equal(again.code, 0, again.stderr);
    assert.equal(
      again.stdout,
      `Session store: ${agentDbPath(home.stateDir, "main")}\nApplied maintenance. Current entries: 7`,
    );
  } finally {
    proc.kill("SIGTERM");
    await proc.exited();
    await home.cleanup();
  }
});
