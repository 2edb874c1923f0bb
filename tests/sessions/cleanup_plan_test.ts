import assert from "node:assert/strict";
import { type CleanupAction, planCleanup, type PlanEntry } from "../../src/sessions/cleanup_plan.ts";
import { sessionMaintenance } from "../../src/config/session_maintenance.ts";
import { loadCleanupRecording } from "../support/sessions_cleanup_replay.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 2);
const DEFAULTS = sessionMaintenance({});

function entries(seeds: [string, number, Record<string, unknown>?][]): PlanEntry[] {
  return seeds.map(([key, ageDays, extra]) => ({
    key,
    entry: { sessionId: crypto.randomUUID(), updatedAt: NOW - ageDays * DAY, ...extra },
  })).toSorted((a, b) => a.key < b.key ? -1 : 1);
}

function actions(plan: ReturnType<typeof planCleanup>): Record<string, CleanupAction> {
  return Object.fromEntries(plan.actions);
}

Deno.test("planCleanup() gives the recording's seeds the reference's actions and counts", async () => {
  const recording = await loadCleanupRecording();
  const plan = planCleanup(entries(recording.seeds), { agentId: "main", maintenance: DEFAULTS, now: NOW });
  assert.deepEqual(actions(plan), {
    "agent:main:dashboard:d-old": "archive-dashboard",
    "agent:main:cron:job1": "prune-stale",
    "agent:main:cron:job1:run:r1": "prune-stale",
    "agent:main:hook:gmail:h1": "prune-stale",
    "agent:main:scratch-old": "archive-age",
    "agent:main:subagent:s1": "prune-stale",
  });
  const recorded = recording.dryRunJson.stdout;
  for (const field of ["missing", "dmScopeRetired", "modelRunPruned", "archived", "capArchived", "pruned", "capped"]) {
    assert.equal(plan.counts[field as keyof typeof plan.counts], recorded[field], field);
  }
  assert.equal(plan.beforeCount, recorded.beforeCount);
  assert.equal(plan.afterCount, recorded.afterCount);
});

const CASES: { name: string; seed: [string, number, Record<string, unknown>?]; action: CleanupAction | undefined }[] = [
  { name: "a stale acp session goes", seed: ["agent:main:acp:x1", 40], action: "prune-stale" },
  { name: "a stale node session goes", seed: ["agent:main:node:phone", 40], action: "prune-stale" },
  { name: "a stale heartbeat session goes", seed: ["agent:main:heartbeat", 40], action: "prune-stale" },
  { name: "a bare cron: key is no agent's cron session (archived)", seed: ["cron:job", 40], action: "archive-age" },
  { name: "a bare subagent: key is synthetic", seed: ["subagent:x", 40], action: "prune-stale" },
  { name: "a stale ordinary session is archived", seed: ["agent:main:notes", 31], action: "archive-age" },
  { name: "a 29-day-old ordinary session stays", seed: ["agent:main:notes", 29], action: undefined },
  { name: "the main session stays", seed: ["agent:main:main", 400], action: undefined },
  { name: "global stays", seed: ["global", 400], action: undefined },
  { name: "a thread stays", seed: ["agent:main:notes:thread:7", 400], action: undefined },
  { name: "a group chat key stays", seed: ["agent:main:discord:group:123", 400], action: undefined },
  { name: "a direct chat key stays", seed: ["agent:main:direct:bob", 400], action: undefined },
  {
    name: "a session on an external route stays",
    seed: ["agent:main:notes", 400, { delivery: { kind: "external" } }],
    action: undefined,
  },
  { name: "a group chatType stays", seed: ["agent:main:notes", 400, { chatType: "group" }], action: undefined },
  { name: "a pinned session stays", seed: ["agent:main:notes", 400, { pinnedAt: 1 }], action: undefined },
  {
    name: "a pinned subagent goes (it is not pinnable)",
    seed: ["agent:main:subagent:s2", 400, { pinnedAt: 1 }],
    action: "prune-stale",
  },
  {
    name: "a model-locked session stays",
    seed: ["agent:main:notes", 400, { modelSelectionLocked: true }],
    action: undefined,
  },
  { name: "a running cron session stays", seed: ["agent:main:cron:j", 400, { status: "running" }], action: undefined },
  { name: "an archived session stays", seed: ["agent:main:hook:x", 400, { archivedAt: 5 }], action: undefined },
  {
    name: "a stale dashboard is archived as a dashboard",
    seed: ["agent:main:dashboard:z", 40],
    action: "archive-dashboard",
  },
  { name: "a 6-day-old dashboard stays", seed: ["agent:main:dashboard:z", 6], action: undefined },
  {
    name: "a stale model-run probe under the cap stays",
    seed: [
      "agent:main:explicit:model-run-0b9e6f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
      3,
    ],
    action: undefined,
  },
];

