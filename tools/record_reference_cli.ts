// Re-records tests/fixtures/reference_cli/outcomes.json: starts the reference OpenClaw 2026.9.6
// gateway (tools/peer_install.sh puts it in /tmp/peer) in a private home with the fake model,
// runs every command of tests/support/reference_cli.ts against it with the reference CLI, and
// writes each command's exit code and JSON key paths. Takes a few minutes and about 1 GB.
//
//   deno run -A tools/record_reference_cli.ts [--port 19501]
//
// Run it when the reference version or the command table changes, then review the diff.
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { PEER_PACKAGE, type PeerHome, spawnPeer } from "../tests/support/peer.ts";
import {
  CLI_CASES,
  REFERENCE_CLI_FIXTURE,
  referenceCliConfig,
  type ReferenceCliFixture,
  runCases,
} from "../tests/support/reference_cli.ts";

const TOKEN = "reference-cli-token-0123456789abcdef";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function waitForReady(child: Deno.ChildProcess, timeoutMs: number): Promise<void> {
  const decoder = new TextDecoder();
  let seen = "";
  const ready = Promise.withResolvers<void>();
  // Both streams are read to their end, so the gateway never blocks on a full pipe; the first
  // ready line settles the wait.
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      if (seen.length < 1_000_000) seen += decoder.decode(chunk);
      if (seen.includes("[gateway] ready")) ready.resolve();
    }
  };
  Promise.all([drain(child.stdout), drain(child.stderr)]).then(
    () => ready.reject(new Error(`the reference gateway exited before it was ready:\n${seen}`)),
    ready.reject,
  );
  const timer = setTimeout(
    () => ready.reject(new Error(`the reference gateway was not ready within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    await ready.promise;
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19501;
  const root = await Deno.makeTempDir({ prefix: "oc-ref-cli-" });
  const where: PeerHome = { home: root, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  const upstream = startFakeUpstream();
  await Deno.mkdir(where.stateDir, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify(referenceCliConfig({ port, token: TOKEN, upstreamUrl: upstream.url }), null, 2),
  );
  const gateway = spawnPeer(["gateway", "--port", String(port), "--bind", "loopback"], where, {
    OPENCLAW_DISABLE_BONJOUR: "1",
    OPENCLAW_NO_AUTO_UPDATE: "1",
  });
  try {
    await waitForReady(gateway, 120_000);
    const version = JSON.parse(await Deno.readTextFile(`${PEER_PACKAGE}/package.json`)).version;
    const results = await runCases(CLI_CASES, where, {
      port,
      parallel: 2,
      onDone: (c, o) => say(`${o.code} ${o.shape.padEnd(6)} ${String(o.paths.length).padStart(4)}  ${c.name}`),
    });
    const fixture: ReferenceCliFixture = {
      reference: `openclaw ${version}`,
      recordedAt: new Date().toISOString(),
      outcomes: Object.fromEntries(
        CLI_CASES.map((c) => {
          const { code, shape, paths } = results.get(c.name)!;
          return [c.name, { args: c.args, code, shape, paths }];
        }),
      ),
    };
    await Deno.mkdir(new URL(".", REFERENCE_CLI_FIXTURE), { recursive: true });
    await Deno.writeTextFile(REFERENCE_CLI_FIXTURE, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${REFERENCE_CLI_FIXTURE.pathname}`);
  } finally {
    gateway.kill("SIGTERM");
    await gateway.status;
    await upstream.stop();
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
