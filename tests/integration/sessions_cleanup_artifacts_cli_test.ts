// `openclaw sessions cleanup` as the binary runs it over the scenes of
// tests/fixtures/sessions/reference_sessions_artifacts.json: the dry run prints the reference's text
// (artifact and budget lines included), the real run removes the files the reference removed, and the
// reference's own dry run over our result finds nothing left to prune.
import assert from "node:assert/strict";
import { runPeer } from "../support/peer.ts";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";
import { listFiles, seedArtifactsScene, seedBudgetScene } from "../support/sessions_artifacts_seed.ts";
import { normalizeText } from "../support/sessions_cleanup_replay.ts";

interface Scene {
  filesAfter: string[];
  dryRunText: { code: number; stdout: string };
  appliedJson: { stdout: Record<string, unknown> };
}

async function recording(): Promise<{ artifacts: Scene; budget: Scene }> {
  const url = new URL("../fixtures/sessions/reference_sessions_artifacts.json", import.meta.url);
  return JSON.parse(await Deno.readTextFile(url));
}

const GATEWAY = { mode: "local", port: 19598, auth: { mode: "token", token: "artifacts-token-0123456789" } };

Deno.test("openclaw sessions cleanup prunes unreferenced artifacts as the reference does", async () => {
  const { artifacts: recorded } = await recording();
  const home = await tempHome({ gateway: GATEWAY });
  try {
    await seedArtifactsScene(home.stateDir, Date.now());
    const dir = `${home.stateDir}/agents/main/sessions`;
    const before = await listFiles(dir);
    const cli = (...args: string[]) => runOpenclaw(["sessions", "cleanup", ...args], { home: home.home });
    const dry = await cli("--dry-run");
    assert.equal(dry.code, recorded.dryRunText.code, dry.stderr);
    assert.equal(
      normalizeText(`${dry.stdout}\n`, home.stateDir),
      normalizeText(recorded.dryRunText.stdout, "<root>/state"),
    );
    assert.deepEqual(await listFiles(dir), before, "a dry run removes nothing");
    const applied = await cli("--json");
    assert.equal(applied.code, 0, applied.stderr);
    assert.deepEqual(
      JSON.parse(applied.stdout).unreferencedArtifacts,
      recorded.appliedJson.stdout.unreferencedArtifacts,
    );
    assert.deepEqual(await listFiles(dir), recorded.filesAfter);
    const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
    const reference = await runPeer(["sessions", "cleanup", "--dry-run", "--json"], where);
    assert.equal(reference.code, 0, reference.stderr);
    const view = JSON.parse(reference.stdout);
    assert.deepEqual([view.unreferencedArtifacts.removedFiles, view.wouldMutate], [0, false]);
  } finally {
    await home.cleanup();
  }
});

Deno.test("openclaw sessions cleanup enforces the disk budget as the reference does", async () => {
  const { budget: recorded } = await recording();
  const home = await tempHome({ gateway: GATEWAY });
  try {
    const { maintenance } = await seedBudgetScene(home.stateDir, Date.now());
    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    await Deno.writeTextFile(home.configPath, JSON.stringify({ ...config, session: { maintenance } }));
    const cli = (...args: string[]) => runOpenclaw(["sessions", "cleanup", ...args], { home: home.home });
    const dry = await cli("--dry-run");
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(
      normalizeText(`${dry.stdout}\n`, home.stateDir),
      normalizeText(recorded.dryRunText.stdout, "<root>/state"),
    );
    const applied = await cli("--json");
    assert.equal(applied.code, 0, applied.stderr);
    const disk = JSON.parse(applied.stdout).diskBudget;
    assert.deepEqual(
      [disk.removedFiles, disk.removedEntries, disk.overBudget],
      [recorded.appliedJson.stdout.diskBudget as Record<string, unknown>].map((d) => [
        d.removedFiles,
        d.removedEntries,
        d.overBudget,
      ])[0],
    );
    assert.ok(disk.totalBytesAfter <= maintenance.highWaterBytes);
    assert.deepEqual(await listFiles(`${home.stateDir}/agents/main/sessions`), recorded.filesAfter);
  } finally {
    await home.cleanup();
  }
});
