// The test harness's own promise: a wait for a line fails as soon as the program has exited
// without printing it, with its exit and output, not after the wait's full timeout.
import assert from "node:assert/strict";
import { freePort, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";

Deno.test("waitForLine() fails at the program's exit, naming the exit code and the output", async () => {
  const home = await tempHome();
  try {
    // No config: the gateway refuses to start and exits 78.
    const proc = await spawnOpenclaw(["gateway", "run", "--port", String(freePort())], { home: home.home });
    // A timeout far longer than any test runs: only the exit can end this wait.
    const waiting = proc.waitForLine(/listening on/, 3_600_000);
    await assert.rejects(waiting, (error: Error) => {
      assert.match(error.message, /^the process exited \(code 78\) before a line matching \/listening on\//);
      assert.match(error.message, /Missing config\./);
      return true;
    });
    // Asked after the exit, the answer is the same, at once.
    await assert.rejects(proc.waitForLine(/listening on/, 3_600_000), /the process exited \(code 78\)/);
    // A line it did print is still found.
    assert.match(await proc.waitForLine(/Missing config/), /Missing config/);
    assert.equal(await proc.exited(), 78);
  } finally {
    await home.cleanup();
  }
});
