// Re-records tests/fixtures/sessions/reference_sessions_tail.json: the reference OpenClaw 2026.9.6's
// `openclaw sessions tail` (it reads the agent database itself, no gateway) over the state
// tests/support/sessions_tail_seed.ts writes: each case's arguments, exit code and outputs, and
// `--follow` seeing an event appended after its snapshot, stopped by SIGINT and by SIGTERM.
//
//   deno run -A tools/record_reference_sessions_tail.ts
import { type PeerHome, runPeer, spawnPeer } from "../tests/support/peer.ts";
import {
  appendTrajectoryEvent,
  FOLLOW_EVENT,
  MAIN_EVENTS,
  MAIN_ID,
  seedTailScene,
} from "../tests/support/sessions_tail_seed.ts";

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Runs `--follow` until the appended event shows, then stops it with `signal`. */
async function follow(where: PeerHome, seq: number, signal: Deno.Signal) {
  const child = spawnPeer(["sessions", "tail", "--follow", "--tail", "1"], where);
  const text = new TextDecoder();
  let stdout = "";
  const reader = child.stdout.getReader();
  const stderr = new Response(child.stderr).text();
  let appended = false;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += text.decode(value);
    const lines = stdout.split("\n").filter(Boolean);
    if (!appended && lines.length >= 1) {
      appendTrajectoryEvent(where.stateDir, MAIN_ID, seq, FOLLOW_EVENT);
      appended = true;
    } else if (appended && lines.length >= 2) break;
  }
  child.kill(signal);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += text.decode(value);
  }
  const status = await child.status;
  return { signal, code: status.code, stdout, stderr: await stderr };
}

async function main(): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "oc-ref-tail-" });
  const where: PeerHome = { home: `${root}/home`, stateDir: `${root}/state`, configPath: `${root}/openclaw.json` };
  await Deno.mkdir(where.home, { recursive: true });
  await Deno.mkdir(where.stateDir, { recursive: true });
  await Deno.writeTextFile(
    where.configPath,
    JSON.stringify({
      gateway: { mode: "local", port: 19597, auth: { mode: "token", token: "tail-token-0123456789" } },
      models: { catalogRefresh: { enabled: false } },
      update: { checkOnStart: false },
    }),
  );
  const redact = (text: string) => text.replaceAll(root, "<root>");
  const cases: { args: string[]; code: number; stdout: string; stderr: string }[] = [];
  const run = async (args: string[]) => {
    const out = await runPeer(args, where);
    say(`${args.join(" ")}: exit ${out.code}`);
    cases.push({ args, code: out.code, stdout: redact(out.stdout), stderr: redact(out.stderr) });
  };
  try {
    await run(["sessions", "tail"]);
    seedTailScene(where.stateDir, Date.now());
    await run(["sessions", "tail"]);
    await run(["sessions", "tail", "--tail", "3"]);
    await run(["sessions", "tail", "--tail", "0"]);
    await run(["sessions", "tail", "--tail", "x"]);
    await run(["sessions", "tail", "--tail", "-1"]);
    await run(["sessions", "tail", "--session-key", "agent:main:nope"]);
    await run(["sessions", "tail", "--session-key", "agent:main:other"]);
    await run(["sessions", "tail", "--agent", "nope"]);
    await run(["sessions", "--json", "tail"]);
    await run(["sessions", "--limit", "3", "tail"]);
    const follows = [
      await follow(where, MAIN_EVENTS.length + 1, "SIGINT"),
      await follow(where, MAIN_EVENTS.length + 2, "SIGTERM"),
    ];
    say(`follow: ${follows.map((f) => `${f.signal} exit ${f.code}`).join(", ")}`);
    const fixture = {
      recorded: "OpenClaw 2026.9.6 CLI, no gateway running, by tools/record_reference_sessions_tail.ts over " +
        "tests/support/sessions_tail_seed.ts (the first case before seeding); paths under the temp root shown as <root>.",
      cases,
      follows,
    };
    const out = new URL("../tests/fixtures/sessions/reference_sessions_tail.json", import.meta.url);
    await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
    say(`wrote ${out.pathname}`);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
