// An automation's private scratch through our gateway: the reference CLI's `openclaw cron scratch` reads,
// sets, clears and guards it with `cron.scratch.get|set` (before, our gateway answered "unknown method"), and
// our CLI does the same. On a state dir the reference has run on, the agent's heartbeat monitor row (the one
// the reference 2026.9.6 wrote at its start, tests/fixtures/reference_cron/state_rows.json) carries the
// heartbeat's checklist: our heartbeat turns follow that scratch, not the workspace's HEARTBEAT.md.
import assert from "node:assert/strict";
import { cronStoreKey } from "../../src/automation/sqlite_cron_store.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer, runPeer } from "../support/peer.ts";
import { referenceCliConfig } from "../support/reference_cli.ts";
import { connectReference } from "../support/reference_client.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-cron-scratch-token-0123456789abcdef";
type Row = Record<string, unknown>;
const RECORDED = JSON.parse(
  Deno.readTextFileSync(new URL("../fixtures/reference_cron/state_rows.json", import.meta.url)),
) as { stateDir: string; cron_jobs: Row[] };
const MONITOR = RECORDED.cron_jobs.find((row) => row.payload_kind === "heartbeat")!;

/** Our gateway on a state dir holding the reference's heartbeat monitor row for `main`, heartbeats off for now. */
async function gatewayWithMonitor() {
  const upstream = startFakeUpstream();
  const port = freePort();
  const base = referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url });
  const home = await tempHome({
    ...base,
    agents: {
      defaults: { model: { primary: "fake/m1" }, heartbeat: { every: "0m", target: "none" } },
      entries: { main: { workspace: "~/ws" } },
    },
  });
  await Deno.mkdir(`${home.home}/ws`);
  await Deno.writeTextFile(`${home.home}/ws/HEARTBEAT.md`, "- from the workspace file\n");
  const db = openStateDb(home.stateDir);
  try {
    const row: Row = { ...MONITOR, "store_key": cronStoreKey(home.stateDir) };
    const columns = Object.keys(row);
    db.prepare(`INSERT INTO cron_jobs (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
      .run(...columns.map((c) => row[c] as string | number | null));
  } finally {
    db.close();
  }
  const { proc } = await startGateway({ home: home.home, port });
  return {
    port,
    proc,
    upstream,
    where: { home: home.home, stateDir: home.stateDir, configPath: home.configPath },
    env: { OPENCLAW_GATEWAY_PORT: String(port) },
    stop: async () => {
      await proc.stop();
      await upstream.stop();
      await home.cleanup();
    },
  };
}

Deno.test("the reference CLI's cron scratch reads, sets, guards and clears a job's scratch on our gateway", async () => {
  requirePeer();
  const gateway = await gatewayWithMonitor();
  const { where, env } = gateway;
  const jobId = String(MONITOR.job_id);
  try {
    await gateway.proc.waitForLine(/cron: started/, 20_000);
    const empty = await runPeer(["cron", "scratch", jobId, "--json"], where, env);
    assert.equal(empty.code, 0, empty.stdout + empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout), { scratch: null, currentRevision: 0, maxBytes: 262_144 });

    const set = await runPeer(["cron", "scratch", jobId, "--set", "- check the backups", "--json"], where, env);
    assert.equal(set.code, 0, set.stdout + set.stderr);
    const written = JSON.parse(set.stdout);
    assert.equal(written.ok, true);
    assert.equal(written.currentRevision, 1);
    assert.deepEqual({ ...written.scratch, updatedAtMs: 0 }, {
      content: "- check the backups",
      revision: 1,
      updatedAtMs: 0,
    });
    assert.equal(written.maxBytes, 262_144);

    const shown = await runPeer(["cron", "scratch", jobId], where, env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal(shown.stdout, "- check the backups", "the exact text, nothing added");

    const stale = await runPeer(["cron", "scratch", jobId, "--set", "x", "--expected-revision", "0"], where, env);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr + stale.stdout, /cron scratch changed concurrently \(current revision 1\)/);

    const missing = await runPeer(["cron", "scratch", "no-such-job", "--json"], where, env);
    assert.equal(missing.code, 1);
    assert.match(missing.stdout + missing.stderr, /Automation not found: no-such-job/);

    // Our CLI: the same reads and writes.
    const ours = (args: string[]) =>
      runOpenclaw(["cron", "scratch", ...args], { home: where.home, env: { ...env, OPENCLAW_GATEWAY_TOKEN: TOKEN } });
    const oursShown = await ours([jobId]);
    assert.equal(oursShown.code, 0, oursShown.stderr);
    assert.equal(oursShown.stdout, "- check the backups");
    const oursStale = await ours([jobId, "--set", "y", "--expected-revision", "0"]);
    assert.equal(oursStale.code, 1);
    assert.match(oursStale.stderr, /cron scratch changed concurrently \(current revision 1\)/);
    const oursCleared = await ours([jobId, "--unset", "--json"]);
    assert.equal(oursCleared.code, 0, oursCleared.stderr);
    assert.deepEqual(JSON.parse(oursCleared.stdout), {
      ok: true,
      scratch: null,
      currentRevision: 2,
      maxBytes: 262_144,
    });
    const cleared = await runPeer(["cron", "scratch", jobId, "--json"], where, env);
    assert.deepEqual(JSON.parse(cleared.stdout), { scratch: null, currentRevision: 2, maxBytes: 262_144 });
  } finally {
    await gateway.stop();
  }
});

Deno.test("with the reference's heartbeat monitor in the state dir, our heartbeat follows its scratch, not HEARTBEAT.md", async () => {
  requirePeer();
  const gateway = await gatewayWithMonitor();
  const session = await connectReference({ port: gateway.port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    await gateway.proc.waitForLine(/cron: started/, 20_000);
    const set = await runPeer(
      ["cron", "scratch", String(MONITOR.job_id), "--set", "- check the backups"],
      gateway.where,
      gateway.env,
    );
    assert.equal(set.code, 0, set.stdout + set.stderr);
    const hash = (await session.request<{ hash: string }>("config.get")).hash;
    await session.request("config.patch", {
      raw: JSON.stringify({ agents: { defaults: { heartbeat: { every: "1s", activeHours: null } } } }),
      baseHash: hash,
    });
    const asked = () => gateway.upstream.requests.map((request) => JSON.stringify(request.messages));
    await until(() => asked().length > 0, "a heartbeat turn asked the model", 20_000);
    assert.match(asked()[0]!, /Heartbeat monitor scratch:\\n- check the backups/);
    assert.ok(asked().every((text) => !text.includes("from the workspace file")), "HEARTBEAT.md is not read");
  } finally {
    session.stop();
    await gateway.stop();
  }
});
