import assert from "node:assert/strict";
import { trainingLog, TrainingRunError } from "../../tools/bundle_training.ts";

// The bundle's training run (tools/bundle_training.ts) against programs that are not a working gateway: the build
// must fail with what the program printed, and leave no process and no scratch directory behind.

async function trainingDirs(): Promise<string[]> {
  const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
  const names: string[] = [];
  for await (const entry of Deno.readDir(tmp)) {
    if (entry.name.startsWith("openclaw-bundle-training-")) names.push(entry.name);
  }
  return names.sort();
}

async function withProgram(source: string, check: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "oc-training-program-" });
  try {
    await Deno.writeTextFile(`${dir}/main.js`, source);
    await check(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a program that ends before it listens fails the training with its own output", async () => {
  const before = await trainingDirs();
  await withProgram('console.error("boom: no gateway here"); Deno.exit(3);', async (dir) => {
    const error = await trainingLog(dir, []).then(() => undefined, (error: unknown) => error);
    assert.ok(error instanceof TrainingRunError, String(error));
    assert.match(error.message, /ended before it listened on port \d+/);
    assert.match(error.message, /boom: no gateway here/);
  });
  assert.deepEqual(await trainingDirs(), before, "the scratch directory is removed");
});

Deno.test("a program that says it listens but refuses the client fails the training, and is killed", async () => {
  const pidFile = await Deno.makeTempFile({ prefix: "oc-training-pid-" });
  try {
    // Prints the line the training waits for on the port it was configured with, then closes every socket.
    const source = `const config = JSON.parse(Deno.readTextFileSync(Deno.env.get("HOME") + "/.openclaw/openclaw.json"));
      Deno.writeTextFileSync(${JSON.stringify(pidFile)}, String(Deno.pid));
      const port = config.gateway.port;
      Deno.serve({ hostname: "127.0.0.1", port, onListen() { console.log("listening on ws://127.0.0.1:" + port); } },
        (request) => { const { socket, response } = Deno.upgradeWebSocket(request);
          socket.onopen = () => socket.close(1008, "not today"); return response; });`;
    await withProgram(source, async (dir) => {
      const error = await trainingLog(dir, ["--allow-net", "--allow-read", "--allow-env", "--allow-write"]).then(
        () => undefined,
        (error: unknown) => error,
      );
      assert.ok(error instanceof TrainingRunError, String(error));
      assert.match(error.message, /was closed by the gateway \(1008 not today\)/);
    });
    const pid = Number(await Deno.readTextFile(pidFile));
    assert.ok(pid > 0);
    assert.throws(() => Deno.readTextFileSync(`/proc/${pid}/status`), Deno.errors.NotFound, "the program is gone");
  } finally {
    await Deno.remove(pidFile);
  }
});
