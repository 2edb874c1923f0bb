// `openclaw models status` after onboard stored an Anthropic key, run as the binary runs, against
// the reference OpenClaw 2026.9.6's recorded runs (tests/fixtures/credentials/models_status/): the
// same text and --json after our own onboard, and on the recorded variations (key from the
// environment, both, a configured key, no key, a token profile, a damaged store row).
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { requirePeer, runPeer } from "../support/peer.ts";
import { onboardApiKeyArgs } from "../support/auth_profile_store.ts";
import { connectReference } from "../support/reference_client.ts";
import { ensureFreshBundle, runOpenclaw, startGateway } from "../support/spawn_gateway.ts";

const FIXTURES = new URL("../fixtures/credentials/models_status/", import.meta.url);
const KEY = "sk-ant-stored-one";

interface Run {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}
interface Case {
  env: Record<string, string>;
  config: unknown;
  runs: Run[];
}
const CASES: Record<string, Case> = JSON.parse(await Deno.readTextFile(new URL("status_cases.json", FIXTURES))).cases;

/** The store row as each recorded case left it (record_status.ts.txt's edits). */
const STORE_EDITS: Record<string, (store: { profiles: Record<string, unknown> }) => unknown> = {
  env: () => ({ version: 1, profiles: {} }),
  envstore: (store) => store,
  openaienv: (store) => store,
  cfgkey: () => ({ version: 1, profiles: {} }),
  nokey: () => ({ version: 1, profiles: {} }),
  token: (store) => ({
    ...store,
    profiles: {
      ...store.profiles,
      "anthropic:tok": { type: "token", provider: "anthropic", token: "sk-ant-oat01-token-value-xyz" },
    },
  }),
  damaged: () => "not json{",
};

// runOpenclaw joins output lines with "\n": the last newline of each stream is the only difference.
const lines = (text: string) => text.replace(/\n$/, "");

/** A root laid out as the recordings' (`<ROOT>/home`, `<ROOT>/state`, `<ROOT>/openclaw.json`), onboarded by ours. */
async function onboarded(): Promise<
  { root: string; env: Record<string, string>; run(args: string[], env?: Record<string, string>): Promise<Run> }
> {
  const root = await Deno.makeTempDir({ prefix: "oc-models-status-" });
  await Deno.mkdir(`${root}/home`);
  const base = { OPENCLAW_STATE_DIR: `${root}/state`, OPENCLAW_CONFIG_PATH: `${root}/openclaw.json` };
  const run = async (args: string[], env: Record<string, string> = {}) => ({
    args,
    ...(await runOpenclaw(args, { home: `${root}/home`, env: { ...base, ...env } })),
  });
  const onboard = await run(onboardApiKeyArgs(KEY));
  assert.equal(onboard.code, 0, onboard.stderr);
  return { root, env: base, run };
}