for (const c of CASES) {
  Deno.test(`planCleanup(): ${c.name}`, () => {
    const plan = planCleanup(entries([c.seed]), { agentId: "main", maintenance: DEFAULTS, now: NOW });
    assert.equal(plan.actions.get(c.seed[0]), c.action);
    const removed = c.action === "prune-stale" ? 1 : 0;
    assert.equal(plan.afterCount, 1 - removed);
  });
}

Deno.test("planCleanup() protects --active-key", () => {
  const plan = planCleanup(entries([["agent:main:hook:a", 40], ["agent:main:notes", 40]]), {
    agentId: "main",
    maintenance: DEFAULTS,
    now: NOW,
    activeKey: "Agent:Main:Notes",
  });
  assert.deepEqual(actions(plan), { "agent:main:hook:a": "prune-stale" });
});

Deno.test("planCleanup() over maxEntries prunes model-run probes, then archives or removes the least active", () => {
  const probe = "agent:main:explicit:model-run-0b9e6f0e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
  const plan = planCleanup(
    entries([[probe, 3], ["agent:main:a", 5], ["agent:main:b", 4], ["agent:main:hook:c", 6], ["agent:main:d", 1]]),
    { agentId: "main", maintenance: { ...DEFAULTS, maxEntries: 2 }, now: NOW },
  );
  assert.deepEqual(actions(plan), {
    [probe]: "prune-model-run",
    "agent:main:hook:c": "cap-overflow",
    "agent:main:a": "archive-cap",
  });
  assert.deepEqual(plan.counts, {
    missing: 0,
    dmScopeRetired: 0,
    modelRunPruned: 1,
    archived: 0,
    capArchived: 1,
    pruned: 0,
    capped: 1,
  });
  assert.equal(plan.afterCount, 3);
});

Deno.test("planCleanup() --fix-missing removes message-free sessions, --fix-dm-scope per-peer DMs", () => {
  const plan = planCleanup(
    entries([["agent:main:empty", 1], ["agent:main:full", 1], ["agent:main:telegram:direct:42", 1]]),
    {
      agentId: "main",
      maintenance: DEFAULTS,
      now: NOW,
      fixMissing: { messageFree: new Set(["agent:main:empty"]) },
      fixDmScope: { dmScopeMain: true },
    },
  );
  assert.deepEqual(actions(plan), {
    "agent:main:empty": "prune-missing",
    "agent:main:telegram:direct:42": "retire-dm-scope",
  });
  assert.equal(plan.counts.missing, 1);
  assert.equal(plan.counts.dmScopeRetired, 1);
  const notMain = planCleanup(entries([["agent:main:telegram:direct:42", 1]]), {
    agentId: "main",
    maintenance: DEFAULTS,
    now: NOW,
    fixDmScope: { dmScopeMain: false },
  });
  assert.equal(notMain.actions.size, 0);
});

Deno.test("sessionMaintenance() reads session.maintenance as the reference does, defaults filled in", () => {
  assert.deepEqual(DEFAULTS, {
    mode: "enforce",
    pruneAfterMs: 30 * DAY,
    archiveDashboardAfterMs: 7 * DAY,
    maxEntries: 5000,
    modelRunPruneAfterMs: DAY,
    preserveRecentMs: null,
    resetArchiveRetentionMs: null,
    maxDiskBytes: 10 * 1024 ** 3,
    highWaterBytes: 8 * 1024 ** 3,
  });
  const set = sessionMaintenance({
    session: {
      maintenance: {
        mode: "warn",
        pruneAfter: "12h",
        archiveDashboardAfter: false,
        maxEntries: 10,
        maxDiskBytes: "1gb",
        highWaterBytes: "2gb",
      },
    },
  } as never);
  assert.equal(set.mode, "warn");
  assert.equal(set.pruneAfterMs, 12 * 3_600_000);
  assert.equal(set.archiveDashboardAfterMs, null);
  assert.equal(set.maxEntries, 10);
  assert.equal(set.maxDiskBytes, 1024 ** 3);
  assert.equal(set.highWaterBytes, 1024 ** 3, "the high water is capped at the budget");
  assert.equal(
    sessionMaintenance({ session: { maintenance: { pruneAfter: "soon" } } } as never).pruneAfterMs,
    30 * DAY,
  );
});
