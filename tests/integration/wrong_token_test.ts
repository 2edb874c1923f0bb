import assert from "node:assert/strict";
import { storedTokenPath } from "../../src/state/stored_token.ts";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

Deno.test("a wrong token is reported as unauthorized, naming where the CLI's token came from and how to get the right one", async () => {
  const gatewayHome = await tempHome({ gateway: { mode: "local", auth: { token: "right-token-0123456789abcdef" } } });
  // A second state dir whose stored token is stale: what a CLI on another profile or an old install holds.
  const cliHome = await tempHome();
  const stored = storedTokenPath(cliHome.stateDir);
  await Deno.mkdir(`${cliHome.stateDir}/credentials`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(stored, "stale-token-0123456789abcdef\n", { mode: 0o600 });
  const { proc, port } = await startGateway({ home: gatewayHome.home });
  try {
    const p = ["--port", String(port)];
    const call = await runOpenclaw(["gateway", "call", "health", ...p], { home: cliHome.home });
    assert.equal(call.code, 1);
    // The reference's line stays word for word; the hint follows it.
    assert.match(call.stderr, /^Gateway call failed: unauthorized: gateway token mismatch \(/m);
    assert.match(call.stderr, /is running and refused this CLI's credentials \(unauthorized\)/);
    assert.ok(call.stderr.includes(`sent the token from the stored token file ${stored}.`), call.stderr);
    assert.match(call.stderr, /`openclaw dashboard` prints the Control UI link with it/);
    assert.doesNotMatch(call.stderr, /not reachable|Start it with/);

    const flag = await runOpenclaw(["health", ...p, "--token", "typo-token-0123456789abcdef"], { home: cliHome.home });
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /sent the token from --token\./);

    const overview = await runOpenclaw(["status", ...p], { home: cliHome.home });
    assert.equal(overview.code, 0);
    assert.match(overview.stdout, /^Gateway\s+local · ws:\/\/127\.0\.0\.1:\d+ \(local loopback\) · unauthorized \(/m);
    assert.doesNotMatch(overview.stdout, /unreachable|Fix reachability first/);
    assert.match(overview.stdout, /`openclaw dashboard`/);
  } finally {
    await proc.stop();
    await gatewayHome.cleanup();
    await cliHome.cleanup();
  }
});
