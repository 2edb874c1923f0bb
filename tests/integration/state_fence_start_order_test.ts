// Which refusal `gateway run` gives, run as the binary runs, when the ownership fence and another start
// refusal apply at once (a config for a remote gateway, a non-loopback bind without auth, another gateway
// holding the state dir, an invalid config), replayed against what the reference 2026.9.6 gave
// (tools/record_state_fence_start.ts): unsupervised both apply, under OPENCLAW_SUPERVISOR_MODE=external only
// the other one. Nothing binds beyond loopback: the non-loopback case is refused before anything listens.
import assert from "node:assert/strict";
import { prepareState } from "../support/database_cli_cases.ts";
import { freePort, spawnOpenclaw } from "../support/spawn_gateway.ts";
import { fenceConfig, fileDigest, supervisionEnv } from "../support/state_fence_cases.ts";
import { asOurBindRefusal } from "../support/start_refusal_cases.ts";
import {
  FENCE_START_CASES,
  FENCE_START_FIXTURE,
  type FenceStartOutcome,
  type FenceStartRecording,
  normalizeStartOutput,
  startOutcomeKey,
} from "../support/state_fence_start_cases.ts";

const RECORDING: FenceStartRecording = JSON.parse(Deno.readTextFileSync(FENCE_START_FIXTURE));
const FENCE = /is externally supervised by other-host-supervisor/;
/** The log lines' time prefix (the reference's and ours), dropped before lines are compared. */
const STAMP = /^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d /;

/** The refusal an output gives: its failure line ("Gateway failed to start: ..." or the refusal itself). */
function refusalOf(stderr: string): string {
  const lines = stderr.split("\n").map((line) => asOurBindRefusal(line.replace(STAMP, "")));
  return lines.find((line) => /^(Gateway failed to start|Gateway start blocked|refusing to bind)/.test(line)) ?? "";
}

/**
 * How a case is compared: word for word (the bind refusal as this gateway words it, the runbook's signature), but
 * where the reference gave another gateway's lock refusal alone:
 * by exit code and by ours not being the fence's. Those words differ (docs/compatibility.md): the reference's
 * lifecycle coordinator ("Doctor could not enter maintenance ...") where ours says "gateway already running (pid N)".
 */
function compared(name: string, expected: FenceStartOutcome): "words" | "not-fence" {
  return FENCE.test(expected.stderr) || name !== "locked" ? "words" : "not-fence";
}

for (const which of FENCE_START_CASES) {
  for (const supervision of ["unsupervised", "external"] as const) {
    const key = startOutcomeKey(which.name, supervision);
    const expected = RECORDING.cases[key];
    if (!expected) continue;
    const how = compared(which.name, expected);
    Deno.test(`state fence start order: ${key} on a claimed state database refuses as the reference did (${how})`, async () => {
      const root = await Deno.makeTempDir({ prefix: "oc-fence-start-" });
      const stateDir = prepareState(root, "claimed");
      const port = freePort();
      const configPath = `${stateDir}/openclaw.json`;
      const options = (env: Record<string, string>) => ({
        home: `${root}/home`,
        env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: configPath, ...env },
      });
      let holder: Awaited<ReturnType<typeof spawnOpenclaw>> | undefined;
      try {
        if (which.holder) {
          await Deno.writeTextFile(configPath, JSON.stringify(fenceConfig(port)));
          holder = await spawnOpenclaw(["gateway", "run"], options(supervisionEnv("external")));
          await holder.waitForLine(/listening on ws:\/\//, 30_000);
        }
        await Deno.writeTextFile(configPath, JSON.stringify(which.config(port)));
        const database = `${stateDir}/state/openclaw.sqlite`;
        const before = await fileDigest(database);
        const proc = await spawnOpenclaw(["gateway", "run"], options(supervisionEnv(supervision)));
        const code = await proc.exited(30_000);
        const stderr = normalizeStartOutput(proc.stderr.join("\n"), root, port, holder?.child.pid);
        const label = `${key}: ours exit ${code}\n${stderr}`;
        assert.equal(code, expected.code, label);
        if (how === "words") assert.equal(refusalOf(stderr), refusalOf(expected.stderr), label);
        else assert.ok(!FENCE.test(stderr) && refusalOf(stderr) !== "", label);
        // A refused start writes nothing to a database another manager owns (a holder's writes aside).
        if (!holder) assert.equal(before, await fileDigest(database), `${label}: database`);
      } finally {
        if (holder) assert.equal(await holder.stop(), 0);
        await Deno.remove(root, { recursive: true }).catch(() => {});
      }
    });
  }
}
