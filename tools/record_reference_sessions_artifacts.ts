// Re-records tests/fixtures/sessions/reference_sessions_artifacts.json: what the reference OpenClaw
// 2026.9.6's `openclaw sessions cleanup` (no gateway running) removes from an agent's sessions directory.
// Two scenes over a state dir our SessionStore seeded:
// - `artifacts`: default maintenance; the sessions directory holds one file of each kind its artifact
//   rules tell apart (names and ages in days in `files`): which are unreferenced artifacts, which stay.
// - `budget`: `session.maintenance.maxDiskBytes` just under what the directory and database measure and
//   `highWaterBytes` 250 000 bytes below that: which retained archives (two canonical ones our delete
//   published, four legacy archive files) it removes, in which order, and what it prints.
// Each scene records `--dry-run --json`, `--dry-run`, `--json` and the files left.
//
//   deno run -A tools/record_reference_sessions_artifacts.ts
import { type PeerHome, runPeer } from "../tests/support/peer.ts";
import {
  archiveRows,
  ARTIFACT_FILES,
  BUDGET_FILES,
  listFiles,
  seedArtifactsScene,
  seedBudgetScene,
} from "../tests/support/sessions_artifacts_seed.ts";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function scene(
  name: string,
  maintenance: Record<string, unknown>,
  seed: (where: PeerHome, now: number) => Promise<Record<string, unknown>>,
) {
  const root = await Deno.makeTempDir({ prefix: `oc-ref-${name}-` });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  const now = Date.now();
  try {
    const seeded = await seed(where, now);
    await Deno.writeTextFile(
      where.configPath,
      JSON.stringify({
        gateway: { mode: "local", port: 19598, auth: { mode: "token", token: "artifacts-token-0123456789" } },
        models: { catalogRefresh: { enabled: false } },
        update: { checkOnStart: false },
        ...(Object.keys(maintenance).length ? { session: { maintenance } } : {}),
        ...(seeded.maintenance ? { session: { maintenance: seeded.maintenance } } : {}),
      }),
    );
    const dir = `${where.stateDir}/agents/main/sessions`;
    const redact = (text: string) => text.replaceAll(root, "<root>");
    const run = async (args: string[]) => {
      const out = await runPeer(["sessions", "cleanup", ...args], where, { COLUMNS: "160" });
      say(`${name}: sessions cleanup ${args.join(" ")}: exit ${out.code}`);
      return { code: out.code, stdout: redact(out.stdout), stderr: redact(out.stderr) };
    };
    const filesBefore = await listFiles(dir);
    const dryJson = await run(["--dry-run", "--json"]);
    const dryText = await run(["--dry-run"]);
    const applied = await run(["--json"]);
    return {
      ...seeded,
      filesBefore,
      dryRunJson: { ...dryJson, stdout: JSON.parse(dryJson.stdout) },
      dryRunText: dryText,
      appliedJson: { ...applied, stdout: applied.code === 0 ? JSON.parse(applied.stdout) : applied.stdout },
      filesAfter: await listFiles(dir),
      archiveRowsAfter: archiveRows(where.stateDir),
    };
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

async function main(): Promise<void> {
  const artifacts = await scene("artifacts", {}, async (where, now) => {
    await seedArtifactsScene(where.stateDir, now);
    return { files: ARTIFACT_FILES };
  });
  const budget = await scene("budget", {}, async (where, now) => {
    const seeded = await seedBudgetScene(where.stateDir, now);
    return { files: BUDGET_FILES, ...seeded, archiveRowsBefore: archiveRows(where.stateDir) };
  });
  const fixture = {
    recorded: "OpenClaw 2026.9.6 CLI, no gateway running, by tools/record_reference_sessions_artifacts.ts; " +
      "file ages in days in each scene's `files`; paths under the temp root shown as <root>.",
    artifacts,
    budget,
  };
  const out = new URL("../tests/fixtures/sessions/reference_sessions_artifacts.json", import.meta.url);
  await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
}

if (import.meta.main) await main();
