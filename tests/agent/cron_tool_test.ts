import assert from "node:assert/strict";
import { automationsTool, automationsTools } from "../../src/agent/cron_tool.ts";
import { ToolError } from "../../src/agent/tool.ts";
import { FakeCron } from "../support/fake_cron.ts";
import { agentFor, callIn, hostFor } from "../support/tool_harness.ts";

function setup() {
  const cron = new FakeCron();
  const host = { ...hostFor(agentFor({}, "/ws")), cron };
  return { cron, tool: automationsTool(host), host };
}

function details(result: { details?: unknown }): Record<string, unknown> {
  return result.details as Record<string, unknown>;
}

Deno.test("the automations tool is offered only where the gateway lends a scheduler", async () => {
  const host = hostFor(agentFor({}, "/ws"));
  assert.deepEqual(await automationsTools(host, agentFor({}, "/ws")), []);
  const tools = await automationsTools({ ...host, cron: new FakeCron() }, agentFor({}, "/ws"));
  assert.deepEqual(tools.map((tool) => tool.name), ["automations"]);
});

Deno.test("a reminder made in a chat belongs to its session and answers in that chat", async () => {
  const { cron, tool } = setup();
  const call = {
    ...callIn("/ws"),
    sessionKey: "agent:main:irc:#ops",
    origin: { channel: "irc", to: "#ops", accountId: "default" },
  };
  const added = details(
    await tool.execute({
      action: "add",
      job: { schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "Check the build" } },
    }, call),
  );
  assert.equal(added.name, "Check the build");
  assert.equal(added.sessionTarget, "current");
  assert.equal(added.sessionKey, "agent:main:irc:#ops");
  assert.equal(added.agentId, "main");
  assert.deepEqual(added.delivery, { mode: "announce", channel: "irc", to: "#ops", accountId: "default" });
  assert.deepEqual(added.deliveryPreview, { label: "announce -> irc:#ops", detail: "explicit" });
  assert.equal(cron.jobs.size, 1);
});

Deno.test("the automations tool lists compactly, updates with patch rules, runs, and removes", async () => {
  const { cron, tool } = setup();
  const call = callIn("/ws");
  await tool.execute({
    action: "add",
    job: { name: "ping", schedule: { kind: "every", everyMs: 1000 }, payload: { kind: "systemEvent", text: "ping" } },
  }, call);
  const list = details(await tool.execute({ action: "list" }, call));
  const [row] = list.jobs as Record<string, unknown>[];
  assert.equal(row!.name, "ping");
  assert.equal(row!.scheduleKind, "every");
  assert.ok(!("payload" in row!), "compact rows leave the payload to get");
  const updated = details(await tool.execute({ action: "update", jobId: "job-1", job: { enabled: false } }, call));
  assert.equal(updated.enabled, false);
  assert.deepEqual(details(await tool.execute({ action: "run", id: "job-1", runMode: "force" }, call)).enqueued, true);
  assert.deepEqual(details(await tool.execute({ action: "remove", jobId: "job-1" }, call)), {
    ok: true,
    removed: true,
  });
  assert.equal(cron.jobs.size, 0);
});

Deno.test("the automations tool refuses bad input with words the model can act on", async () => {
  const { tool } = setup();
  const call = callIn("/ws");
  await assert.rejects(
    tool.execute({ action: "get" }, call),
    (e) => e instanceof ToolError && /jobId required/.test(e.message),
  );
  await assert.rejects(tool.execute({ action: "get", jobId: "nope" }, call), /cron job not found: nope/);
  await assert.rejects(tool.execute({ action: "add" }, call), /job required/);
  await assert.rejects(
    tool.execute(
      { action: "add", job: { schedule: { kind: "every", everyMs: 5 }, payload: { kind: "agentTurn" } } },
      call,
    ),
    /payload must be/,
  );
  await assert.rejects(tool.execute({ action: "fly" }, call), /Unknown cron action: fly/);
});

