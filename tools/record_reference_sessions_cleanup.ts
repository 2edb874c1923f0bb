// Re-records tests/fixtures/sessions/reference_sessions_cleanup.json: the reference OpenClaw 2026.9.6's
// `openclaw sessions cleanup` (no gateway running, so it maintains the store itself) on an agent database
// our SessionStore seeded with one session of each kind its rules tell apart, by age. Recorded:
// `--dry-run --json`, `--dry-run` (text), then `--json` (the real run), and what the database and the
// sessions directory hold after it.
//
//   deno run -A tools/record_reference_sessions_cleanup.ts
import { zstdDecompressSync } from "node:zlib";
import { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../src/state/agent_db.ts";
import { type PeerHome, runPeer } from "../tests/support/peer.ts";

const DAY = 86_400_000;

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** One session per rule, with the age (days since its last update) the rule looks at. */
const SEEDS: [key: string, ageDays: number][] = [
  ["agent:main:main", 40],
  ["agent:main:scratch-old", 40],
  ["agent:main:scratch-new", 2],
  ["agent:main:dashboard:d-old", 10],
  ["agent:main:dashboard:d-new", 2],
  ["agent:main:cron:job1", 40],
  ["agent:main:cron:job1:run:r1", 40],
  ["agent:main:hook:gmail:h1", 40],
  ["agent:main:subagent:s1", 40],
  ["agent:main:telegram:direct:42", 40],
  ["agent:main:explicit:model-run-0b9e6f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b", 3],
];

function seed(stateDir: string, now: number): Record<string, string> {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    return Object.fromEntries(SEEDS.map(([key, ageDays]) => {
      const at = now - ageDays * DAY;
      return [
        key,
        sessions.importSession({ key, sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at }, [
          { role: "user", content: [{ type: "text", text: `${key}: hello` }], timestamp: at } as never,
        ]).sessionId,
      ];
    }));
  } finally {
    db.close();
  }
}

function readState(stateDir: string, ids: Record<string, string>) {
  const keyOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const nodes = (db.prepare("SELECT session_key AS key, entry_json AS entry FROM session_nodes ORDER BY key")
      .all() as { key: string; entry: string }[]).map((n) => {
        const entry = JSON.parse(n.entry) as Record<string, unknown>;
        return { key: n.key, archivedAt: entry.archivedAt ?? null, archiveReason: entry.archiveReason ?? null };
      });
    const windows = (db.prepare("SELECT session_id AS id FROM session_windows ORDER BY session_key").all() as {
      id: string;
    }[]).map((w) => keyOf(w.id));
    const hasArchives = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = ?")
      .get("session_transcript_archives") as { n: number }).n > 0;
    const archives = hasArchives
      ? (db.prepare(
        "SELECT session_id AS id, session_key AS key, reason, archive_name AS name, archive_blob AS blob, " +
          "published_at AS publishedAt FROM session_transcript_archives ORDER BY created_at",
      ).all() as { id: string; key: string; reason: string; name: string; blob: Uint8Array; publishedAt: number }[])
        .map(({ blob, ...a }) => ({
          ...a,
          seededFor: keyOf(a.id),
          published: a.publishedAt !== null,
          jsonl: new TextDecoder().decode(zstdDecompressSync(blob)),
        }))
      : [];
    return { sessionNodes: nodes, windowsOf: windows, archives };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "oc-ref-cleanup-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify({
      gateway: { mode: "local", port: 19599, auth: { mode: "token", token: "cleanup-token-0123456789" } },
      models: { catalogRefresh: { enabled: false } },
      update: { checkOnStart: false },
    }),
  );
  const now = Date.now();
  const ids = seed(where.stateDir, now);
  try {
    const run = async (args: string[]) => {
      const out = await runPeer(["sessions", "cleanup", ...args], where, { COLUMNS: "160" });
      say(`sessions cleanup ${args.join(" ")}: exit ${out.code}`);
      return out;
    };
    const dryJson = await run(["--dry-run", "--json"]);
    const dryText = await run(["--dry-run"]);
    const applied = await run(["--json"]);
    const after = readState(where.stateDir, ids);
    const dir = `${where.stateDir}/agents/main/sessions`;
    const files = (await Array.fromAsync(Deno.readDir(dir)).catch(() => [])).map((f) => f.name).sort();
    const redact = (text: string) => text.replaceAll(root, "<root>");
    const fixture = {
      recorded: "OpenClaw 2026.9.6 CLI, no gateway running, by tools/record_reference_sessions_cleanup.ts; " +
        "session ages in days in `seeds`; paths under the temp root shown as <root>.",
      seeds: SEEDS,
      dryRunJson: { code: dryJson.code, stdout: JSON.parse(redact(dryJson.stdout)), stderr: redact(dryJson.stderr) },
      dryRunText: { code: dryText.code, stdout: redact(dryText.stdout), stderr: redact(dryText.stderr) },
      appliedJson: {
        code: applied.code,
        stdout: applied.code === 0 ? JSON.parse(redact(applied.stdout)) : redact(applied.stdout),
        stderr: redact(applied.stderr),
      },
      after,
      sessionsDirFiles: files,
    };
    const out = new URL("../tests/fixtures/sessions/reference_sessions_cleanup.json", import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
