// `openclaw tasks`, run as the binary runs, on a state dir whose task ledger our gateway wrote (agent runs
// against the fake model): the listing, show, audit and maintenance read it offline, and `tasks cancel`
// stops a running agent task through the live gateway (`tasks.cancel`), as the reference's CLI does.
import assert from "node:assert/strict";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { runPeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { recorded, recordedView } from "../support/tasks_replay.ts";
import { until } from "../support/until.ts";

const TOKEN = "tasks-cli-token-0123456789abcdef";

interface ListedTask {
  taskId: string;
  runId: string;
  runtime: string;
  status: string;
  task: string;
  error?: string;
}

Deno.test("openclaw tasks reads the ledger our gateway wrote and cancels a running agent task through it", async () => {
  const upstream = startFakeUpstream();
  // The port is in the config: `tasks cancel` finds the gateway there, as the reference's CLI does.
  const gatewayPort = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port: gatewayPort, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["m1", "stall"] } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home, port: gatewayPort });
  const cli = (...args: string[]) => runOpenclaw(args, { home: home.home });
  const sessions: ReferenceSession[] = [];
  let stopped = false;
  try {
    const operator = await connectReference({ port, token: TOKEN });
    sessions.push(operator);
    const done = await operator.request<{ status: string }>("agent", {
      message: "summarize the inbox",
      sessionKey: "agent:main:main",
      idempotencyKey: "tasks-cli-ok",
    }, { expectFinal: true });
    assert.equal(done.status, "ok");
    // A run the stalled model never answers: it runs until cancelled.
    const accepted = await operator.request<{ status: string; runId: string }>("agent", {
      message: "reindex the notes",
      sessionKey: "agent:main:work",
      model: "fake/stall",
      idempotencyKey: "tasks-cli-stall",
    });
    assert.equal(accepted.status, "accepted");

    let listed = { tasks: [] as ListedTask[] };
    await until(async () => {
      const list = await cli("tasks", "list", "--json");
      assert.equal(list.code, 0, list.stderr);
      listed = JSON.parse(list.stdout);
      return listed.tasks.some((t) => t.runId === "tasks-cli-stall");
    }, "the stalled run in the ledger");
    assert.deepEqual(
      listed.tasks.map((t) => [t.runId, t.runtime, t.status, t.task]),
      [["tasks-cli-stall", "cli", "running", "reindex the notes"], [
        "tasks-cli-ok",
        "cli",
        "succeeded",
        "summarize the inbox",
      ]],
    );
    const table = await cli("tasks");
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^Background tasks: 2\nTask pressure: 0 queued · 1 running · 0 issues\nTask {7}Kind/);
    assert.match(table.stdout, /\n\S+ +cli +running +not_applicable tasks-cli… agent:main:work +reindex the notes\n/);
    const running = await cli("tasks", "list", "--status", "running", "--runtime", "cli", "--json");
    assert.deepEqual(JSON.parse(running.stdout).tasks.map((t: ListedTask) => t.runId), ["tasks-cli-stall"]);

    // show by run id and by session key; the reference's miss for anything else.
    const shown = await cli("tasks", "show", "tasks-cli-ok");
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(
      shown.stdout,
      /^Background task:\ntaskId: \S+\nkind: cli\nsourceId: tasks-cli-ok\nstatus: succeeded\n/,
    );
    assert.match(shown.stdout, /\nterminalSummary: completed$/);
    const bySession = JSON.parse((await cli("tasks", "show", "agent:main:work", "--json")).stdout) as ListedTask;
    assert.equal(bySession.runId, "tasks-cli-stall");
    const miss = await cli("tasks", "show", "nope");
    assert.deepEqual([miss.code, miss.stderr], [
      1,
      "Task not found: nope. Run `openclaw tasks list` to see recent task ids.",
    ]);

    const audit = await cli("tasks", "audit", "--json");
    assert.equal(audit.code, 0, audit.stderr);
    assert.equal(JSON.parse(audit.stdout).count, 0, "a fresh ledger has no findings");
    const preview = await cli("tasks", "maintenance");
    assert.equal(preview.code, 0, preview.stderr);
    assert.equal(
      preview.stdout.split("\n")[0],
      "Tasks maintenance (preview): tasks 0 reconcile · 0 recovered · 0 cleanup stamp · 0 prune; task-flows 0 reconcile · 0 prune",
    );

    // Cancelling goes through the gateway that owns the run: the run ends, the ledger says cancelled.
    const cancelled = await cli("tasks", "cancel", "tasks-cli-stall");
    assert.equal(cancelled.code, 0, cancelled.stderr);
    assert.equal(cancelled.stdout, `Cancelled ${bySession.taskId} (cli) run tasks-cli-stall.`);
    const after = JSON.parse((await cli("tasks", "show", bySession.taskId, "--json")).stdout) as ListedTask;
    assert.equal(after.status, "cancelled");
    const again = await cli("tasks", "cancel", bySession.taskId);
    assert.deepEqual([again.code, again.stderr], [1, "Task is already terminal."]);
    // Retry has no blocked subagent completion to act on here: the gateway's answer, as the reference's.
    const retry = await cli("tasks", "retry", "tasks-cli-ok");
    assert.equal(retry.code, 1);
    assert.match(retry.stderr, /: task has no recoverable subagent completion$/);

    // The reference's CLI, on the same state dir, prints what ours prints.
    const peerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    for (const args of [["tasks"], ["tasks", "list", "--json"], ["tasks", "show", "agent:main:work"]]) {
      const [theirs, ours] = [await runPeer(args, peerHome), await cli(...args)];
      assert.equal(theirs.code, 0, theirs.stderr);
      assert.equal(ours.stdout, theirs.stdout.trimEnd(), args.join(" "));
    }

    await proc.stop();
    stopped = true;
    // Without a gateway an agent task cannot be cancelled: the reference's words, and nothing changes.
    const offline = await cli("tasks", "cancel", "tasks-cli-ok");
    assert.equal(offline.code, 1);
    assert.match(
      offline.stderr,
      /^CLI task cancellation requires the live Gateway tasks\.cancel path: Gateway not reachable at ws:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\.\\nStart it with/,
    );
    const list = JSON.parse((await cli("tasks", "list", "--json")).stdout) as { tasks: ListedTask[] };
    assert.deepEqual(list.tasks.map((t) => t.status), ["cancelled", "succeeded"]);
  } finally {
    for (const session of sessions) session.stop();
    if (!stopped) await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("openclaw tasks refuses bad flags, inherited flags and mistyped subcommands with the reference's recorded words", async () => {
  const home = await tempHome();
  try {
    for (
      const name of [
        "list-mistyped",
        "list-runtime-bad",
        "list-status-bad-json",
        "show-inherited-runtime",
        "audit-limit-bad",
        "audit-severity-bad",
        "audit-code-bad-json",
        "notify-bad",
        "retry-eleven",
        "flow-list-status-bad",
      ]
    ) {
      const want = recorded(name);
      const got = await runOpenclaw(want.args, { home: home.home });
      const view = recordedView(want);
      assert.deepEqual({ code: got.code, out: got.stdout, err: got.stderr }, {
        code: view.code,
        out: view.out.trimEnd(),
        err: view.err,
      }, want.args.join(" "));
    }
  } finally {
    await home.cleanup();
  }
});
