// The reference OpenClaw 2026.9.6 and this gateway on one state dir: each sees the other's running gateway
// through the reference's lock files (src/server/reference_lock.ts), and refuses as it does beside its own.
import assert from "node:assert/strict";
import { type PeerHome, requirePeer, runPeer, spawnPeer } from "../support/peer.ts";
import { descendantPids, stopSurvivors } from "../support/process_tree.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "lock-interop-token-0123456789";

function config(port: number) {
  return { gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token: TOKEN } } };
}

/** The reference's lock files in `stateDir`, by name. */
async function lockFiles(stateDir: string): Promise<string[]> {
  const dir = `${stateDir}/tmp/openclaw-${Deno.uid()}`;
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) if (entry.name.endsWith(".lock")) names.push(entry.name);
  } catch {
    // no directory: no locks
  }
  return names.sort();
}

Deno.test("beside our running gateway the reference's agent --local, models status --probe and gateway run refuse, naming its pid and port", async () => {
  requirePeer();
  const port = freePort();
  const home = await tempHome(config(port));
  const where: PeerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const { proc } = await startGateway({ home: home.home, port });
  try {
    const pid = proc.child.pid;
    const locks = await lockFiles(home.stateDir);
    assert.equal(locks.length, 2, locks.join(", "));
    assert.ok(locks.includes("gateway.state.lock"), locks.join(", "));

    const local = await runPeer(["agent", "--local", "--agent", "main", "--message", "hi"], where);
    assert.equal(local.code, 1, `${local.stdout}\n${local.stderr}`);
    assert.match(
      local.stderr,
      new RegExp(
        `A Gateway is running for this state directory \\(pid ${pid}, port ${port}\\)\\. Run without --local to use it, or stop the Gateway first \\(openclaw gateway stop\\)\\.`,
      ),
    );

    const probe = await runPeer(["models", "status", "--probe"], where);
    assert.equal(probe.code, 1, `${probe.stdout}\n${probe.stderr}`);
    assert.match(
      probe.stderr,
      new RegExp(
        `A Gateway is running for this state directory \\(pid ${pid}, port ${port}\\)\\. Stop the Gateway first`,
      ),
    );

    const second = await runPeer(["gateway", "run", "--port", String(freePort())], where);
    assert.equal(second.code, 78, `${second.stdout}\n${second.stderr}`);
    assert.match(
      second.stdout + second.stderr,
      new RegExp(`Another gateway \\(pid ${pid}\\) already owns this state directory`),
    );
    assert.deepEqual(await lockFiles(home.stateDir), locks, "the reference left our locks in place");
  } finally {
    await proc.stop();
  }
  try {
    assert.deepEqual(await lockFiles(home.stateDir), [], "our gateway removed its locks on stop");
  } finally {
    await home.cleanup();
  }
});

Deno.test("our gateway refuses to start while the reference's gateway runs on the state dir, naming its pid and port", async () => {
  requirePeer();
  const peerPort = freePort();
  const home = await tempHome(config(peerPort));
  const where: PeerHome = { home: home.home, stateDir: home.stateDir, configPath: home.configPath };
  const peer = spawnPeer(["gateway", "run", "--port", String(peerPort)], where);
  const output: string[] = [];
  // Resolved by the reference's own readiness line, or by its exit.
  const ready = new Promise<void>((resolve, reject) => {
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
        output.push(chunk);
        if (output.join("").includes("[gateway] ready")) resolve();
      }
    };
    Promise.all([pump(peer.stdout), pump(peer.stderr)]).then(
      () => reject(new Error(`the reference gateway ended before it was ready:\n${output.join("")}`)),
      reject,
    );
  });
  let survivors: number[] = [];
  try {
    await ready;
    const lock = JSON.parse(await Deno.readTextFile(`${home.stateDir}/tmp/openclaw-${Deno.uid()}/gateway.state.lock`));
    const result = await runOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    assert.equal(result.code, 78, `${result.stdout}\n${result.stderr}`);
    assert.match(
      result.stderr,
      new RegExp(
        `gateway already running \\(pid ${lock.pid}\\); it owns .* \\(port ${peerPort}\\), by its lock .*/gateway\\.(state|[0-9a-f]{8})\\.lock\\. ` +
          "Stop it with `openclaw gateway stop`, or run this one with its own --profile or OPENCLAW_STATE_DIR\\.",
      ),
    );
    assert.equal((await lockFiles(home.stateDir)).length, 2, "the reference's locks are left in place");
  } finally {
    survivors = descendantPids(peer.pid);
    peer.kill("SIGTERM");
    await peer.status;
    await stopSurvivors(survivors);
    await ready.catch(() => {});
    await home.cleanup();
  }
});
