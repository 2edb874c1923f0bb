import assert from "node:assert/strict";
import { addParams, parseAt } from "../../../src/cli/commands/cron_params.ts";
import { editPatch } from "../../../src/cli/commands/cron_edit_params.ts";
import {
  cronListText,
  formatExactDuration,
  formatSchedule,
  parseDurationMs,
} from "../../../src/cli/commands/cron_format.ts";

const NOW = Date.parse("2026-11-30T12:00:00Z");
const noCli = { nowMs: NOW, sessionFromCli: false, channelFromCli: false };

Deno.test("openclaw cron add sends what the reference CLI sends", () => {
  // Recorded from the reference CLI: `cron add --name t1 --every 10m --system-event hello`.
  assert.deepEqual(
    JSON.parse(JSON.stringify(addParams({}, { name: "t1", every: "10m", systemEvent: "hello" }, noCli))),
    {
      name: "t1",
      enabled: true,
      schedule: { kind: "every", everyMs: 600000 },
      sessionTarget: "main",
      wakeMode: "now",
      payload: { kind: "systemEvent", text: "hello" },
    },
  );
  // `cron add --name t2 --cron "0 7 * * *" --tz America/Los_Angeles --message Summarize --announce --channel telegram --to 123`.
  const t2 = addParams({}, {
    name: "t2",
    cron: "0 7 * * *",
    tz: "America/Los_Angeles",
    message: "Summarize",
    announce: true,
    channel: "telegram",
    to: "123",
  }, { ...noCli, channelFromCli: true });
  assert.deepEqual(JSON.parse(JSON.stringify(t2)), {
    name: "t2",
    enabled: true,
    schedule: { kind: "cron", expr: "0 7 * * *", tz: "America/Los_Angeles" },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "Summarize" },
    delivery: { mode: "announce", channel: "telegram", to: "123" },
  });
  const positional = addParams({ first: "every 1h", second: "Check mail" }, { name: "mail" }, noCli);
  assert.deepEqual(positional.schedule, { kind: "every", everyMs: 3600000 });
  assert.deepEqual(addParams({ first: "20m" }, { name: "x", systemEvent: "y" }, noCli).schedule, {
    kind: "at",
    at: "2026-11-30T12:20:00.000Z",
  });
});

Deno.test("openclaw cron add refuses what the reference refuses, in its words", () => {
  assert.throws(() => addParams({ first: "20m", second: "Remind me" }, {}, noCli), {
    message: "Cron job name is required. Pass a name or --name <name>.",
  });
  assert.throws(() => addParams({}, { name: "x", every: "10m", systemEvent: "hi", announce: true }, noCli), {
    message: "--announce/--no-deliver require a non-main agentTurn, command, or script session target.",
  });
  assert.throws(() => addParams({}, { name: "x", every: "soon", systemEvent: "hi" }, noCli), {
    message: "Invalid --every. Use a duration like 10m, 1h, or 1d.",
  });
  assert.throws(() => addParams({}, { name: "x", every: "1m", systemEvent: "a", message: "b" }, noCli), {
    message: "Choose exactly one payload: --system-event, --message, --command, or --script",
  });
});

Deno.test("openclaw cron edit builds the reference's patch", () => {
  assert.deepEqual(editPatch({ name: "t1b", every: "5m" }, NOW), {
    name: "t1b",
    schedule: { kind: "every", everyMs: 300000 },
  });
  assert.deepEqual(editPatch({ clearModel: true, to: "#b", announce: true }, NOW), {
    payload: { kind: "agentTurn", model: null },
    delivery: { mode: "announce", to: "#b" },
  });
  assert.throws(() => editPatch({ enable: true, disable: true }, NOW), {
    message: "Choose --enable or --disable, not both",
  });
});

Deno.test("durations and schedules read and print as the reference CLI shows them", () => {
  assert.equal(parseDurationMs("1h30m"), 5400000);
  assert.equal(parseDurationMs("90s"), 90000);
  assert.equal(parseDurationMs("abc"), null);
  assert.equal(formatExactDuration(90000), "1m 30s");
  assert.equal(formatExactDuration(1001), "1s 1ms");
  assert.equal(formatSchedule({ kind: "cron", expr: "0 * * * *" }), "cron 0 * * * * (stagger 5m)");
  assert.equal(formatSchedule({ kind: "cron", expr: "0 3 * * *" }), "cron 0 3 * * * (exact)");
  assert.equal(parseAt("2026-12-01T08:00", NOW), "2026-12-01T08:00:00.000Z");
  assert.equal(cronListText([], {}, NOW), "No automations.");
});

Deno.test("--at without an offset is wall time in --tz, as the reference CLI reads it", () => {
  assert.equal(parseAt("2026-12-01T09:00", NOW, "Europe/Paris"), "2026-12-01T08:00:00.000Z");
  assert.equal(parseAt("2026-07-01T09:00:30", NOW, "America/New_York"), "2026-07-01T13:00:30.000Z");
  assert.equal(parseAt("2026-12-02", NOW, "Asia/Tokyo"), "2026-12-01T15:00:00.000Z");
  // A time the clocks skip does not exist; one they repeat is its first occurrence.
  assert.equal(parseAt("2026-03-29T02:30", NOW, "Europe/Paris"), null);
  assert.equal(parseAt("2026-10-25T02:30", NOW, "Europe/Paris"), "2026-10-25T00:30:00.000Z");
  assert.equal(parseAt("2026-12-01T09:00", NOW, "Mars/Base"), null);
  // An explicit offset wins over --tz.
  assert.equal(parseAt("2026-12-01T09:00+01:00", NOW, "Asia/Tokyo"), "2026-12-01T08:00:00.000Z");
  const params = addParams({}, { name: "x", at: "2026-12-01T09:00", tz: "Europe/Paris", systemEvent: "hi" }, {
    nowMs: NOW,
    sessionFromCli: false,
    channelFromCli: false,
  });
  assert.deepEqual(params.schedule, { kind: "at", at: "2026-12-01T08:00:00.000Z" });
});

Deno.test("--at refuses a date the calendar does not have instead of rolling it over, as the reference", () => {
  assert.equal(parseAt("2026-02-31T10:00", NOW), null);
  assert.equal(parseAt("2026-02-29T10:00Z", NOW), null);
  assert.equal(parseAt("2026-12-01T24:30", NOW), null);
  assert.equal(parseAt("2026-12-01T24:00", NOW), "2026-12-02T00:00:00.000Z");
  assert.equal(parseAt("2028-02-29", NOW), "2028-02-29T00:00:00.000Z");
});
