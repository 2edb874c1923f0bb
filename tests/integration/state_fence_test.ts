// The shared-state ownership fence, run as the binary runs: `gateway run` and a few CLI commands on a state
// dir whose state database another manager claimed (or whose claim row does not parse), without and with
// OPENCLAW_SUPERVISOR_MODE=external, replayed against what the reference 2026.9.6 did
// (tools/record_state_fence.ts): words, exit codes, and a database left byte for byte as it was when refused.
import assert from "node:assert/strict";
import { prepareState } from "../support/database_cli_cases.ts";
import { freePort, runOpenclaw, spawnOpenclaw } from "../support/spawn_gateway.ts";
import {
  FENCE_COMMANDS,
  FENCE_STATES,
  type FenceCommand,
  fenceConfig,
  type FenceOutcome,
  type FenceRecording,
  fileDigest,
  normalizeFenceOutput,
  outcomeKey,
  STATE_FENCE_FIXTURE,
  type Supervision,
  supervisionEnv,
} from "../support/state_fence_cases.ts";

const RECORDING: FenceRecording = JSON.parse(Deno.readTextFileSync(STATE_FENCE_FIXTURE));

/** What our program did for one command. */
interface Ours {
  started: boolean;
  code: number;
  stdout: string;
  stderr: string;
  databaseUnchanged: boolean;
}

/**
 * Where this gateway differs on purpose (docs/compatibility.md): the reference refuses `tasks list` and
 * `agents list` too, because it writes shared state before every such command (a task registry restore, a
 * config-health record); here they only read, so they work under a claim. A command the reference ran
 * (a setup code, an agent added) prints values of its own run, so only its exit code is compared.
 */
function compared(command: FenceCommand, expected: FenceOutcome): "words" | "reads-work" | "exit-code" {
  if (command.kind === "read" && expected.code !== 0 && ["tasks-list", "agents-list"].includes(command.name)) {
    return "reads-work";
  }
  if (command.kind === "write" && expected.code === 0) return "exit-code";
  return "words";
}

async function runOurs(command: FenceCommand, supervision: Supervision, root: string, port: number): Promise<Ours> {
  const stateDir = `${root}/state`;
  const database = `${stateDir}/state/openclaw.sqlite`;
  const before = await fileDigest(database);
  const options = {
    home: `${root}/home`,
    env: {
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: `${stateDir}/openclaw.json`,
      ...supervisionEnv(supervision),
    },
  };
  const args = command.args.map((arg) => arg.replaceAll("<root>", root));
  let started = false;
  let code: number;
  let stdout: string;
  let stderr: string;
  if (command.kind === "gateway") {
    const proc = await spawnOpenclaw(args, options);
    // Our own signals: the listening line, or the process ending first (a refused start).
    started = await proc.waitForLine(/listening on ws:\/\//, 30_000).then(() => true, () => false);
    code = started ? await proc.stop() : await proc.exited();
    stdout = proc.stdout.join("\n");
    stderr = proc.stderr.join("\n");
  } else {
    ({ code, stdout, stderr } = await runOpenclaw(args, options));
  }
  return {
    started,
    code,
    stdout: normalizeFenceOutput(stdout, root, port).trimEnd(),
    stderr: normalizeFenceOutput(stderr, root, port).trimEnd(),
    databaseUnchanged: before === await fileDigest(database),
  };
}

for (const state of FENCE_STATES) {
  for (const command of FENCE_COMMANDS) {
    for (const supervision of ["unsupervised", "external"] as const) {
      const expected = RECORDING.scenarios[state][outcomeKey(command, supervision)];
      if (!expected) continue;
      const how = compared(command, expected);
      Deno.test(`state fence: ${command.args.slice(0, 2).join(" ")} (${command.name}) ${supervision} on a ${state} state database answers as the reference did (${how})`, async () => {
        const root = await Deno.makeTempDir({ prefix: "oc-fence-" });
        try {
          const stateDir = prepareState(root, state);
          const port = freePort();
          await Deno.writeTextFile(`${stateDir}/openclaw.json`, JSON.stringify(fenceConfig(port)));
          const ours = await runOurs(command, supervision, root, port);
          const label = `${state}/${outcomeKey(command, supervision)}: ours ${JSON.stringify(ours)}`;
          if (how === "reads-work") {
            assert.equal(ours.code, 0, label);
            assert.ok(ours.databaseUnchanged, `${label}: a read leaves the database as it was`);
            return;
          }
          assert.equal(ours.code, expected.code, `${label}: exit code`);
          if (command.kind === "gateway") assert.equal(ours.started, expected.started, `${label}: started`);
          if (how === "words" && !expected.started) {
            assert.equal(ours.stdout, expected.stdout.trimEnd(), `${label}: stdout`);
            assert.equal(ours.stderr, expected.stderr.trimEnd(), `${label}: stderr`);
          }
          // A refusal writes nothing, as the reference's wrote nothing.
          if (expected.code !== 0 && expected.databaseUnchanged) {
            assert.ok(ours.databaseUnchanged, `${label}: database`);
          }
        } finally {
          await Deno.remove(root, { recursive: true }).catch(() => {});
        }
      });
    }
  }
}
