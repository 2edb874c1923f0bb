// Replays tests/fixtures/sessions/reference_sessions_artifacts.json in process: the same scenes seeded
// by our SessionStore give the reference's artifact and disk-budget blocks, in the dry run and the real
// run, and leave the sessions directory (and the archive rows) as the reference left them.
import assert from "node:assert/strict";
import { sessionMaintenance } from "../../src/config/session_maintenance.ts";
import { applyCleanup, type CleanupRunOptions, previewCleanup } from "../../src/sessions/cleanup_run.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { agentDbPath } from "../../src/state/agent_db.ts";
import { archiveRows, listFiles, seedArtifactsScene, seedBudgetScene } from "../support/sessions_artifacts_seed.ts";

interface Scene {
  filesBefore: string[];
  filesAfter: string[];
  archiveRowsAfter: { name: string; published: boolean }[];
  dryRunJson: { stdout: Record<string, unknown> };
  appliedJson: { stdout: Record<string, unknown> };
}

async function recording(): Promise<{ artifacts: Scene; budget: Scene }> {
  const url = new URL("../fixtures/sessions/reference_sessions_artifacts.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

function run(maintenance: Record<string, unknown> = {}): CleanupRunOptions {
  return {
    maintenance: sessionMaintenance({ session: { maintenance } } as never),
    mode: "enforce",
    fixMissing: false,
    fixDmScope: false,
    dmScopeMain: true,
  };
}

/** The blocks the scenes are about, with byte totals the database's size makes differ replaced. */
function blocks(summary: Record<string, unknown>, budgetLimits = false) {
  const disk = summary.diskBudget as Record<string, number>;
  return {
    unreferencedArtifacts: summary.unreferencedArtifacts,
    wouldMutate: summary.wouldMutate,
    diskBudget: {
      ...disk,
      totalBytesBefore: "<bytes>",
      totalBytesAfter: "<bytes>",
      freedBytes: (disk.freedBytes ?? 0) > 0 ? "<freed>" : 0,
      ...(budgetLimits ? { maxBytes: "<max>", highWaterBytes: "<high>" } : {}),
    },
  };
}

Deno.test("the recorded artifact pruning replays: dry run counts, the real run removes the same files", async () => {
  const { artifacts: recorded } = await recording();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-artifacts-" });
  const dir = `${stateDir}/agents/main/sessions`;
  try {
    await seedArtifactsScene(stateDir, Date.now());
    assert.deepEqual(await listFiles(dir), recorded.filesBefore);
    const target = { agentId: "main", path: agentDbPath(stateDir, "main") };
    const preview = await previewCleanup(target, run());
    assert.deepEqual(blocks({ ...preview.summary }), blocks(recorded.dryRunJson.stdout));
    assert.deepEqual(await listFiles(dir), recorded.filesBefore, "a dry run removes nothing");
    const store = new SessionStore(stateDir);
    try {
      const { summary } = await applyCleanup(store, target, run());
      assert.deepEqual(blocks({ ...summary }), blocks(recorded.appliedJson.stdout));
    } finally {
      await store.close();
    }
    assert.deepEqual(await listFiles(dir), recorded.filesAfter);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("the recorded disk budget replays: canonical archives, then archive files oldest first, to high water", async () => {
  const { budget: recorded } = await recording();
  const stateDir = await Deno.makeTempDir({ prefix: "oc-budget-" });
  const dir = `${stateDir}/agents/main/sessions`;
  try {
    const { maintenance } = await seedBudgetScene(stateDir, Date.now());
    // Our archive names carry the time of the delete: compare them by session id and reason.
    const shape = (names: string[]) => names.map((n) => n.replace(/\.deleted\.20\d\d-[^/]*\.zst$/, ".deleted.<t>.zst"));
    assert.deepEqual(shape(await listFiles(dir)), shape(recorded.filesBefore));
    const target = { agentId: "main", path: agentDbPath(stateDir, "main") };
    const preview = await previewCleanup(target, run(maintenance));
    assert.deepEqual(blocks({ ...preview.summary }, true), blocks(recorded.dryRunJson.stdout, true));
    assert.equal(preview.summary.diskBudget?.maxBytes, maintenance.maxDiskBytes);
    const store = new SessionStore(stateDir);
    try {
      const { summary } = await applyCleanup(store, target, run(maintenance));
      assert.deepEqual(blocks({ ...summary }, true), blocks(recorded.appliedJson.stdout, true));
      const disk = summary.diskBudget!;
      assert.ok(disk.totalBytesAfter <= maintenance.highWaterBytes, "evicted down to the high water");
      assert.ok(disk.totalBytesBefore > maintenance.maxDiskBytes);
    } finally {
      await store.close();
    }
    assert.deepEqual(await listFiles(dir), recorded.filesAfter);
    assert.deepEqual(archiveRows(stateDir), recorded.archiveRowsAfter);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("the disk budget in warn mode, or under maxDiskBytes, only measures", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-budget-warn-" });
  const dir = `${stateDir}/agents/main/sessions`;
  try {
    const { maintenance } = await seedBudgetScene(stateDir, Date.now());
    const before = await listFiles(dir);
    const target = { agentId: "main", path: agentDbPath(stateDir, "main") };
    const store = new SessionStore(stateDir);
    try {
      const warn = await applyCleanup(store, target, { ...run(maintenance), mode: "warn" });
      assert.equal(warn.summary.diskBudget?.removedFiles, 0);
      assert.equal(warn.summary.diskBudget?.overBudget, true);
      const roomy = await applyCleanup(store, target, run({ maxDiskBytes: maintenance.maxDiskBytes * 2 }));
      assert.equal(roomy.summary.diskBudget?.overBudget, false);
      assert.equal(roomy.summary.wouldMutate, false);
    } finally {
      await store.close();
    }
    assert.deepEqual(await listFiles(dir), before);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
