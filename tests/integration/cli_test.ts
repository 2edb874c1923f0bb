import assert from "node:assert/strict";
import { profilePort } from "../../src/config/resolve.ts";
import { runOpenclaw, spawnOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "cli-token-0123456789abcdef";

const cli = (home: string, args: string[]) => runOpenclaw(args, { home });

function json(text: string): Record<string, unknown> {
  return JSON.parse(text);
}

Deno.test("CLI against a live gateway: every read command, text and --json", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const p = ["--port", String(port)];
  try {
    const status = await cli(home.home, ["gateway", "status", ...p]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`Runtime: running \\(pid ${proc.child.pid}`));
    assert.match(status.stdout, /^RPC probe: ok$/m);
    assert.match(status.stdout, /^Connectivity probe: ok$/m);
    assert.match(status.stdout, new RegExp(`^Listening: 127\\.0\\.0\\.1:${port}$`, "m"));

    const rpc = await cli(home.home, ["gateway", "status", ...p, "--require-rpc"]);
    assert.equal(rpc.code, 0);
    assert.match(rpc.stdout, /^Read probe: ok$/m);

    const statusJson = json((await cli(home.home, ["gateway", "status", ...p, "--json"])).stdout);
    assert.equal((statusJson.rpc as { ok: boolean }).ok, true);
    assert.equal((statusJson.runtime as { status: string }).status, "running");
    assert.equal((statusJson.port as { status: string }).status, "busy");
    assert.equal((statusJson.gateway as { port: number }).port, port);

    const health = await cli(home.home, ["gateway", "health", ...p]);
    assert.equal(health.code, 0);
    assert.match(health.stdout, /^Gateway Health\nOK \(\d+ms\)$/m);
    assert.equal(json((await cli(home.home, ["health", ...p, "--json"])).stdout).ok, true);
    const healthText = (await cli(home.home, ["health", ...p])).stdout;
    assert.match(healthText, /^Gateway event loop: ok /m);
    // As the reference prints it: each agent's heartbeat interval.
    assert.match(healthText, /^Heartbeat interval: 30m \(main\)$/m);

    const call = await cli(home.home, ["gateway", "call", "logs.tail", ...p, "--params", '{"limit":2}']);
    assert.equal(call.code, 0);
    assert.match(call.stdout, /^Gateway call: logs\.tail$/m);
    const tail = json(
      (await cli(home.home, ["gateway", "call", "logs.tail", ...p, "--params", '{"limit":2}', "--json"])).stdout,
    );
    assert.equal((tail.lines as string[]).length, 2);
    const badParams = await cli(home.home, ["gateway", "call", "health", ...p, "--params", "{nope"]);
    assert.equal(badParams.code, 1);
    assert.match(badParams.stderr, /Invalid --params/);

    const probe = await cli(home.home, ["gateway", "probe", ...p]);
    assert.equal(probe.code, 0);
    assert.match(probe.stdout, /^Reachable: yes$/m);
    assert.equal(json((await cli(home.home, ["gateway", "probe", ...p, "--json"])).stdout).ok, true);

    const overview = await cli(home.home, ["status", ...p]);
    assert.equal(overview.code, 0);
    assert.match(overview.stdout, /Gateway\s+local · ws:\/\/127\.0\.0\.1:\d+ \(local loopback\) · reachable \d+ms/);
    // `status` names each agent's heartbeat interval, and that it has no delivery route yet (no owner set).
    assert.match(
      overview.stdout,
      /^Heartbeat\s+30m \(main; waiting for delivery route — set commands\.ownerAllowFrom=/m,
    );
    assert.equal(
      (json((await cli(home.home, ["status", ...p, "--json"])).stdout).gateway as { reachable: boolean }).reachable,
      true,
    );

    const logs = await cli(home.home, ["logs", ...p, "--limit", "3"]);
    assert.equal(logs.code, 0);
    assert.match(logs.stdout, /^Log file: .*openclaw-\d{4}-\d\d-\d\d\.log$/m);
    assert.match(logs.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d info gateway /m);
    const logsJson = (await cli(home.home, ["logs", ...p, "--limit", "3", "--json"])).stdout.split("\n").map((l) =>
      JSON.parse(l)
    );
    assert.equal(logsJson[0].type, "meta");
    assert.equal(logsJson[0].sourceKind, "rpc");
    assert.ok(logsJson.some((l) => l.type === "log" && l.subsystem === "gateway"));

    const channels = await cli(home.home, ["channels", "status", "--probe", ...p]);
    assert.equal(channels.code, 0);
    assert.match(channels.stdout, /Gateway reachable\.\n- no configured chat channels/);
    assert.deepEqual(json((await cli(home.home, ["channels", "status", ...p, "--json"])).stdout).channelOrder, []);

    const denied = await cli(home.home, ["gateway", "call", "health", ...p, "--token", "wrong-token-0123456789"]);
    assert.equal(denied.code, 1);
    assert.match(denied.stderr, /Gateway call failed: unauthorized: gateway token mismatch/);
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("CLI against a stopped gateway: clear lines, the right exit codes, no waiting", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  assert.equal(await proc.stop(), 0);
  const p = ["--port", String(port)];
  try {
    const started = performance.now();
    const status = await cli(home.home, ["gateway", "status", ...p]);
    assert.equal(status.code, 0, "status reports, it does not fail");
    assert.match(status.stdout, /^Runtime: stopped/m);
    assert.match(status.stderr, /^Connectivity probe: failed$/m);
    assert.match(status.stderr, /ECONNREFUSED/);
    assert.equal((await cli(home.home, ["gateway", "status", ...p, "--require-rpc"])).code, 1);

    const call = await cli(home.home, ["gateway", "call", "health", ...p]);
    assert.equal(call.code, 1);
    assert.match(
      call.stderr,
      new RegExp(`^Gateway not reachable at ws://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\.$`, "m"),
    );
    assert.match(call.stderr, /^Start it with `openclaw gateway run` or check `openclaw gateway status`\.$/m);
    const healthJson = json((await cli(home.home, ["health", ...p, "--json"])).stdout);
    assert.equal(healthJson.ok, false);
    assert.equal((healthJson.error as { type: string }).type, "gateway_transport_error");
    assert.equal((await cli(home.home, ["gateway", "probe", ...p])).code, 1);
    assert.equal((await cli(home.home, ["status", ...p])).code, 0);

    const logs = await cli(home.home, ["logs", ...p, "--limit", "2"]);
    assert.equal(logs.code, 0);
    assert.match(logs.stderr, /Local Gateway RPC unavailable; reading configured file log instead\./);
    assert.match(logs.stdout, /shutdown completed cleanly/);
    assert.ok(performance.now() - started < 20_000, "clients fail fast when the gateway is down");
  } finally {
    await home.cleanup();
  }
});

Deno.test("two profiles run side by side with their own ports, state dirs and configs", async () => {
  const home = await tempHome();
  const config = { gateway: { mode: "local", auth: { token: TOKEN } } };
  for (const profile of ["alpha", "beta"]) {
    await Deno.mkdir(`${home.home}/.openclaw-${profile}`, { recursive: true });
    await Deno.writeTextFile(`${home.home}/.openclaw-${profile}/openclaw.json`, JSON.stringify(config));
  }
  const alpha = await spawnOpenclaw(["--profile", "alpha", "gateway"], { home: home.home });
  const beta = await spawnOpenclaw(["--profile", "beta", "gateway"], { home: home.home });
  try {
    await alpha.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${profilePort("alpha")} `));
    await beta.waitForLine(new RegExp(`listening on ws://127\\.0\\.0\\.1:${profilePort("beta")} `));
    for (const [profile, proc] of [["alpha", alpha], ["beta", beta]] as const) {
      const status = json((await cli(home.home, ["--profile", profile, "gateway", "status", "--json"])).stdout);
      assert.equal((status.gateway as { port: number }).port, profilePort(profile));
      assert.equal((status.runtime as { pid: number }).pid, proc.child.pid);
      assert.equal(
        (status.config as { cli: { path: string } }).cli.path,
        `${home.home}/.openclaw-${profile}/openclaw.json`,
      );
      assert.equal((status.service as { unit: string }).unit, `openclaw-gateway-${profile}.service`);
    }
  } finally {
    assert.equal(await alpha.stop(), 0);
    assert.equal(await beta.stop(), 0);
    await home.cleanup();
  }
});

Deno.test("logs --follow prints new lines as they are written; gateway restart reaches a foreground gateway", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: TOKEN } } });
  const { proc, port } = await startGateway({ home: home.home });
  const follow = await spawnOpenclaw(
    ["logs", "--follow", "--port", String(port), "--limit", "50", "--interval", "100"],
    {
      home: home.home,
    },
  );
  try {
    await follow.waitForLine(/^Log file: /);
    // A foreground gateway restarts in place on `gateway restart` (SIGUSR2), and logs it; the command returns once
    // the gateway serves again (it has taken its lock afresh).
    const restart = await cli(home.home, ["gateway", "restart"]);
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(
      restart.stdout,
      new RegExp(`Gateway restart request sent to foreground process on port ${port}: ${proc.child.pid}\\.`),
    );
    assert.match(
      restart.stdout,
      new RegExp(`Gateway restarted in place \\(pid ${proc.child.pid}\\) and serving on port ${port}\\.`),
    );
    await proc.waitForLine(/restarted in place \(SIGUSR2\)/);
    // The banner after a restart in place times the restart, not the process's age.
    await proc.waitForLine(/listening on ws:\/\/\S+ \(pid \d+; ready \d+ms after the restart began\)$/);
    // A config that no longer loads is refused before any signal: the gateway keeps serving the one it has.
    const good = await Deno.readTextFile(home.configPath);
    await Deno.writeTextFile(home.configPath, "{ gateway: { mode: ");
    try {
      const refused = await cli(home.home, ["gateway", "restart", "--json"]);
      assert.equal(refused.code, 1);
      const answer = JSON.parse(refused.stdout);
      assert.equal(answer.ok, false);
      assert.match(
        answer.error,
        /^Gateway restart refused \(the running gateway keeps its config\): Invalid config at /,
      );
    } finally {
      await Deno.writeTextFile(home.configPath, good);
    }
    assert.equal(proc.output.match(/received SIGUSR2; restarting/g)?.length, 1, "the refused restart sent nothing");
    await follow.waitForLine(/info gateway received SIGUSR2; restarting/, 15_000);
  } finally {
    await follow.stop();
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
