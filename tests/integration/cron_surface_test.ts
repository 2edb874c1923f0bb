// The cron surface through the real program: the reference CLI's `openclaw cron add/list/show/
// edit/run/runs/rm` against our gateway (exit codes and the fields it reads), our own `openclaw
// cron` with the same output, and the `cron` events a connected client receives.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "cron-surface-token-0123456789abcdef";

type Json = Record<string, unknown>;

Deno.test("cron surface: the reference CLI manages jobs on our gateway and clients see the cron events", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { mode: "token", token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const peer = await tempHome({ gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } } });
  const where = { home: peer.home, stateDir: peer.stateDir, configPath: peer.configPath };
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.read"] });
  try {
    const reference = async (args: string[], expectCode = 0) => {
      const run = await runPeer(args, where);
      assert.equal(run.code, expectCode, `openclaw ${args.join(" ")}: ${run.stderr}`);
      return run;
    };
    const json = async (args: string[]) => JSON.parse((await reference(args)).stdout) as Json;
    // The scheduler loads after readiness: status says enabled once it has.
    let status: Json = {};
    await until(async () => (status = await json(["cron", "status", "--json"])).enabled === true, "the scheduler");
    assert.equal(status.enabled, true);
    assert.equal(status.storage, "sqlite");

    const added = await json(["cron", "add", "--name", "t1", "--every", "10m", "--system-event", "hello", "--json"]);
    const id = String(added.id);
    assert.deepEqual(added.schedule, { kind: "every", everyMs: 600000, anchorMs: added.createdAtMs });
    assert.equal(added.sessionTarget, "main");
    assert.deepEqual(added.deliveryPreview, { label: "not requested", detail: "not requested" });
    assert.match(String(added.configRevision), /^sha256:/);
    const cronEvent = (action: string) =>
      session.events.find((e) =>
        e.event === "cron" && (e.payload as Json).action === action && (e.payload as Json).jobId === id
      );
    await until(() => cronEvent("added") !== undefined, "the cron added event");
    assert.equal(((cronEvent("added")!.payload as Json).job as Json).name, "t1");

    const list = await json(["cron", "list", "--json"]);
    const row = (list.jobs as Json[]).find((job) => job.id === id)!;
    assert.equal(row.status, "idle");
    assert.equal(row.effectiveAgentId, "main");
    assert.match(String(list.snapshotRevision), /^sha256:/);
    const table = (await reference(["cron", "list"])).stdout;
    assert.match(table, new RegExp(`${id} -\\s+t1\\s+every 10m\\s+in 10m`));
    const ours = await runOpenclaw(["cron", "list", "--port", String(port), "--token", TOKEN], { home: home.home });
    assert.equal(ours.code, 0, ours.stderr);
    assert.equal(ours.stdout.trim(), table.trim(), "our CLI prints the reference's table");

    const edited = await json(["cron", "edit", id, "--name", "t1b", "--every", "5m"]);
    assert.equal(edited.name, "t1b");
    assert.equal((edited.schedule as Json).everyMs, 300000);
    const shown = (await reference(["cron", "show", "t1b"])).stdout;
    assert.match(shown, /^schedule: every 5m$/m);

    const run = await json(["cron", "run", id]);
    assert.equal(run.ok, true);
    assert.equal(run.enqueued, true);
    await until(() => cronEvent("started") !== undefined, "the cron started event");
    await until(() => cronEvent("finished") !== undefined, "the cron finished event");
    assert.ok(cronEvent("updated"), "the edit was announced too");
    const runs = await json(["cron", "runs", id, "--limit", "5"]);
    const [entry] = runs.entries as Json[];
    assert.equal(entry?.jobId, id);
    assert.equal(entry?.runId, run.runId);

    // `run --wait` polls `cron.runs {id, runId, limit: 1}` until the run ends.
    const waited = await runPeer(
      ["cron", "run", id, "--wait", "--wait-timeout", "60s", "--poll-interval", "200ms"],
      where,
    );
    const outcome = JSON.parse(waited.stdout) as Json;
    assert.equal(outcome.completed, true, waited.stderr);
    assert.equal(waited.code, outcome.completionStatus === "succeeded" ? 0 : 1);
    assert.equal((outcome.run as Json).runId, outcome.runId);

    const missing = await reference(["cron", "get", "nope"], 1);
    assert.match(
      missing.stderr,
      /Automation not found: nope\. Run `openclaw cron list` to see recent automation ids\./,
    );
    assert.deepEqual(await json(["cron", "rm", id]), { ok: true, removed: true });
    assert.deepEqual((await json(["cron", "list", "--all", "--json"])).jobs, []);
  } finally {
    session.stop();
    proc.kill("SIGTERM");
    await proc.exited();
    await peer.cleanup();
    await home.cleanup();
  }
});
