import assert from "node:assert/strict";
import { freePort, runOpenclaw, spawnOpenclaw, tempHome } from "../support/spawn_gateway.ts";

const cli = (home: string, args: string[], env: Record<string, string> = {}) => runOpenclaw(args, { home, env });

Deno.test("setup makes a fresh profile runnable with safe modes; the gateway then starts without flags", async () => {
  const home = await tempHome();
  try {
    const first = await cli(home.home, ["setup"]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`Created config: ${home.configPath}`));
    assert.match(first.stdout, /Setup complete/);
    assert.equal(JSON.parse(await Deno.readTextFile(home.configPath)).gateway.mode, "local");
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(home.stateDir)).mode! & 0o777, 0o700);
    assert.ok((await Deno.stat(`${home.stateDir}/workspace`)).isDirectory);
    assert.ok((await Deno.stat(`${home.stateDir}/agents/main/sessions`)).isDirectory);
    assert.match(await Deno.readTextFile(`${home.stateDir}/credentials/gateway-token`), /^[0-9a-f]{64}\n$/);
    assert.match((await cli(home.home, ["setup"])).stdout, /Config OK/);

    const port = freePort();
    const gateway = await spawnOpenclaw(["gateway", "--port", String(port)], { home: home.home });
    await gateway.waitForLine(/listening on/);
    const doctor = await cli(home.home, ["doctor", "--json"], { OPENCLAW_GATEWAY_PORT: String(port) });
    const report = JSON.parse(doctor.stdout);
    assert.equal(report.ok, true, doctor.stdout);
    assert.ok(
      report.findings.some((f: { id: string; severity: string }) =>
        f.id === "gateway-reachable" && f.severity === "ok"
      ),
    );
    assert.equal(await gateway.stop(), 0);
  } finally {
    await home.cleanup();
  }
});

Deno.test("setup leaves an invalid config alone", async () => {
  const text = `{ gateway: { mode: "local", bogus: 1 } }`;
  const home = await tempHome(text);
  try {
    const out = await cli(home.home, ["setup"]);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /setup leaves an invalid config alone/);
    assert.equal(await Deno.readTextFile(home.configPath), text);
  } finally {
    await home.cleanup();
  }
});

Deno.test("doctor --fix moves the legacy gateway.token key and tightens file modes, keeping a .bak", async () => {
  const home = await tempHome({ gateway: { mode: "local", token: "legacy-token-0123456789abcdef" } });
  try {
    await Deno.chmod(home.configPath, 0o644);
    const before = await cli(home.home, ["doctor"]);
    assert.equal(before.code, 1);
    assert.match(before.stdout, /✗ Found "gateway\.token" in config\. Use "gateway\.auth\.token" instead\./);
    assert.match(before.stdout, /openclaw doctor --fix/);
    const fixed = await cli(home.home, ["doctor", "--fix"]);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stdout, /- Fixed: moved gateway\.token to gateway\.auth\.token/);
    const config = JSON.parse(await Deno.readTextFile(home.configPath));
    assert.equal(config.gateway.auth.token, "legacy-token-0123456789abcdef");
    assert.equal(config.gateway.token, undefined);
    assert.match(await Deno.readTextFile(`${home.configPath}.bak`), /"token": "legacy-token/);
    assert.equal((await Deno.stat(home.configPath)).mode! & 0o777, 0o600);
  } finally {
    await home.cleanup();
  }
});

Deno.test("doctor finds service drift (a unit pinned to an old port) and --fix rewrites it", async () => {
  const home = await tempHome({
    gateway: { mode: "local", port: 28301, auth: { token: "drift-token-0123456789abcdef" } },
  });
  const bin = await Deno.makeTempDir();
  try {
    const calls = `${bin}/systemctl.calls`;
    await Deno.writeTextFile(`${bin}/systemctl`, `#!/bin/sh\necho "$@" >> "${calls}"\nexit 0\n`);
    await Deno.chmod(`${bin}/systemctl`, 0o755);
    const env = { PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}` };
    assert.equal((await cli(home.home, ["gateway", "install"], env)).code, 0);
    await Deno.writeTextFile(
      home.configPath,
      JSON.stringify({ gateway: { mode: "local", port: 28302, auth: { token: "drift-token-0123456789abcdef" } } }),
    );
    const report = await cli(home.home, ["doctor"], env);
    assert.match(report.stdout, /Gateway service port does not match current gateway config\. \(28301 -> 28302\)/);
    const fixed = await cli(home.home, ["doctor", "--fix"], env);
    assert.match(fixed.stdout, /- Fixed: rewrote .*openclaw-gateway\.service and restarted the service/);
    const unit = await Deno.readTextFile(`${home.home}/.config/systemd/user/openclaw-gateway.service`);
    assert.match(unit, /^Environment=OPENCLAW_GATEWAY_PORT=28302$/m);
    assert.match(fixed.stdout, /✓ Service file matches the config/);
    assert.match(await Deno.readTextFile(calls), /--user restart openclaw-gateway\.service\n$/);
  } finally {
    await Deno.remove(bin, { recursive: true });
    await home.cleanup();
  }
});
