import assert from "node:assert/strict";
import { runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

/** A fake `systemctl` on PATH that records every call, so install/start/stop run for real. */
async function fakeSystemctl(dir: string): Promise<string> {
  const log = `${dir}/systemctl.calls`;
  await Deno.writeTextFile(`${dir}/systemctl`, `#!/bin/sh\necho "$@" >> "${log}"\nexit 0\n`);
  await Deno.chmod(`${dir}/systemctl`, 0o755);
  await Deno.writeTextFile(`${dir}/loginctl`, `#!/bin/sh\necho "Linger=no"\n`);
  await Deno.chmod(`${dir}/loginctl`, 0o755);
  return log;
}

const cli = (home: string, bin: string, args: string[]) =>
  runOpenclaw(args, { home, env: { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`, USER: "alice" } });

Deno.test("gateway install/start/stop/restart/uninstall drive systemctl and write a secret-free unit", async () => {
  const home = await tempHome({
    gateway: { mode: "local", port: 28123, auth: { token: "service-token-0123456789abcdef" } },
  });
  const bin = await Deno.makeTempDir();
  try {
    const calls = await fakeSystemctl(bin);
    const install = await cli(home.home, bin, ["gateway", "install"]);
    assert.equal(install.code, 0, install.stderr);
    const unitPath = `${home.home}/.config/systemd/user/openclaw-gateway.service`;
    assert.match(install.stdout, new RegExp(`Installed systemd service: ${unitPath}`));
    assert.match(install.stdout, /loginctl enable-linger alice/);
    const unit = await Deno.readTextFile(unitPath);
    assert.match(unit, /^ExecStart=.* gateway run --port 28123$/m);
    assert.match(unit, /^Environment=OPENCLAW_GATEWAY_PORT=28123$/m);
    assert.ok(!unit.includes("service-token"), "the token never goes into the unit");
    assert.equal(
      (await cli(home.home, bin, ["gateway", "install"])).stdout.split("\n")[0],
      "Gateway service already enabled.",
    );

    for (const action of ["start", "stop", "restart"]) {
      const out = await cli(home.home, bin, ["gateway", action, "--json"]);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(JSON.parse(out.stdout).ok, true);
    }
    const uninstall = await cli(home.home, bin, ["gateway", "uninstall"]);
    assert.match(uninstall.stdout, new RegExp(`Removed systemd service: ${unitPath}`));
    assert.deepEqual((await Deno.readTextFile(calls)).trim().split("\n"), [
      "--user daemon-reload",
      "--user enable openclaw-gateway.service",
      "--user restart openclaw-gateway.service",
      "--user is-enabled openclaw-gateway.service",
      "--user reset-failed openclaw-gateway.service",
      "--user start openclaw-gateway.service",
      "--user stop openclaw-gateway.service",
      "--user reset-failed openclaw-gateway.service",
      "--user restart openclaw-gateway.service",
      "--user disable --now openclaw-gateway.service",
      "--user daemon-reload",
    ]);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});

Deno.test("gateway install refuses an invalid config and a missing one", async () => {
  const bin = await Deno.makeTempDir();
  const invalid = await tempHome(`{ gateway: { mode: "local", bogus: 1 } }`);
  const missing = await tempHome();
  try {
    await fakeSystemctl(bin);
    const bad = await cli(invalid.home, bin, ["gateway", "install"]);
    assert.equal(bad.code, 1);
    assert.ok(bad.stderr.includes('Problem:\n  - openclaw.json:1 — gateway: Unrecognized key: "bogus"\n'), bad.stderr);
    assert.match(bad.stderr, /Gateway install blocked: the config above is invalid; fix it, then retry\.$/);
    const none = await cli(missing.home, bin, ["gateway", "install"]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /Gateway install blocked: no config at .*openclaw setup/);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await invalid.cleanup();
    await missing.cleanup();
  }
});

Deno.test("gateway install keeps the unit when systemctl --user fails, and prints systemctl's reason and the ways out", async () => {
  const home = await tempHome({ gateway: { mode: "local", port: 28124 } });
  const bin = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${bin}/systemctl`,
      `#!/bin/sh\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n`,
    );
    await Deno.chmod(`${bin}/systemctl`, 0o755);
    const install = await cli(home.home, bin, ["gateway", "install"]);
    assert.equal(install.code, 1);
    const unitPath = `${home.home}/.config/systemd/user/openclaw-gateway.service`;
    assert.match(install.stderr, /systemctl --user daemon-reload failed: Failed to connect to bus: No medium found/);
    assert.match(install.stderr, new RegExp(`The unit is written and kept: ${unitPath}`));
    assert.match(install.stderr, /sudo openclaw gateway install --system/);
    assert.match(install.stderr, /loginctl enable-linger alice/);
    assert.match(install.stderr, /openclaw gateway run/);
    assert.match(await Deno.readTextFile(unitPath), /^ExecStart=.* gateway run --port 28124$/m);
    const json = JSON.parse((await cli(home.home, bin, ["gateway", "install", "--json"])).stdout);
    assert.equal(json.ok, false);
    assert.equal(json.path, unitPath);
    assert.match(json.error, /No medium found/);
    assert.ok(json.hints.some((hint: string) => hint.includes("--system")));
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});

Deno.test("gateway stop with no unit installed stops the gateway that owns the state dir, and fails when none does", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: "service-token-0123456789abcdef" } } });
  const bin = await Deno.makeTempDir();
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const calls = await fakeSystemctl(bin);
    const stop = await cli(home.home, bin, ["gateway", "stop", "--json"]);
    assert.equal(stop.code, 0, stop.stderr);
    assert.deepEqual(JSON.parse(stop.stdout), {
      action: "stop",
      ok: true,
      result: "stopped",
      pid: proc.child.pid,
      port,
    });
    assert.equal(await proc.exited(), 0, "the gateway itself stopped, cleanly");
    const again = await cli(home.home, bin, ["gateway", "stop"]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /Gateway stop failed: no gateway service is installed .* no gateway owns .*nothing was stopped/,
    );
    const json = JSON.parse((await cli(home.home, bin, ["gateway", "stop", "--json"])).stdout);
    assert.equal(json.ok, false);
    assert.equal(await Deno.readTextFile(calls).catch(() => ""), "", "no unit: systemctl is not asked to stop one");
  } finally {
    await proc.stop();
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});

