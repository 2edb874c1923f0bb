import assert from "node:assert/strict";
import { CronJobNotFoundError } from "../../src/agent/cron_control.ts";
import type { CronEvent } from "../../src/automation/cron_events.ts";
import type { CronSettings } from "../../src/config/cron_settings.ts";
import { CronWiring } from "../../src/server/cron_wiring.ts";
import { MemoryCronStore } from "../support/memory_cron_store.ts";

const quietLog = { info() {}, warn() {}, error() {} };

Deno.test("CronWiring builds the scheduler at start, broadcasts its events, follows cron.enabled on reload and stops", async () => {
  const store = new MemoryCronStore();
  const events: CronEvent[] = [];
  let settings: CronSettings = { enabled: true, skipMissedJobs: false };
  let opened = 0;
  const ran: string[] = [];
  const wiring = new CronWiring({
    openStore: () => {
      opened += 1;
      return store;
    },
    runner: () => (job) => {
      ran.push(job.id);
      return Promise.resolve({ status: "ok" });
    },
    broadcast: (event) => events.push(event),
    settings: () => settings,
    defaultAgentId: () => "main",
    log: quietLog,
  });
  assert.deepEqual(wiring.control?.list(), [], "nothing is built before start");
  assert.equal(opened, 0);
  await wiring.start();
  assert.equal(opened, 1);
  const control = wiring.control!;
  const job = control.add({
    name: "soon",
    enabled: true,
    schedule: { kind: "at", at: new Date(Date.now() + 30).toISOString() },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "hi" },
  });
  assert.equal(events[0]?.action, "added");
  const deadline = Date.now() + 5_000;
  while (ran.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(ran, [job.id]);
  settings = { enabled: false, skipMissedJobs: false };
  wiring.reconfigure();
  assert.equal(control.status().enabled, false);
  await wiring.stop();
});

Deno.test("CronWiring logs a store that cannot open and leaves cron switched off", async () => {
  const errors: string[] = [];
  const wiring = new CronWiring({
    openStore: () => {
      throw new Error("state database locked");
    },
    runner: () => () => Promise.resolve({ status: "ok" }),
    broadcast: () => {},
    settings: () => ({ enabled: true, skipMissedJobs: false }),
    defaultAgentId: () => "main",
    log: { ...quietLog, error: (message: string) => errors.push(message) },
  });
  await wiring.start();
  assert.equal(wiring.control, undefined);
  assert.match(errors[0]!, /cron: failed to start: .*state database locked/);
  await wiring.stop();
});

Deno.test("CronWiring with an empty store stays unloaded: cron.* answers without opening the store; the first add loads it", async () => {
  const store = new MemoryCronStore();
  let opened = 0;
  const ran: string[] = [];
  const infos: string[] = [];
  const wiring = new CronWiring({
    openStore: () => {
      opened += 1;
      return store;
    },
    runner: () => (job) => {
      ran.push(job.id);
      return Promise.resolve({ status: "ok" });
    },
    broadcast: () => {},
    settings: () => ({ enabled: true, skipMissedJobs: false }),
    defaultAgentId: () => "main",
    log: { ...quietLog, info: (message: string) => infos.push(message) },
    storeIsEmpty: () => true,
  });
  await wiring.start();
  assert.equal(opened, 0, "no store opened for an empty state dir");
  const idle = wiring.control!;
  assert.deepEqual(idle.status(), { enabled: true, jobs: 0, nextWakeAtMs: null, running: 0 });
  assert.deepEqual(idle.list(), []);
  assert.equal(idle.get("x"), undefined);
  assert.deepEqual(idle.runs({ limit: 10, offset: 0 }), { entries: [], total: 0 });
  assert.equal(idle.remove("x"), false);
  assert.throws(() => idle.run("x", "force"), CronJobNotFoundError);
  assert.ok(infos.some((line) => line.includes("no jobs")));
  await Promise.all([idle.ready!(), idle.ready!()]);
  assert.equal(opened, 1, "loaded once, by the first add");
  const control = wiring.control!;
  assert.notEqual(control, idle);
  const job = control.add({
    name: "soon",
    enabled: true,
    schedule: { kind: "at", at: new Date(Date.now() + 30).toISOString() },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "hi" },
  });
  const deadline = Date.now() + 5_000;
  while (ran.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(ran, [job.id]);
  assert.equal(control.status().jobs, 1);
  await wiring.stop();
});

Deno.test("CronWiring with jobs in the store loads the scheduler at start", async () => {
  let opened = 0;
  const wiring = new CronWiring({
    openStore: () => {
      opened += 1;
      return new MemoryCronStore();
    },
    runner: () => () => Promise.resolve({ status: "ok" }),
    broadcast: () => {},
    settings: () => ({ enabled: true, skipMissedJobs: false }),
    defaultAgentId: () => "main",
    log: quietLog,
    storeIsEmpty: () => Promise.resolve(false),
  });
  await wiring.start();
  assert.equal(opened, 1);
  assert.equal(wiring.control!.ready, undefined, "the scheduler itself, not the stand-in");
  await wiring.stop();
});

Deno.test("CronWiring: a cron.add sent before start chose (store check still running) waits for it instead of failing", async () => {
  const store = new MemoryCronStore();
  const check = Promise.withResolvers<boolean>();
  const wiring = new CronWiring({
    openStore: () => store,
    runner: () => () => Promise.resolve({ status: "ok" }),
    broadcast: () => {},
    settings: () => ({ enabled: true, skipMissedJobs: false }),
    defaultAgentId: () => "main",
    log: quietLog,
    storeIsEmpty: () => check.promise,
  });
  const starting = wiring.start();
  const early = wiring.control;
  assert.ok(early?.ready, "a stand-in answers while start decides");
  const ready = early.ready();
  check.resolve(true);
  await ready;
  const job = wiring.control!.add({
    name: "early",
    enabled: true,
    schedule: { kind: "every", everyMs: 60_000 },
    sessionTarget: "main",
    wakeMode: "next-heartbeat",
    payload: { kind: "systemEvent", text: "hi" },
  });
  assert.equal(store.jobs.get(job.id)?.name, "early");
  await starting;
  await wiring.stop();
});
