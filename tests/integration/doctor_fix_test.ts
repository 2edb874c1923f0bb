import assert from "node:assert/strict";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

Deno.test("doctor --fix does not warn of a token mismatch that its own fix is resolving in the running gateway", async () => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port } });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    // A hand edit with the legacy key: the running gateway refuses it and keeps its stored token.
    const token = "moved-token-0123456789abcdef";
    await Deno.writeTextFile(home.configPath, JSON.stringify({ gateway: { mode: "local", port, token } }));
    await proc.waitForLine(/config reload skipped \(invalid config\)/);
    const fixed = await runOpenclaw(["doctor", "--fix"], { home: home.home });
    assert.match(fixed.stdout, /- Fixed: moved gateway\.token to gateway\.auth\.token/);
    // The fix moved the token where the gateway reads it; it applies it on reload, so the
    // re-check waits for that instead of reporting the moment before as a mismatch.
    assert.doesNotMatch(fixed.stdout, /mismatch|refused the probe/, fixed.stdout);
    assert.match(fixed.stdout, new RegExp(`✓ Gateway reachable on ws://127\\.0\\.0\\.1:${port}`));
    assert.equal(fixed.code, 0, fixed.stdout);
  } finally {
    await proc.stop();
    await home.cleanup();
  }
});

Deno.test("doctor flags a provider api this gateway cannot run and a model that names no provider", async () => {
  const home = await tempHome({
    gateway: { mode: "local" },
    models: { providers: { lm: { baseUrl: "http://127.0.0.1:1/v1", api: "openai-responses", models: ["m2"] } } },
    agents: { defaults: { model: { primary: "m1" } } },
  });
  try {
    const report = await runOpenclaw(["doctor"], { home: home.home });
    assert.match(report.stdout, /^! Provider lm uses api "openai-responses", which this gateway cannot run/m);
    assert.match(report.stdout, /^! Model "m1" \(agents\.defaults\.model\) names no provider/m);
  } finally {
    await home.cleanup();
  }
});