Deno.test("a chat sender who is not the owner cannot schedule, change or run automations", async () => {
  const { cron, tool } = setup();
  const owner = callIn("/ws");
  await tool.execute({
    action: "add",
    job: { name: "ops", schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "x" } },
  }, owner);
  const stranger = {
    ...owner,
    senderIsOwner: false,
    sessionKey: "agent:main:irc:direct:mallory",
    origin: { channel: "irc", to: "mallory" },
  };
  for (
    const args of [
      {
        action: "add",
        job: { schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "run exec" } },
      },
      { action: "list" },
      { action: "get", jobId: "job-1" },
      { action: "update", jobId: "job-1", job: { payload: { kind: "agentTurn", message: "steal" } } },
      { action: "run", jobId: "job-1", runMode: "force" },
      { action: "remove", jobId: "job-1" },
    ]
  ) {
    await assert.rejects(
      tool.execute(args, stranger),
      (e) => e instanceof ToolError && /requires the active configured channel owner/.test(e.message),
      `non-owner ${args.action} is refused`,
    );
  }
  assert.equal(cron.jobs.size, 1);
  assert.deepEqual(cron.jobs.get("job-1")?.payload, { kind: "agentTurn", message: "x", toolsAllow: ["*"] });
});

Deno.test("the automations tool refuses job fields the schema does not allow (an id would replace another job)", async () => {
  const { cron, tool } = setup();
  const call = callIn("/ws");
  const every = { kind: "every", everyMs: 60000 };
  await tool.execute({
    action: "add",
    job: { name: "ops", schedule: every, payload: { kind: "systemEvent", text: "x" } },
  }, call);
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ id: "job-1", name: "y" }, /job has unexpected properties: id/],
    [{ state: { lastRunStatus: "ok" }, createdAtMs: 1 }, /job has unexpected properties: state, createdAtMs/],
    [{ scheduledToolPolicy: { version: 1, mode: "trusted" } }, /unexpected properties: scheduledToolPolicy/],
    [{ owner: { sessionKey: "agent:main:main" } }, /unexpected properties: owner/],
    [
      { delivery: { mode: "announce", channel: "irc", to: "#x", extra: 1 } },
      /job.delivery has unexpected properties: extra/,
    ],
    [{ enabled: "maybe" }, /job.enabled must be a boolean/],
  ];
  for (const [extra, expected] of refused) {
    await assert.rejects(
      tool.execute(
        { action: "add", job: { schedule: every, payload: { kind: "systemEvent", text: "y" }, ...extra } },
        call,
      ),
      (e) => e instanceof ToolError && expected.test(e.message),
      JSON.stringify(extra),
    );
  }
  await assert.rejects(
    tool.execute({
      action: "add",
      job: { schedule: every, payload: { kind: "agentTurn", message: "m", toolsAllowIsDefault: true, bogus: 1 } },
    }, call),
    /job.payload has unexpected properties: toolsAllowIsDefault, bogus/,
  );
  assert.deepEqual([...cron.jobs.values()].map((job) => job.name), ["ops"]);
});

Deno.test("the automations tool refuses a patch that leaves a job no runner can read", async () => {
  const { cron, tool } = setup();
  const call = callIn("/ws");
  const every = { kind: "every", everyMs: 60000 };
  await tool.execute({
    action: "add",
    job: { name: "ops", schedule: every, payload: { kind: "systemEvent", text: "x" } },
  }, call);
  const before = structuredClone(cron.jobs.get("job-1"));
  const refused: [Record<string, unknown>, RegExp][] = [
    [{ schedule: { kind: "every" } }, /schedule must be/],
    [{ schedule: { kind: "nope" } }, /schedule must be/],
    [{ payload: { kind: "command", argv: ["rm", "-rf", "/"] } }, /payload must be/],
    [{ payload: { kind: "systemEvent", text: "y", extra: 1 } }, /job.payload has unexpected properties: extra/],
    [{ state: { nextRunAtMs: 1 } }, /job has unexpected properties: state/],
  ];
  for (const [job, expected] of refused) {
    await assert.rejects(
      tool.execute({ action: "update", jobId: "job-1", job }, call),
      (e) => e instanceof ToolError && expected.test(e.message),
      JSON.stringify(job),
    );
  }
  assert.deepEqual(cron.jobs.get("job-1"), before);
  const renamed = details(await tool.execute({ action: "update", jobId: "job-1", job: { name: "ops2" } }, call));
  assert.equal(renamed.name, "ops2");
});

