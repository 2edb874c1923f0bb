// Re-records tests/fixtures/sessions/reference_sessions_cleanup_warn.json: the reference OpenClaw 2026.9.6's
// `openclaw sessions cleanup` with `session.maintenance.mode: "warn"` (no gateway running) on the seeds of
// reference_sessions_cleanup.json (same session ids, written by our SessionStore): `--dry-run --json`, then
// a real run `--json --fix-dm-scope`, and the rows, archives and session files it leaves.
//
//   deno run -A tools/record_reference_sessions_cleanup_warn.ts
import { DatabaseSync } from "node:sqlite";
import { agentDbPath } from "../src/state/agent_db.ts";
import { type PeerHome, runPeer } from "../tests/support/peer.ts";
import { loadCleanupRecording, seedRecording } from "../tests/support/sessions_cleanup_replay.ts";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function main(): Promise<void> {
  const recording = await loadCleanupRecording();
  const root = await Deno.makeTempDir({ prefix: "oc-ref-cleanup-warn-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify({
      gateway: { mode: "local", port: 19598, auth: { mode: "token", token: "cleanup-token-0123456789" } },
      session: { maintenance: { mode: "warn" } },
      models: { catalogRefresh: { enabled: false } },
      update: { checkOnStart: false },
    }),
  );
  seedRecording(where.stateDir, recording, Date.now());
  try {
    const redact = (text: string) => text.replaceAll(root, "<root>");
    const run = async (args: string[]) => {
      const out = await runPeer(["sessions", "cleanup", ...args], where, { COLUMNS: "160" });
      say(`sessions cleanup ${args.join(" ")}: exit ${out.code}`);
      return { code: out.code, stdout: JSON.parse(redact(out.stdout)) };
    };
    const dryRunJson = await run(["--dry-run", "--json"]);
    const appliedJson = await run(["--json", "--fix-dm-scope"]);
    const db = new DatabaseSync(agentDbPath(where.stateDir, "main"), { readOnly: true });
    let after;
    try {
      after = {
        sessionNodes: (db.prepare(
          "SELECT session_key AS key, json_extract(entry_json, '$.archiveReason') AS archiveReason " +
            "FROM session_nodes ORDER BY key",
        ).all() as { key: string; archiveReason: string | null }[]).map((n) => ({ ...n })),
        archives: (db.prepare(
          "SELECT session_id AS id, session_key AS key, reason FROM session_transcript_archives ORDER BY created_at",
        ).all() as { id: string; key: string; reason: string }[]).map((a) => ({ ...a })),
      };
    } finally {
      db.close();
    }
    const dir = `${where.stateDir}/agents/main/sessions`;
    const files = (await Array.fromAsync(Deno.readDir(dir)).catch(() => [])).map((f) => f.name).sort();
    const fixture = {
      recorded: "OpenClaw 2026.9.6 CLI, no gateway running, session.maintenance.mode warn, by " +
        "tools/record_reference_sessions_cleanup_warn.ts; seeds and session ids of reference_sessions_cleanup.json; " +
        "paths under the temp root shown as <root>.",
      dryRunJson,
      appliedJson,
      after,
      sessionsDirFiles: files,
    };
    const out = new URL("../tests/fixtures/sessions/reference_sessions_cleanup_warn.json", import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
