// Re-records tests/fixtures/trajectory/: a real agent turn of the reference OpenClaw 2026.9.6 (the fake
// model reads notes.txt with the `read` tool, then answers), the rows it wrote (session_rows.json), and the
// reference CLI's `openclaw sessions export-trajectory` over a fresh state dir seeded with those rows
// (reference_export.json: each case's arguments, exit code, outputs, and the bundle it wrote).
//
//   deno run -A tools/record_reference_trajectory.ts      (about a minute; the reference must be installed)
import { DatabaseSync } from "node:sqlite";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { runPeer } from "../tests/support/peer.ts";
import { clientTestConfig, startReferenceGateway } from "../tests/support/reference_gateway.ts";
import { freePort } from "../tests/support/spawn_gateway.ts";
import { EXPORT_CASES, SESSION_KEY } from "../tests/support/trajectory_cases.ts";
import {
  seedTrajectorySession,
  toPlaceholders,
  type TrajectoryPlaces,
  type TrajectoryRows,
} from "../tests/support/trajectory_seed.ts";

const FIXTURES = new URL("../tests/fixtures/trajectory/", import.meta.url);
const TOKEN = "trajectory-token-0123456789";

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs the turn on the reference gateway and reads back the rows it wrote, paths as placeholders. */
async function recordTurn(root: string): Promise<TrajectoryRows> {
  const upstream = startFakeUpstream();
  const port = freePort();
  const workspace = `${root}/workspace`;
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, model: "tm" }) as {
    agents: { defaults: Record<string, unknown> };
  };
  config.agents.defaults.workspace = workspace;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(`${workspace}/notes.txt`, "remember the milk\n");
  upstream.script("tm", [
    { text: "Let me read it.", toolCalls: [{ name: "read", args: { path: "notes.txt" } }] },
    { text: "It says: remember the milk." },
  ]);
  const ref = await startReferenceGateway({ root: `${root}/gateway`, port, config });
  try {
    const turn = await runPeer(
      ["agent", "--agent", "main", "--message", "What is in notes.txt?", "--json"],
      ref.where,
      { OPENCLAW_GATEWAY_TOKEN: TOKEN },
    );
    say(`agent turn: exit ${turn.code}`);
    if (turn.code !== 0) throw new Error(`the reference turn failed: ${turn.stderr}`);
    await ref.proc.stop();
    const places: TrajectoryPlaces = { workspace, stateDir: ref.where.stateDir, home: ref.where.home };
    const db = new DatabaseSync(`${ref.where.stateDir}/agents/main/agent/openclaw-agent.sqlite`, { readOnly: true });
    try {
      const node = db.prepare("SELECT current_session_id AS id FROM session_nodes WHERE session_key = ?")
        .get(SESSION_KEY) as { id: string };
      const transcript = db.prepare(
        "SELECT seq, event_json AS json, created_at AS createdAt FROM transcript_events WHERE session_id = ? ORDER BY seq",
      ).all(node.id) as TrajectoryRows["transcript"];
      const runtime = db.prepare(
        "SELECT seq, run_id AS runId, event_json AS json, created_at AS createdAt FROM trajectory_runtime_events " +
          "WHERE session_id = ? ORDER BY seq",
      ).all(node.id) as TrajectoryRows["runtime"];
      const rows: TrajectoryRows = {
        sessionKey: SESSION_KEY,
        sessionId: node.id,
        transcript: transcript.map((r) => ({ ...r })),
        runtime: runtime.map((r) => ({ ...r })),
      };
      return JSON.parse(toPlaceholders(JSON.stringify(rows), places)) as TrajectoryRows;
    } finally {
      db.close();
    }
  } finally {
    await ref.stop();
    await upstream.stop();
  }
}

/** Every file under `dir`, by its path relative to it. */
async function readTree(dir: string, prefix = ""): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const entry of Deno.readDir(dir)) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory) Object.assign(out, await readTree(`${dir}/${entry.name}`, `${rel}/`));
    else out[rel] = await Deno.readTextFile(`${dir}/${entry.name}`);
  }
  return Object.fromEntries(Object.entries(out).toSorted(([a], [b]) => a.localeCompare(b)));
}

async function main(): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "record-trajectory-" });
  try {
    const rows = await recordTurn(`${root}/turn`);
    await Deno.writeTextFile(new URL("session_rows.json", FIXTURES), JSON.stringify(rows, null, 2) + "\n");
    const places: TrajectoryPlaces = {
      workspace: `${root}/export/workspace`,
      stateDir: `${root}/export/state`,
      home: `${root}/export/home`,
    };
    for (const dir of [places.workspace, places.stateDir, places.home]) await Deno.mkdir(dir, { recursive: true });
    seedTrajectorySession(rows, places);
    const where = { home: places.home, stateDir: places.stateDir, configPath: `${root}/export/openclaw.json` };
    await Deno.writeTextFile(where.configPath, JSON.stringify({ gateway: { mode: "local" } }));
    const cases = [];
    for (const c of EXPORT_CASES) {
      const args = c.args.map((a) => a.replaceAll("<workspace>", places.workspace));
      const out = await runPeer(args, where);
      say(`${c.name}: exit ${out.code}`);
      cases.push({
        name: c.name,
        args: c.args,
        code: out.code,
        stdout: toPlaceholders(out.stdout, places),
        stderr: toPlaceholders(out.stderr, places),
      });
    }
    const exportsDir = `${places.workspace}/.openclaw/trajectory-exports`;
    const bundles: Record<string, Record<string, string>> = {};
    for await (const entry of Deno.readDir(exportsDir)) {
      if (!entry.name.startsWith("openclaw-trajectory-")) {
        bundles[entry.name] = await readTree(`${exportsDir}/${entry.name}`);
      }
    }
    const fixture = {
      recorded: "OpenClaw 2026.9.6 CLI (no gateway running) over a state dir seeded with session_rows.json, by " +
        "tools/record_reference_trajectory.ts; paths shown as <workspace>, <state>, <home>.",
      sessionId: rows.sessionId,
      cases,
      bundles,
    };
    await Deno.writeTextFile(new URL("reference_export.json", FIXTURES), JSON.stringify(fixture, null, 2) + "\n");
    say("wrote tests/fixtures/trajectory/{session_rows,reference_export}.json");
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
