// Re-records tests/fixtures/sessions/reference_session_reset.json: what the reference OpenClaw 2026.9.6's
// `sessions.reset` does with the transcript it resets. Our SessionStore writes a session with two
// messages; the reference gateway resets it (`gateway call sessions.reset`); the fixture keeps its answer
// and what the database holds after: the session row's transcript id, every window and its events'
// types, and whether any archive row or file was written.
//
//   deno run -A tools/record_reference_session_reset.ts [--port 19533]
import { DatabaseSync } from "node:sqlite";
import { AgentSessions } from "../src/sessions/agent_sessions.ts";
import { agentDbPath, openAgentDb } from "../src/state/agent_db.ts";
import { type PeerHome, runPeer, spawnPeer } from "../tests/support/peer.ts";
import { OpenclawProcess } from "../tests/support/spawn_gateway.ts";

const TOKEN = "reference-session-reset-token-0123456789";
const KEY = "agent:main:scratch-1";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function state(stateDir: string) {
  const db = new DatabaseSync(agentDbPath(stateDir, "main"), { readOnly: true });
  try {
    const node = db.prepare("SELECT current_session_id AS id FROM session_nodes WHERE session_key = ?").get(KEY) as {
      id: string;
    };
    const windows = db.prepare(
      "SELECT session_id AS id, previous_session_id AS previous, reason FROM session_windows WHERE session_key = ? " +
        "ORDER BY created_at",
    ).all(KEY) as { id: string; previous: string | null; reason: string | null }[];
    const events = (id: string) =>
      (db.prepare("SELECT event_json AS json FROM transcript_events WHERE session_id = ? ORDER BY seq").all(id) as {
        json: string;
      }[]).map((e) => JSON.parse(e.json));
    const archives = db.prepare(
      "SELECT count(*) AS n FROM sqlite_master WHERE name = 'session_transcript_archives'",
    ).get() as { n: number };
    return {
      currentSessionId: node.id,
      windows: windows.map((w) => ({ ...w, events: events(w.id) })),
      archiveRows: archives.n === 0
        ? 0
        : (db.prepare("SELECT count(*) AS n FROM session_transcript_archives").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19533;
  const root = await Deno.makeTempDir({ prefix: "oc-ref-reset-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify({
      gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } },
      models: { catalogRefresh: { enabled: false } },
      discovery: { mdns: { mode: "off" } },
      update: { checkOnStart: false },
      logging: { file: `${root}/gateway.log` },
    }),
  );
  const db = openAgentDb(where.stateDir, "main");
  const at = Date.now() - 60_000;
  const seeded = new AgentSessions(db, "main").importSession({
    key: KEY,
    sessionId: crypto.randomUUID(),
    createdAt: at,
    updatedAt: at,
  }, [
    { role: "user", content: [{ type: "text", text: "before the reset" }], timestamp: at } as never,
    { role: "assistant", content: [{ type: "text", text: "noted" }], timestamp: at } as never,
  ]).sessionId;
  db.close();
  const before = state(where.stateDir);
  const proc = new OpenclawProcess(
    spawnPeer(["gateway", "run", "--port", String(port), "--bind", "loopback"], where, {
      OPENCLAW_DISABLE_BONJOUR: "1",
      OPENCLAW_NO_AUTO_UPDATE: "1",
    }),
  );
  try {
    await proc.waitForLine(/\[gateway\] ready/, 120_000);
    const flags = ["--url", `ws://127.0.0.1:${port}`, "--token", TOKEN, "--json"];
    const reset = await runPeer(
      ["gateway", "call", "sessions.reset", ...flags, "--params", JSON.stringify({ key: KEY })],
      where,
    );
    if (reset.code !== 0) throw new Error(`sessions.reset failed: ${reset.stdout}${reset.stderr}`);
    const after = state(where.stateDir);
    const dir = `${where.stateDir}/agents/main/sessions`;
    const files = await Array.fromAsync(Deno.readDir(dir)).catch(() => []);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 gateway: gateway call sessions.reset {key} --json, by " +
        "tools/record_reference_session_reset.ts, on a session our SessionStore wrote (two messages).",
      seededSessionId: seeded,
      response: JSON.parse(reset.stdout.slice(reset.stdout.indexOf("{"))),
      before,
      after,
      sessionsDirFiles: files.map((f) => f.name).sort(),
    };
    const out = new URL("../tests/fixtures/sessions/reference_session_reset.json", import.meta.url);
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
