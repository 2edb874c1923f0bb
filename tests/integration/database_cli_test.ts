// `openclaw database …` run as the binary runs, on the state dirs tools/record_database_cli.ts recorded
// the reference 2026.9.6 on (tests/support/database_cli_cases.ts builds them alike), compared command
// by command with the recordings: exit code, stdout and stderr, with the root as `<root>`.
import assert from "node:assert/strict";
import {
  backupCopy,
  DATABASE_CLI_FIXTURE,
  DATABASE_SCENARIOS,
  type DatabaseOutcome,
  type DatabaseRecording,
  type DatabaseScenario,
  normalizeOutput,
  prepareState,
  rebuildFromDump,
  REFERENCE_STATE_DUMP,
  type SchemaDump,
  withRoot,
} from "../support/database_cli_cases.ts";
import { runOpenclaw, startGateway } from "../support/spawn_gateway.ts";

const RECORDING: DatabaseRecording = JSON.parse(Deno.readTextFileSync(DATABASE_CLI_FIXTURE));

/**
 * Where this gateway differs on purpose (docs/compatibility.md): the reference's `--help` opens with its
 * version banner and tagline, and its refusal of a newer agent schema names its build and install path.
 */
function comparable(text: string): string {
  return text.replace(/^\nOpenClaw \S+ \([0-9a-f]+\) — .*\n\n/, "").replace(
    /Refused by .*?\.(?=\\n|\n)/g,
    "Refused by <build>.",
  )
    .trimEnd();
}

/** Builds the scenario's state dir; returns what must stay open while its commands run. */
async function prepare(root: string, scenario: DatabaseScenario): Promise<{ close(): void }> {
  prepareState(root, scenario.state);
  if (scenario.state === "reference-gateway") {
    const dump: SchemaDump = JSON.parse(await Deno.readTextFile(REFERENCE_STATE_DUMP));
    const live = `${root}/state/state/openclaw.sqlite`;
    // An open connection keeps the WAL and shared-memory files a stopped reference gateway leaves.
    const db = rebuildFromDump(live, dump);
    backupCopy(live, root);
    return db;
  }
  if (scenario.state === "our-gateway") {
    const stateDir = `${root}/state`;
    await Deno.writeTextFile(
      `${stateDir}/openclaw.json`,
      JSON.stringify({ gateway: { mode: "local", auth: { mode: "token", token: "db-test-token" } } }),
    );
    const { proc } = await startGateway({
      home: `${root}/home`,
      env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: `${stateDir}/openclaw.json` },
    });
    await proc.stop();
  }
  return { close() {} };
}

for (const scenario of DATABASE_SCENARIOS) {
  const recorded = RECORDING.scenarios[scenario.name];
  if (!recorded) continue;
  Deno.test(`openclaw database answers as the reference did on a state dir that is ${scenario.name}`, async () => {
    const root = await Deno.makeTempDir({ prefix: "oc-database-" });
    const held = await prepare(root, scenario);
    try {
      for (const command of scenario.commands) {
        const expected: DatabaseOutcome | undefined = recorded.commands[command.name];
        assert.ok(expected, `no recording for ${scenario.name}/${command.name}: run tools/record_database_cli.ts`);
        const out = await runOpenclaw(withRoot(command.args, root), {
          home: `${root}/home`,
          env: {
            OPENCLAW_STATE_DIR: `${root}/state`,
            OPENCLAW_CONFIG_PATH: `${root}/state/openclaw.json`,
            ...command.env,
          },
        });
        const label = `${scenario.name}/${command.name}: openclaw ${command.args.join(" ")}`;
        assert.equal(comparable(normalizeOutput(out.stdout, root)), comparable(expected.stdout), `${label} stdout`);
        assert.equal(comparable(normalizeOutput(out.stderr, root)), comparable(expected.stderr), `${label} stderr`);
        assert.equal(out.code, expected.code, `${label} exit code`);
      }
    } finally {
      held.close();
      await Deno.remove(root, { recursive: true });
    }
  });
}
