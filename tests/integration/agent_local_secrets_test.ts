// `openclaw agent --local` with a model provider whose `apiKey` is a SecretRef through `secrets.providers`: our
// program, run as the binary runs, sends the key the exec or file provider gives, and a provider that fails ends
// the command as the reference's ends (recorded: tests/fixtures/secrets/local_agent/reference_local_agent.json,
// tools/record_reference_local_secrets.ts; the same scripts, files and values here).
import assert from "node:assert/strict";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { runOpenclaw, tempHome } from "../support/spawn_gateway.ts";

interface RecordedCase {
  label: string;
  code: number;
  stdout: unknown;
  stderr: string[];
  authorization: (string | null)[];
}

const RECORDED: RecordedCase[] = (JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/secrets/local_agent/reference_local_agent.json", import.meta.url)),
) as { cases: RecordedCase[] }).cases;

function recorded(label: string): RecordedCase {
  const found = RECORDED.find((c) => c.label === label);
  assert.ok(found, `recorded case ${label}`);
  return found;
}

/** The exec provider the recording used: every id asked is answered `exec-<id>-0123456789abcdef`. */
const EXEC_SCRIPT = `#!/bin/sh
req=$(cat)
ids=$(printf '%s' "$req" | sed -e 's/.*"ids":\\[//' -e 's/\\].*//' | tr -d '"' | tr ',' ' ')
out=""
for id in $ids; do out="$out\${out:+,}\\"$id\\":\\"exec-$id-0123456789abcdef\\""; done
printf '{"protocolVersion":1,"values":{%s}}' "$out"
`;

/** Lays out the recording's provider scripts and secrets file under `home`, with the modes providers demand. */
async function layOutProviders(home: string): Promise<void> {
  await Deno.mkdir(`${home}/bin`, { recursive: true });
  await Deno.mkdir(`${home}/secrets`, { recursive: true });
  await Deno.writeTextFile(`${home}/bin/secret`, EXEC_SCRIPT);
  await Deno.chmod(`${home}/bin/secret`, 0o700);
  await Deno.writeTextFile(`${home}/bin/fail`, "#!/bin/sh\necho 'vault is sealed' >&2\nexit 3\n");
  await Deno.chmod(`${home}/bin/fail`, 0o700);
  await Deno.writeTextFile(
    `${home}/secrets/secrets.json`,
    JSON.stringify({ providers: { fake: "file-provider-key-0123456789abcdef" } }),
  );
  await Deno.chmod(`${home}/secrets/secrets.json`, 0o600);
}

/** The recording's config: provider `fake` (the upstream) whose apiKey is `apiKey`, with the `vault` provider. */
function configFor(input: { upstreamUrl: string; vault: Record<string, unknown>; apiKey: unknown }) {
  return {
    gateway: { mode: "local" },
    secrets: { providers: { vault: input.vault } },
    models: {
      providers: {
        fake: { baseUrl: input.upstreamUrl, api: "openai-completions", apiKey: input.apiKey, models: ["m1"] },
      },
    },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  };
}

const ARGS = ["agent", "--local", "--agent", "main", "--message", "hi", "--json"];

Deno.test("openclaw agent --local sends the key an exec or file provider gives, as the reference does", async () => {
  const upstream = startFakeUpstream();
  try {
    for (const label of ["exec_ok", "file_ok"]) {
      const home = await tempHome();
      try {
        await layOutProviders(home.home);
        const vault = label === "exec_ok"
          ? { source: "exec", command: `${home.home}/bin/secret` }
          : { source: "file", path: `${home.home}/secrets/secrets.json` };
        const apiKey = label === "exec_ok"
          ? { source: "exec", provider: "vault", id: "fake" }
          : { source: "file", provider: "vault", id: "/providers/fake" };
        await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
        await Deno.writeTextFile(
          home.configPath,
          JSON.stringify(configFor({ upstreamUrl: upstream.url, vault, apiKey })),
        );
        const before = upstream.calls.length;
        const run = await runOpenclaw(ARGS, { home: home.home });
        const reference = recorded(label);
        assert.equal(run.code, reference.code, run.stderr);
        assert.equal(JSON.parse(run.stdout).payloads[0].text, FAKE_ANSWER);
        const seen = upstream.calls.slice(before).filter((call) => call.path.endsWith("/chat/completions"));
        assert.deepEqual(seen.map((call) => call.headers.authorization ?? null), reference.authorization, label);
      } finally {
        await home.cleanup();
      }
    }
  } finally {
    await upstream.stop();
  }
});

Deno.test("openclaw agent --local with a failing exec provider ends as the reference's: no model call, exit 1, the CLI error envelope", async () => {
  const upstream = startFakeUpstream();
  const home = await tempHome();
  try {
    await layOutProviders(home.home);
    await Deno.mkdir(home.stateDir, { recursive: true, mode: 0o700 });
    const config = configFor({
      upstreamUrl: upstream.url,
      vault: { source: "exec", command: `${home.home}/bin/fail` },
      apiKey: { source: "exec", provider: "vault", id: "fake" },
    });
    await Deno.writeTextFile(home.configPath, JSON.stringify(config));
    const run = await runOpenclaw(ARGS, { home: home.home });
    const reference = recorded("exec_failing");
    assert.equal(run.code, reference.code, run.stderr);
    assert.equal(upstream.calls.length, 0, "the model is not called without its key");
    const answer = JSON.parse(run.stdout);
    const theirs = reference.stdout as { ok: boolean; error: { type: string; message: string } };
    assert.deepEqual(Object.keys(answer), Object.keys(theirs));
    assert.equal(answer.ok, theirs.ok);
    assert.equal(answer.error.type, theirs.error.type);
    // The reference's frame; ours names the reason, the place and the ref (docs/compatibility.md).
    assert.match(theirs.error.message, /^agent: failed to resolve secrets .* Check the configured secret sources/s);
    assert.equal(
      answer.error.message,
      'agent: failed to resolve secrets locally (Exec provider "vault" exited with code 3. ' +
        "models.providers.fake.apiKey refers to exec:vault:fake). Check the configured secret sources, then retry.",
    );
    const lines = run.stderr.split("\n");
    assert.equal(lines[0], reference.stderr[0], "the reference's failure block");
    assert.equal(lines[1], `[openclaw] Reason: ${answer.error.message}`);
  } finally {
    await upstream.stop();
    await home.cleanup();
  }
});
