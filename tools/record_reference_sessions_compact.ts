// Re-records tests/fixtures/sessions/reference_sessions_compact.json: the reference OpenClaw 2026.9.6's
// `openclaw sessions compact` CLI (a client of the gateway's `sessions.compact`) against this gateway,
// started on a state dir with one short session, then with no gateway running: each case's arguments,
// exit code and outputs.
//
//   deno run -A tools/record_reference_sessions_compact.ts
import { runPeer } from "../tests/support/peer.ts";
import { LIVE, seedSessions } from "../tests/support/sessions_artifacts_seed.ts";
import { freePort, startGateway, tempHome } from "../tests/support/spawn_gateway.ts";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** The cases run while the gateway is up. */
export const WITH_GATEWAY: string[][] = [
  ["sessions", "compact", "agent:main:nope"],
  ["sessions", "compact", "agent:main:nope", "--json"],
  ["sessions", "compact", "agent:main:main"],
  ["sessions", "compact", "agent:main:main", "--json"],
  ["sessions", "compact", "agent:main:main", "--max-lines", "5"],
  ["sessions", "compact", "agent:main:main", "--max-lines", "5", "--json"],
  ["sessions", "compact", "agent:main:main", "--max-lines", "x"],
  ["sessions", "compact", "agent:main:main", "--timeout", "0"],
  ["sessions", "compact", "agent:main:main", "--agent", " "],
  ["sessions", "--store", "x", "compact", "agent:main:main"],
  ["sessions", "--json", "--limit", "2", "compact", "agent:main:main"],
];

/** The cases run after the gateway stopped. */
export const WITHOUT_GATEWAY: string[][] = [
  ["sessions", "compact", "agent:main:main"],
  ["sessions", "compact", "agent:main:main", "--json"],
];

async function main(): Promise<void> {
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { mode: "token", token: "compact-token-0123456789" } },
    models: { catalogRefresh: { enabled: false } },
    update: { checkOnStart: false },
  });
  const where = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const redact = (text: string) => text.replaceAll(home.home, "<home>").replaceAll(String(port), "<port>");
  const cases: { args: string[]; gateway: boolean; code: number; stdout: string; stderr: string }[] = [];
  const run = async (args: string[], gateway: boolean) => {
    const out = await runPeer(args, where);
    say(`${args.join(" ")}: exit ${out.code}`);
    cases.push({ args, gateway, code: out.code, stdout: redact(out.stdout), stderr: redact(out.stderr) });
  };
  try {
    seedSessions(home.stateDir, [["agent:main:main", LIVE]], Date.now());
    const { proc } = await startGateway({ home: home.home, port });
    try {
      for (const args of WITH_GATEWAY) await run(args, true);
    } finally {
      await proc.stop();
    }
    for (const args of WITHOUT_GATEWAY) await run(args, false);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 CLI against this gateway (a state dir with agent:main:main holding one short " +
        "message), then with no gateway, by tools/record_reference_sessions_compact.ts; the home shown as <home>, " +
        "the gateway port as <port>.",
      cases,
    };
    const out = new URL("../tests/fixtures/sessions/reference_sessions_compact.json", import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    await home.cleanup();
  }
}

if (import.meta.main) await main();
