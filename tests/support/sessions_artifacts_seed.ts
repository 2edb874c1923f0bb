// The scenes of tests/fixtures/sessions/reference_sessions_artifacts.json (recorded by
// tools/record_reference_sessions_artifacts.ts), seeded the same way for the recorder and for our replays:
// the sessions directory's files with their ages, and the agent database our SessionStore wrote.
import { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../../src/sessions/agent_sessions.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath, openAgentDb } from "../../src/state/agent_db.ts";

/** A day in milliseconds. */
export const DAY = 86_400_000;
/** The live main session's id. */
export const LIVE = "11111111-1111-4111-8111-111111111111";
/** The compaction checkpoint id in the artifacts scene. */
export const CHECKPOINT = "22222222-2222-4222-8222-222222222222";
/** An unreferenced prompt blob's hash. */
export const HASH_A = "a".repeat(64);
/** A prompt-blob temp file's hash. */
export const HASH_B = "b".repeat(64);

/** The artifacts scene: file name (under the sessions directory) and its age in days. */
export const ARTIFACT_FILES: [name: string, ageDays: number][] = [
  [`${LIVE}.jsonl`, 40],
  [`${LIVE}.trajectory.jsonl`, 40],
  [`${LIVE}.trajectory-path.json`, 40],
  [`${LIVE}.checkpoint.${CHECKPOINT}.jsonl`, 40],
  ["orphan-old.jsonl", 40],
  ["orphan-new.jsonl", 2],
  ["orphan-old.trajectory.jsonl", 40],
  ["orphan-old.trajectory-path.json", 40],
  ["sessions.json.33333333-3333-4333-8333-333333333333.tmp", 0.01],
  ["sessions.json.44444444-4444-4444-8444-444444444444.tmp", 0.0001],
  ["notes.txt", 40],
  ["gone.jsonl.deleted.2026-01-01T00-00-00.000Z", 40],
  ["old.jsonl.migrated", 40],
  [`skills-prompts/sha256/aa/${HASH_A}.txt`, 40],
  [`skills-prompts/sha256/bb/${HASH_B}.txt.55555555-5555-4555-8555-555555555555.tmp`, 40],
];

/** The budget scene's legacy archive files (100 000 bytes each) and their ages in days. */
export const BUDGET_FILES: [name: string, ageDays: number][] = [
  ["aaaaaaaa-0000-4000-8000-000000000001.jsonl.deleted.2026-01-01T00-00-00.000Z", 10],
  ["aaaaaaaa-0000-4000-8000-000000000002.jsonl.reset.2026-01-02T00-00-00.000Z", 9],
  ["aaaaaaaa-0000-4000-8000-000000000003.jsonl.bak.2026-01-03T00-00-00.000Z", 8],
  ["aaaaaaaa-0000-4000-8000-000000000004.jsonl.deleted.2026-01-04T00-00-00.000Z", 7],
];

/** Writes a file and sets its modification time `ageDays` back. */
export async function writeAged(
  path: string,
  content: string | Uint8Array,
  ageDays: number,
  now: number,
): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  const at = new Date(now - ageDays * DAY);
  await Deno.utime(path, at, at);
}

/** Imports one session per key (with its id), a day old, one message each. */
export function seedSessions(stateDir: string, keys: [string, string][], now: number): void {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    for (const [key, sessionId] of keys) {
      sessions.importSession({ key, sessionId, createdAt: now - DAY, updatedAt: now - DAY }, [
        { role: "user", content: [{ type: "text", text: `${key}: hello` }], timestamp: now - DAY } as never,
      ]);
    }
  } finally {
    db.close();
  }
}

/** Every file under `dir`, relative, sorted. */
export async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  const items = await Array.fromAsync(Deno.readDir(dir)).catch(() => [] as Deno.DirEntry[]);
  for (const item of items) {
    if (item.isDirectory) out.push(...await listFiles(`${dir}/${item.name}`, `${prefix}${item.name}/`));
    else out.push(`${prefix}${item.name}`);
  }
  return out.sort();
}

/** Physical bytes as the reference measures them: the sessions directory's files (no migration archives), the database and its WAL. */
export async function physicalBytes(stateDir: string): Promise<number> {
  const dir = `${stateDir}/agents/main/sessions`;
  let total = 0;
  for (const name of await listFiles(dir)) {
    if (name.includes("/") || name.endsWith(".migrated")) continue;
    total += (await Deno.stat(`${dir}/${name}`)).size;
  }
  for (const suffix of ["", "-wal"]) {
    total += await Deno.stat(`${agentDbPath(stateDir, "main")}${suffix}`).then((s) => s.size, () => 0);
  }
  return total;
}

/** The archive rows: names and whether published, oldest first. */
export function archiveRows(stateDir: string): { name: string; published: boolean }[] {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    return (db.prepare(
      "SELECT archive_name AS name, published_at AS at FROM session_transcript_archives ORDER BY created_at",
    ).all() as { name: string; at: number | null }[]).map((r) => ({ name: r.name, published: r.at !== null }));
  } finally {
    db.close();
  }
}

/** Seeds the `artifacts` scene: the live main session and one file of each kind, aged. */
export async function seedArtifactsScene(stateDir: string, now: number): Promise<void> {
  seedSessions(stateDir, [["agent:main:main", LIVE]], now);
  const dir = `${stateDir}/agents/main/sessions`;
  for (const [name, age] of ARTIFACT_FILES) await writeAged(`${dir}/${name}`, `${name}\n`, age, now);
}

/**
 * Seeds the `budget` scene: two sessions deleted by our SessionStore (two published canonical archives)
 * and four legacy archive files; answers the limits the scene sets (just under the measured total, high
 * water 250 000 bytes below it).
 */
export async function seedBudgetScene(
  stateDir: string,
  now: number,
): Promise<{ measuredBytes: number; maintenance: { maxDiskBytes: number; highWaterBytes: number } }> {
  seedSessions(stateDir, [
    ["agent:main:main", LIVE],
    ["agent:main:gone-1", "bbbbbbbb-0000-4000-8000-000000000001"],
    ["agent:main:gone-2", "bbbbbbbb-0000-4000-8000-000000000002"],
  ], now);
  const store = new SessionStore(stateDir);
  try {
    await store.delete("agent:main:gone-1", "main", { deleteTranscript: true });
    await store.delete("agent:main:gone-2", "main", { deleteTranscript: true });
  } finally {
    await store.close();
  }
  const dir = `${stateDir}/agents/main/sessions`;
  const filler = new Uint8Array(100_000).fill(120);
  for (const [name, age] of BUDGET_FILES) await writeAged(`${dir}/${name}`, filler, age, now);
  const total = await physicalBytes(stateDir);
  return { measuredBytes: total, maintenance: { maxDiskBytes: total - 1000, highWaterBytes: total - 250_000 } };
}
