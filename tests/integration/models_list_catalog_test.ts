// `openclaw models list` and `models set` on the built-in providers' static catalog, run as the binary
// runs after our own onboard, against the reference OpenClaw 2026.9.6's recorded runs after its own
// (tests/fixtures/credentials/models_status/status_cases.json `list`, tests/fixtures/model_catalog/).
// Stated difference (docs/compatibility.md): the reference's `claude-cli/…` rows (its Claude CLI
// runtime, not served here) are dropped from its output before comparing.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { onboardApiKeyArgs } from "../support/auth_profile_store.ts";
import { ensureFreshBundle, runOpenclaw } from "../support/spawn_gateway.ts";

interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
  modelsAfter?: unknown;
}
interface Case {
  env?: Record<string, string>;
  config: unknown;
  runs: Run[];
}

const STATUS = new URL("../fixtures/credentials/models_status/status_cases.json", import.meta.url);
const CATALOG = new URL("../fixtures/model_catalog/list_cases.json", import.meta.url);
const LIST_CASE: Case = JSON.parse(await Deno.readTextFile(STATUS)).cases.list;
const CASES: Record<string, Case> = JSON.parse(await Deno.readTextFile(CATALOG)).cases;

// runOpenclaw joins output lines with "\n": the last newline of each stream is the only difference.
const lines = (text: string) => text.replace(/\n$/, "");

/** The reference's output without its Claude CLI rows: table/plain lines, or the JSON rows and count. */
function withoutClaudeCli(stdout: string): string {
  const trimmed = stdout.trimStart();
  if (trimmed.startsWith("{")) {
    const parsed = JSON.parse(stdout) as { count: number; models: { key: string }[] };
    const models = parsed.models.filter((m) => !m.key.startsWith("claude-cli/"));
    return `${JSON.stringify({ count: models.length, models }, null, 2)}\n`;
  }
  const kept = stdout.split("\n").filter((line) => !line.startsWith("claude-cli/"));
  // A table left with its header only is the reference's empty answer.
  return kept.length === 2 && kept[0]!.startsWith("Model ") && kept[1] === "" ? "No models found.\n" : kept.join("\n");
}

/** A root laid out as the recordings' (`<ROOT>/home`, `<ROOT>/state`, `<ROOT>/openclaw.json`), onboarded by ours. */
async function onboarded(config: unknown) {
  const root = await Deno.makeTempDir({ prefix: "oc-models-catalog-" });
  await Deno.mkdir(`${root}/home`);
  const base = { OPENCLAW_STATE_DIR: `${root}/state`, OPENCLAW_CONFIG_PATH: `${root}/openclaw.json` };
  const run = async (args: string[], env: Record<string, string> = {}) => ({
    args,
    ...(await runOpenclaw(args, { home: `${root}/home`, env: { ...base, ...env } })),
  });
  const onboard = await run(onboardApiKeyArgs("sk-ant-stored-one"));
  assert.equal(onboard.code, 0, onboard.stderr);
  await Deno.writeTextFile(`${root}/openclaw.json`, JSON.stringify(config).replaceAll("<ROOT>", root));
  return { root, run };
}

Deno.test("models list after our onboard prints the reference's recorded list (text, --json, --all --json) without claude-cli rows", async () => {
  ensureFreshBundle();
  const { root, run } = await onboarded(LIST_CASE.config);
  try {
    for (const expected of LIST_CASE.runs) {
      const ours = await run(expected.args);
      const label = `openclaw ${expected.args.join(" ")}`;
      assert.equal(ours.code, expected.code, `${label} exit code`);
      assert.equal(ours.stdout, lines(withoutClaudeCli(expected.stdout)), label);
      assert.equal(ours.stderr, lines(expected.stderr), `${label} stderr`);
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("models list prints the reference's forms, named models and keyless rows (recorded forms, mapped, nokey)", async () => {
  ensureFreshBundle();
  for (const name of ["forms", "mapped", "nokey"]) {
    const recorded = CASES[name]!;
    const { root, run } = await onboarded(recorded.config);
    try {
      if (name === "nokey") {
        const db = new DatabaseSync(`${root}/state/state/openclaw.sqlite`);
        db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = 'authProfiles.store'")
          .run(JSON.stringify({ version: 1, profiles: {} }));
        db.close();
      }
      for (const expected of recorded.runs) {
        const ours = await run(expected.args, recorded.env);
        const label = `${name}: openclaw ${expected.args.join(" ")}`;
        assert.equal(ours.code, expected.code, `${label} exit code`);
        assert.equal(ours.stdout, lines(withoutClaudeCli(expected.stdout)), label);
        assert.equal(ours.stderr, lines(expected.stderr), `${label} stderr`);
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
});

Deno.test("models set resolves sonnet, haiku, opus-5.5, anthropic/fable, gpt, gpt-nano as the reference did (recorded set, openai)", async () => {
  ensureFreshBundle();
  for (const name of ["set", "openai"]) {
    await replaySelections(name, CASES[name]!);
  }
});

/** Runs a recorded case's commands in turn: each stdout after the reference's doctor boxes, its warnings, the config. */
async function replaySelections(name: string, recorded: Case): Promise<void> {
  const { root, run } = await onboarded(recorded.config);
  try {
    for (const expected of recorded.runs) {
      const ours = await run(expected.args, recorded.env);
      const label = `${name}: openclaw ${expected.args.join(" ")}`;
      assert.equal(ours.code, expected.code, `${label} exit code`);
      // The reference's own stdout also carries its doctor's boxes about its codex plugin (not
      // reachable offline): ours is compared with what follows them.
      const tail = expected.stdout.slice(Math.max(0, expected.stdout.indexOf("Updated config:")));
      assert.equal(ours.stdout, lines(withoutClaudeCli(tail)).replaceAll("<ROOT>", root), label);
      // Our warning is the reference's line (its stderr also has the codex install failure).
      for (const line of ours.stderr.split("\n").filter(Boolean)) {
        assert.ok(expected.stderr.includes(line.replaceAll(root, "<ROOT>")), `${label} stderr line: ${line}`);
      }
      if (expected.modelsAfter) {
        const config = JSON.parse((await Deno.readTextFile(`${root}/openclaw.json`)).replaceAll(root, "<ROOT>"));
        assert.deepEqual(
          { model: config.agents.defaults.model, models: config.agents.defaults.models },
          expected.modelsAfter,
          `${label} config`,
        );
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}
