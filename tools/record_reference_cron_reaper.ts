// Re-records tests/fixtures/sessions/reference_cron_reaper.json: what the reference OpenClaw 2026.9.6's
// cron session reaper (`cron.sessionRetention`) does with the transcripts of the run sessions it prunes.
// Our SessionStore writes the agent database first (expired exact-run rows `agent:main:cron:<job>:run:<id>`
// with transcripts, one with two generations, a recent one, a job's own session with an old earlier window
// and the main session); the reference gateway then starts with `cron.sessionRetention: "1h"`, gets a
// main-session system-event job due in two seconds (no model needed), and its timer tick ends in a reaper
// sweep. The fixture keeps what was left: rows, archive rows (with the decompressed JSONL), archive files
// and their modes, and the reaper's log line.
//
//   deno run -A tools/record_reference_cron_reaper.ts [--port 19531]
import { zstdDecompressSync } from "node:zlib";
import { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../src/state/agent_db.ts";
import { type PeerHome, runPeer, spawnPeer } from "../tests/support/peer.ts";
import { OpenclawProcess } from "../tests/support/spawn_gateway.ts";

const TOKEN = "reference-cron-reaper-token-0123456789";
const HOUR = 3_600_000;

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function message(role: "user" | "assistant", text: string, at: number): never {
  return { role, content: [{ type: "text", text }], timestamp: at } as never;
}

/** The rows the reaper is given; answers the session ids by name. */
function seed(stateDir: string, now: number): Record<string, string> {
  const db = openAgentDb(stateDir, "main");
  try {
    const sessions = new AgentSessions(db, "main");
    const old = now - 48 * HOUR;
    const session = (key: string, at: number, text: string) =>
      sessions.importSession({ key, sessionId: crypto.randomUUID(), createdAt: at, updatedAt: at }, [
        message("user", `${text}: run the job`, at),
        message("assistant", `${text}: done`, at),
      ]).sessionId;
    return {
      main: session("agent:main:main", now - HOUR / 2, "main"),
      expiredRun: session("agent:main:cron:job1:run:r1", old, "expired run r1"),
      expiredRunFirst: session("agent:main:cron:job1:run:r2", old - HOUR, "expired run r2, first generation"),
      expiredRunSecond: session("agent:main:cron:job1:run:r2", old, "expired run r2, second generation"),
      recentRun: session("agent:main:cron:job1:run:r3", now - HOUR / 2, "recent run r3"),
      jobEarlier: session("agent:main:cron:job1", old - HOUR, "job session, earlier window"),
      jobCurrent: session("agent:main:cron:job1", old, "job session, current window"),
    };
  } finally {
    db.close();
  }
}

function readState(stateDir: string, ids: Record<string, string>) {
  const name = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0] ?? id;
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const nodes = db.prepare("SELECT session_key AS key FROM session_nodes ORDER BY key").all() as { key: string }[];
    const windows = db.prepare(
      "SELECT session_id AS id, session_key AS key FROM session_windows ORDER BY session_key, created_at",
    ).all() as { id: string; key: string }[];
    const events = db.prepare("SELECT DISTINCT session_id AS id FROM transcript_events").all() as { id: string }[];
    const archives = (db.prepare("SELECT * FROM session_transcript_archives ORDER BY created_at, session_id")
      .all() as Record<string, unknown>[]).map(({ archive_blob, ...row }): Record<string, unknown> => ({
        ...row,
        seeded: name(row.session_id as string),
        jsonl: new TextDecoder().decode(zstdDecompressSync(archive_blob as Uint8Array)),
      }));
    return {
      sessionNodes: nodes.map((n) => n.key),
      sessionWindows: windows.map((w) => ({ key: w.key, seeded: name(w.id) })),
      transcriptsWithEvents: events.map((e) => name(e.id)).sort(),
      archives,
    };
  } finally {
    db.close();
  }
}

async function files(dir: string): Promise<{ name: string; mode: string }[]> {
  const out: { name: string; mode: string }[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    out.push({ name: entry.name, mode: ((await Deno.stat(`${dir}/${entry.name}`)).mode! & 0o777).toString(8) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** The first match of `pattern` in the reference's JSON-lines log file, waiting up to `timeoutMs`. */
async function logLine(path: string, pattern: RegExp, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const text = await Deno.readTextFile(path).catch(() => "");
    const match = pattern.exec(text);
    if (match) return match[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no log line matching ${pattern} in ${path} within ${timeoutMs} ms`);
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19531;
  const root = await Deno.makeTempDir({ prefix: "oc-ref-reaper-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  const config = {
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
    cron: { sessionRetention: "1h" },
    models: { catalogRefresh: { enabled: false } },
    discovery: { mdns: { mode: "off" } },
    update: { checkOnStart: false },
    logging: { file: `${root}/gateway.log` },
  };
  await Deno.writeTextFile(where.configPath, JSON.stringify(config, null, 2));
  const ids = seed(where.stateDir, Date.now());
  const before = readState(where.stateDir, ids);
  const proc = new OpenclawProcess(
    spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    }),
  );
  try {
    await proc.waitForLine(/\[gateway\] ready/, 120_000);
    say("reference gateway ready");
    const job = {
      name: "reaper-tick",
      schedule: { kind: "at", at: new Date(Date.now() + 2_000).toISOString() },
      sessionTarget: "main",
      wakeMode: "next-heartbeat",
      payload: { kind: "systemEvent", text: "tick" },
    };
    const added = await runPeer(
      [
        "gateway",
        "call",
        "cron.add",
        "--url",
        `ws://127.0.0.1:${port}`,
        "--token",
        TOKEN,
        "--json",
        "--params",
        JSON.stringify(job),
      ],
      where,
    );
    if (added.code !== 0) throw new Error(`cron.add failed: ${added.stdout}${added.stderr}`);
    // The reaper logs at info level to the log file only (the console shows warnings and the gateway's own lines).
    const line = await logLine(`${root}/gateway.log`, /cron-reaper[^"]*/, 90_000);
    say(`reaper: ${line}`);
    // The archive files are published after the pruning transaction commits; wait for every row's file.
    const dir = `${where.stateDir}/agents/main/sessions`;
    const deadline = Date.now() + 30_000;
    while (readState(where.stateDir, ids).archives.some((a) => a.published_at === null) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = readState(where.stateDir, ids);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway, cron.sessionRetention '1h', by tools/record_reference_cron_reaper.ts: " +
        "our SessionStore seeded the agent database (session ids named in `seeded`), a main-session systemEvent " +
        "job due in 2 s made the cron timer tick, whose end runs the reaper sweep.",
      reaperLogLine: line,
      before,
      after,
      sessionsDirMode: ((await Deno.stat(dir)).mode! & 0o777).toString(8),
      files: await files(dir),
    };
    const out = new URL("../tests/fixtures/sessions/reference_cron_reaper.json", import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } catch (error) {
    say(proc.output.slice(-4000));
    throw error;
  } finally {
    await proc.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