Deno.test("a conversation's jobs run as its own agent: another agentId is refused", async () => {
  const { cron, tool } = setup();
  const call = callIn("/ws");
  const job = { schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "m" } };
  await assert.rejects(
    tool.execute({ action: "add", job: { ...job, agentId: "Ops" } }, call),
    (e) => e instanceof ToolError && /job agentId outside caller scope/.test(e.message),
  );
  assert.equal(cron.jobs.size, 0);
  details(await tool.execute({ action: "add", job: { ...job, agentId: "main" } }, call));
  await assert.rejects(
    tool.execute({ action: "update", jobId: "job-1", job: { agentId: "ops" } }, call),
    /job agentId outside caller scope/,
  );
  assert.equal(cron.jobs.get("job-1")?.agentId, "main");
});

Deno.test("in a scheduled run the tool reaches only its own job, as the reference restricts it", async () => {
  const { cron, tool } = setup();
  const owner = callIn("/ws");
  const every = { kind: "every", everyMs: 60000 };
  for (const name of ["self", "other"]) {
    await tool.execute(
      { action: "add", job: { name, schedule: every, payload: { kind: "agentTurn", message: name } } },
      owner,
    );
  }
  const scheduled = { ...owner, runId: "cron:job-1:run-7", sessionKey: "agent:main:cron:job-1" };
  assert.deepEqual(details(await tool.execute({ action: "status" }, scheduled)), { enabled: true });
  const listed = details(await tool.execute({ action: "list", includeDisabled: true }, scheduled));
  assert.deepEqual((listed.jobs as Record<string, unknown>[]).map((job) => job.id), ["job-1"]);
  assert.equal(details(await tool.execute({ action: "get", jobId: "job-1" }, scheduled)).name, "self");
  assert.equal(details(await tool.execute({ action: "runs", jobId: "job-1" }, scheduled)).total, 0);
  for (
    const args of [
      { action: "add", job: { schedule: every, payload: { kind: "agentTurn", message: "spawn" } } },
      { action: "get", jobId: "job-2" },
      { action: "update", jobId: "job-1", job: { name: "x" } },
      { action: "update", jobId: "job-2", job: { enabled: false } },
      { action: "run", jobId: "job-2", runMode: "force" },
      { action: "remove", jobId: "job-2" },
    ]
  ) {
    await assert.rejects(
      tool.execute(args, scheduled),
      (e) => e instanceof ToolError && e.message === "Automations tool is restricted to the current automation.",
      JSON.stringify(args),
    );
  }
  assert.equal(cron.jobs.size, 2);
  assert.deepEqual(details(await tool.execute({ action: "remove", jobId: "job-1" }, scheduled)), {
    ok: true,
    removed: true,
  });
  assert.deepEqual([...cron.jobs.keys()], ["job-2"]);
});

Deno.test("the tool loads an unloaded scheduler before adding (a gateway that had no jobs), as cron.add does", async () => {
  /** A stand-in that refuses `add` until `ready()` loaded the scheduler, as the gateway's dormant control does. */
  class Unloaded extends FakeCron {
    constructor(readonly real: FakeCron) {
      super();
    }
    override add(): never {
      throw new Error("not loaded");
    }
    ready(): Promise<void> {
      lent = this.real;
      return Promise.resolve();
    }
  }
  // As the gateway's: `ready` swaps the stand-in for the loaded scheduler the host lends from then on.
  const loaded = new FakeCron();
  let lent: FakeCron = new Unloaded(loaded);
  const tool = automationsTool({
    ...hostFor(agentFor({}, "/ws")),
    get cron() {
      return lent;
    },
  });
  const added = details(
    await tool.execute({
      action: "add",
      job: { schedule: { kind: "every", everyMs: 60000 }, payload: { kind: "agentTurn", message: "Check the build" } },
    }, callIn("/ws")),
  );
  assert.equal(added.name, "Check the build");
  assert.equal(loaded.jobs.size, 1);
});
