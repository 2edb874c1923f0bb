// `openclaw models list|status` (and bare `models --json`), run as the binary runs, against the
// reference OpenClaw 2026.9.6's recorded runs (tests/fixtures/models/list_status_recordings.json):
// same stdout, stderr and exit code. One step runs the reference live on the very state ours reads
// and compares the JSON byte for byte; one runs ours beside its own running gateway.
import assert from "node:assert/strict";
import { requirePeer, runPeer } from "../support/peer.ts";
import { ensureFreshBundle, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

interface Recorded {
  name: string;
  config: string;
  args: string[];
  env: Record<string, string>;
  code: number;
  stdout: string;
  stderr: string;
}

const RECORDINGS: { configs: Record<string, unknown>; cases: Recorded[] } = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/models/list_status_recordings.json", import.meta.url)),
);

// runOpenclaw joins output lines with "\n": the last newline of each stream is the only difference.
const lines = (text: string) => text.replace(/\n$/, "");

Deno.test("models list/status print what the reference printed on the recorded configs", async () => {
  ensureFreshBundle();
  for (const recorded of RECORDINGS.cases) {
    const home = await tempHome(RECORDINGS.configs[recorded.config]);
    try {
      const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath, ...recorded.env };
      const ours = await runOpenclaw(recorded.args, { home: home.home, env });
      const expected = {
        code: recorded.code,
        stdout: lines(recorded.stdout.replaceAll("<HOME>", home.home)),
        stderr: lines(recorded.stderr.replaceAll("<HOME>", home.home)),
      };
      assert.deepEqual(ours, expected, `${recorded.name}: openclaw ${recorded.args.join(" ")}`);
    } finally {
      await home.cleanup();
    }
  }
});

Deno.test("the reference and ours print the same models list/status JSON on one state dir", async () => {
  requirePeer();
  ensureFreshBundle();
  const env = { ENVP_KEY: "envsecret-9876543210" };
  for (const config of ["c", "d"]) {
    const home = await tempHome(RECORDINGS.configs[config]);
    try {
      const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
      for (const args of [["models", "list", "--json"], ["models", "status", "--json"]]) {
        const ours = await runOpenclaw(args, {
          home: home.home,
          env: { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath, ...env },
        });
        // The reference runs second: the SQLite state it creates must not change what ours read.
        const reference = await runPeer(args, where, env);
        assert.equal(ours.code, reference.code, `${config}: ${args.join(" ")} exit code`);
        assert.equal(ours.stdout, lines(reference.stdout), `${config}: ${args.join(" ")}`);
      }
      const again = await runOpenclaw(["models", "status", "--json"], {
        home: home.home,
        env: { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath, ...env },
      });
      assert.equal(again.code, 0, "ours reads the state dir after the reference wrote its SQLite state");
    } finally {
      await home.cleanup();
    }
  }
});

Deno.test("models list beside a running gateway drops the not-running line; refusals name what is not served", async () => {
  ensureFreshBundle();
  const home = await tempHome({
    ...RECORDINGS.configs.d as Record<string, unknown>,
    gateway: { mode: "local", auth: { mode: "token", token: "models-list-token" } },
  });
  const env = { OPENCLAW_STATE_DIR: home.stateDir, OPENCLAW_CONFIG_PATH: home.configPath };
  const { proc } = await startGateway({ home: home.home, env });
  try {
    const listed = await runOpenclaw(["models", "list", "--plain"], { home: home.home, env });
    assert.deepEqual(listed, { code: 0, stdout: "alpha/b\nzeta/aa\nzeta/zz", stderr: "" });
    const agent = await runOpenclaw(["models", "list", "--agent", "main"], { home: home.home, env });
    assert.equal(agent.code, 1);
    assert.match(agent.stderr, /openclaw models list --agent is not served by this gateway/);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
  const builtin = await tempHome({ agents: { defaults: { model: { primary: "openai/gpt-6-astra" } } } });
  try {
    const status = await runOpenclaw(["models", "status", "--json"], {
      home: builtin.home,
      env: { OPENCLAW_STATE_DIR: builtin.stateDir, OPENCLAW_CONFIG_PATH: builtin.configPath },
    });
    assert.equal(status.code, 1);
    assert.deepEqual(
      JSON.parse(status.stdout).error.message.split(";")[0],
      'openclaw models status: provider "openai" (openai/gpt-6-astra) is not configured under models.providers',
    );
  } finally {
    await builtin.cleanup();
  }
});
