// Records what the reference OpenClaw 2026.9.6 CLI does for `openclaw agent --local` when the model provider's
// `apiKey` is a SecretRef through `secrets.providers` (exec and file providers; a failing exec provider; a missing
// file pointer; a provider that is not configured): its exit code, its output, and the Authorization header the
// fake upstream saw. Writes tests/fixtures/secrets/local_agent/reference_local_agent.json.
//
//   deno run -A tools/record_reference_local_secrets.ts [label ...]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); each run takes ~10-40 s.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { type PeerHome, runPeer } from "../tests/support/peer.ts";

const ROOT = "/tmp/record-local-secrets";
/** What bin/secret answers for every id asked: `exec-<id>-0123456789abcdef`. */
const EXEC_SCRIPT = `#!/bin/sh
# The exec provider protocol: a JSON request on stdin, {protocolVersion: 1, values} on stdout.
req=$(cat)
ids=$(printf '%s' "$req" | sed -e 's/.*"ids":\\[//' -e 's/\\].*//' | tr -d '"' | tr ',' ' ')
out=""
for id in $ids; do out="$out\${out:+,}\\"$id\\":\\"exec-$id-0123456789abcdef\\""; done
printf '{"protocolVersion":1,"values":{%s}}' "$out"
`;

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Lays out the provider script and secrets file the cases name, with the modes the reference demands. */
async function layOut(home: string): Promise<void> {
  await Deno.mkdir(`${home}/bin`, { recursive: true });
  await Deno.mkdir(`${home}/secrets`, { recursive: true });
  await Deno.writeTextFile(`${home}/bin/secret`, EXEC_SCRIPT, { mode: 0o700 });
  await Deno.chmod(`${home}/bin/secret`, 0o700);
  await Deno.writeTextFile(`${home}/bin/fail`, "#!/bin/sh\necho 'vault is sealed' >&2\nexit 3\n", { mode: 0o700 });
  await Deno.chmod(`${home}/bin/fail`, 0o700);
  const secrets = { providers: { fake: "file-provider-key-0123456789abcdef" } };
  await Deno.writeTextFile(`${home}/secrets/secrets.json`, JSON.stringify(secrets), { mode: 0o600 });
  await Deno.chmod(`${home}/secrets/secrets.json`, 0o600);
}

/** The cases: the providers section and the apiKey ref, by label. */
function cases(home: string): Record<string, { providers?: Record<string, unknown>; apiKey: unknown }> {
  const exec = (command: string) => ({ vault: { source: "exec", command: `${home}/bin/${command}` } });
  const file = { vault: { source: "file", path: `${home}/secrets/secrets.json` } };
  return {
    exec_ok: { providers: exec("secret"), apiKey: { source: "exec", provider: "vault", id: "fake" } },
    file_ok: { providers: file, apiKey: { source: "file", provider: "vault", id: "/providers/fake" } },
    exec_failing: { providers: exec("fail"), apiKey: { source: "exec", provider: "vault", id: "fake" } },
    file_missing_pointer: { providers: file, apiKey: { source: "file", provider: "vault", id: "/providers/nope" } },
    provider_not_configured: { apiKey: { source: "exec", provider: "vault", id: "fake" } },
  };
}

async function main(): Promise<void> {
  const upstream = startFakeUpstream();
  const home = `${ROOT}/home`;
  const only = new Set(Deno.args);
  const recorded = [];
  try {
    for (const [label, input] of Object.entries(cases(home))) {
      if (only.size > 0 && !only.has(label)) continue;
      await Deno.remove(ROOT, { recursive: true }).catch(() => {});
      await layOut(home);
      const where: PeerHome = {
        home,
        stateDir: `${ROOT}/state`,
        configPath: `${ROOT}/state/openclaw.json`,
      };
      await Deno.mkdir(where.stateDir, { recursive: true });
      const config = {
        discovery: { mdns: { mode: "off" } },
        update: { checkOnStart: false },
        gateway: { mode: "local" },
        ...(input.providers ? { secrets: { providers: input.providers } } : {}),
        models: {
          catalogRefresh: { enabled: false },
          providers: {
            fake: {
              baseUrl: upstream.url,
              api: "openai-completions",
              apiKey: input.apiKey,
              models: [{ id: "m1", name: "m1" }],
            },
          },
        },
        agents: { defaults: { model: { primary: "fake/m1" } } },
      };
      await Deno.writeTextFile(where.configPath, JSON.stringify(config, null, 2));
      const before = upstream.calls.length;
      const started = Date.now();
      const run = await runPeer(["agent", "--local", "--agent", "main", "--message", "hi", "--json"], where);
      const calls = upstream.calls.slice(before).filter((call) => call.path.endsWith("/chat/completions"));
      let stdout: unknown = run.stdout;
      try {
        stdout = JSON.parse(run.stdout);
      } catch {
        // kept as text
      }
      recorded.push({
        label,
        providers: input.providers ?? null,
        apiKey: input.apiKey,
        code: run.code,
        stdout,
        stderr: run.stderr.split("\n").filter((line) => line.trim() !== ""),
        authorization: calls.map((call) => call.headers.authorization ?? null),
      });
      say(`${label}: exit ${run.code}, ${calls.length} model call(s), ${Date.now() - started} ms`);
    }
  } finally {
    await upstream.stop();
  }
  const out = new URL("../tests/fixtures/secrets/local_agent/reference_local_agent.json", import.meta.url);
  await Deno.mkdir(new URL(".", out), { recursive: true });
  const note =
    "OpenClaw 2026.9.6 `agent --local --agent main --message hi --json` with the fake upstream as provider " +
    `"fake" whose apiKey is each case's ref, HOME ${home}, by tools/record_reference_local_secrets.ts`;
  await Deno.writeTextFile(out, JSON.stringify({ recorded: note, cases: recorded }, null, 2) + "\n");
  say(`wrote ${out.pathname}`);
}

if (import.meta.main) await main();