Deno.test("gateway install refuses a config the gateway would refuse to start, and writes no unit", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ gateway: { port: 28124 } }, /Gateway install blocked: .*set gateway\.mode=local/],
    [{ gateway: { mode: "local", port: 28124, auth: { token: "changeme" } } }, /Gateway install blocked: .*token/i],
    [{ gateway: { mode: "local", port: 28124, bind: "lan", auth: { mode: "none" } } }, /refusing to bind gateway/],
  ];
  for (const [config, refusal] of cases) {
    const home = await tempHome(config);
    const bin = await Deno.makeTempDir();
    try {
      const calls = await fakeSystemctl(bin);
      const install = await cli(home.home, bin, ["gateway", "install"]);
      assert.equal(install.code, 1, install.stdout);
      assert.match(install.stderr, refusal);
      await assert.rejects(
        Deno.stat(`${home.home}/.config/systemd/user/openclaw-gateway.service`),
        Deno.errors.NotFound,
      );
      await assert.rejects(Deno.stat(calls), Deno.errors.NotFound, "systemctl was never called");
    } finally {
      await Deno.remove(bin, { recursive: true });
      await home.cleanup();
    }
  }
});

Deno.test("daemon, the reference's legacy alias, drives the same service commands; --json may come first", async () => {
  const home = await tempHome({
    gateway: { mode: "local", port: 28124, auth: { token: "service-token-0123456789abcdef" } },
  });
  const bin = await Deno.makeTempDir();
  try {
    const calls = await fakeSystemctl(bin);
    assert.equal((await cli(home.home, bin, ["daemon", "install"])).code, 0);
    assert.ok(await Deno.stat(`${home.home}/.config/systemd/user/openclaw-gateway.service`));
    for (const args of [["daemon", "--json", "start"], ["daemon", "stop", "--json"]]) {
      const out = await cli(home.home, bin, args);
      assert.equal(out.code, 0, out.stderr);
      assert.equal(JSON.parse(out.stdout).ok, true, args.join(" "));
    }
    assert.equal((await cli(home.home, bin, ["daemon", "uninstall"])).code, 0);
    assert.deepEqual((await Deno.readTextFile(calls)).trim().split("\n"), [
      "--user daemon-reload",
      "--user enable openclaw-gateway.service",
      "--user restart openclaw-gateway.service",
      "--user reset-failed openclaw-gateway.service",
      "--user start openclaw-gateway.service",
      "--user stop openclaw-gateway.service",
      "--user disable --now openclaw-gateway.service",
      "--user daemon-reload",
    ]);
    const bare = await cli(home.home, bin, ["daemon"]);
    assert.equal(bare.code, 1, "a bare `daemon` prints its help as an error, as the reference's does");
    assert.match(bare.stderr, /Usage: openclaw daemon/);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});

Deno.test("daemon --json status reports what gateway status --json reports for a running gateway", async () => {
  const home = await tempHome({ gateway: { mode: "local", auth: { token: "service-token-0123456789abcdef" } } });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    const shape = (out: { code: number; stdout: string; stderr: string }) => {
      assert.equal(out.code, 0, out.stderr);
      const json = JSON.parse(out.stdout);
      return {
        port: json.gateway?.port,
        rpc: json.rpc?.ok,
        runtime: json.service?.runtime?.status,
        keys: Object.keys(json),
      };
    };
    const args = ["--port", String(port), "--require-rpc"];
    const viaGateway = shape(await runOpenclaw(["gateway", "status", "--json", ...args], { home: home.home }));
    const viaDaemon = shape(await runOpenclaw(["daemon", "--json", "status", ...args], { home: home.home }));
    assert.equal(viaGateway.rpc, true);
    assert.deepEqual(viaDaemon, viaGateway);
  } finally {
    proc.kill("SIGTERM");
    await proc.exited();
    await home.cleanup();
  }
});