Deno.test("models status after our onboard prints what the reference printed after its own (text and --json)", async () => {
  ensureFreshBundle();
  const { root, run } = await onboarded();
  try {
    for (
      const [args, file] of [[["models", "status"], "after_onboard.txt"], [
        ["models", "status", "--json"],
        "after_onboard.json",
      ]] as const
    ) {
      const expected = (await Deno.readTextFile(new URL(file, FIXTURES))).replaceAll("<ROOT>", root);
      const ours = await run([...args]);
      assert.deepEqual({ code: ours.code, stdout: ours.stdout }, { code: 0, stdout: lines(expected) }, args.join(" "));
      assert.ok(!ours.stdout.includes(KEY), "the stored key is shown masked only");
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("models status prints what the reference printed on each recorded store, env and config variation", async () => {
  ensureFreshBundle();
  for (const [name, recorded] of Object.entries(CASES)) {
    const edit = STORE_EDITS[name];
    if (!edit) continue;
    const { root, run } = await onboarded();
    try {
      await Deno.writeTextFile(`${root}/openclaw.json`, JSON.stringify(recorded.config).replaceAll("<ROOT>", root));
      const db = new DatabaseSync(`${root}/state/state/openclaw.sqlite`);
      const row = db.prepare("SELECT value_json FROM config_machine_state WHERE state_key = 'authProfiles.store'")
        .get() as { value_json: string };
      const next = edit(JSON.parse(row.value_json));
      db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = 'authProfiles.store'")
        .run(typeof next === "string" ? next : JSON.stringify(next));
      db.close();
      for (const expected of recorded.runs) {
        const ours = await run(expected.args, recorded.env);
        const want = (text: string) => lines(text.replaceAll("<ROOT>", root));
        const label = `${name}: openclaw ${expected.args.join(" ")}`;
        assert.equal(ours.code, expected.code, `${label} exit code`);
        if (name === "damaged") {
          // Ours names the row and why it cannot be read; the reference says only that it cannot.
          const path = `${root}/state/state/openclaw.sqlite`;
          const words = new RegExp(
            `Auth profile store ${
              path.replaceAll(/[.*+?^${}()|[\]\\/]/g, "\\$&")
            } is unreadable \\(config_machine_state authProfiles\\.store: not a JSON object\\); run openclaw doctor --fix\\.`,
          );
          assert.match(ours.stderr, words, label);
          if (expected.args.includes("--json")) {
            assert.equal(JSON.parse(ours.stdout).error.type, "cli_error", label);
            assert.match(JSON.parse(ours.stdout).error.message, words, label);
          }
          continue;
        }
        assert.equal(ours.stdout, want(expected.stdout), label);
        assert.equal(ours.stderr, want(expected.stderr), `${label} stderr`);
      }
      if (name === "nokey") {
        // The reference's --check exits 1 when a provider in use has no auth (missingProvidersInUse).
        assert.equal((await run(["models", "status", "--check"], recorded.env)).code, 1, "nokey --check");
      }
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  }
});

Deno.test("our gateway's models.authStatus after our onboard answers as the reference gateway did after its own", async () => {
  ensureFreshBundle();
  const recorded = JSON.parse(await Deno.readTextFile(new URL("auth_status_cases.json", FIXTURES))).cases;
  const { root, env } = await onboarded();
  const token = "models-auth-status-token-0123456789";
  try {
    const config = JSON.parse(await Deno.readTextFile(`${root}/openclaw.json`));
    config.gateway = { ...config.gateway, auth: { mode: "token", token } };
    await Deno.writeTextFile(`${root}/openclaw.json`, JSON.stringify(config, null, 2));
    for (const [name, extra] of [["store", {}], ["env", recorded.env.env]] as const) {
      if (name === "env") {
        // As the recording: the stored profile removed, the key in the gateway's environment.
        const db = new DatabaseSync(`${root}/state/state/openclaw.sqlite`);
        db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = 'authProfiles.store'")
          .run(JSON.stringify({ version: 1, profiles: {} }));
        db.close();
      }
      const { proc, port } = await startGateway({ home: `${root}/home`, env: { ...env, ...extra } });
      try {
        const ui = await connectReference({ port, token, scopes: ["operator.read"] });
        try {
          const result = await ui.request<{ providers: unknown }>("models.authStatus", {});
          assert.deepEqual(result.providers, recorded[name].result.providers, name);
          assert.ok(!JSON.stringify(result).includes(KEY), "no secret in the answer");
        } finally {
          ui.stop();
        }
      } finally {
        await proc.stop();
      }
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("the reference's models status on the state dir our onboard wrote prints the same text and JSON as ours", async () => {
  requirePeer();
  ensureFreshBundle();
  const { root, run } = await onboarded();
  try {
    const where = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
    for (const args of [["models", "status", "--json"], ["models", "status"]]) {
      const ours = await run(args);
      // The reference runs second: whatever SQLite state it creates must not change what ours read.
      const reference = await runPeer(args, where);
      assert.equal(ours.code, reference.code, `${args.join(" ")} exit code`);
      assert.equal(ours.stdout, lines(reference.stdout), args.join(" "));
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
