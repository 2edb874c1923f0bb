import assert from "node:assert/strict";
import {
  activationHints,
  controlService,
  installService,
  ServiceError,
  type ServiceTarget,
  uninstallService,
} from "../../src/service/install.ts";
import type { UnitSpec } from "../../src/service/systemd.ts";

function recorder(failOn?: string, stderr = "") {
  const calls: string[] = [];
  const run = (command: string, args: string[]) => {
    const line = `${command} ${args.join(" ")}`;
    calls.push(line);
    const ok = !(failOn && line.includes(failOn));
    return Promise.resolve({ ok, stdout: "", stderr: ok ? "" : stderr });
  };
  return { calls, run };
}

async function withHome(body: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await body(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

const spec = (home: string, port = 18789): UnitSpec => ({
  command: ["/usr/local/bin/openclaw", "gateway", "run", "--port", String(port)],
  profile: undefined,
  port,
  home,
  path: "/usr/bin:/bin",
});

Deno.test("installService() writes a 0600 user unit, then daemon-reload, enable, restart", async () => {
  await withHome(async (home) => {
    const { calls, run } = recorder();
    const target: ServiceTarget = { manager: "systemd", system: false, home, profile: undefined, uid: 1000, run };
    const result = await installService(target, spec(home), { force: false });
    assert.equal(result.path, `${home}/.config/systemd/user/openclaw-gateway.service`);
    assert.equal(result.status, "installed");
    assert.equal((await Deno.stat(result.path)).mode! & 0o777, 0o600);
    assert.deepEqual(calls, [
      "systemctl --user daemon-reload",
      "systemctl --user enable openclaw-gateway.service",
      "systemctl --user restart openclaw-gateway.service",
    ]);
    assert.equal((await installService(target, spec(home), { force: false })).status, "unchanged");
    const changed = await installService(target, spec(home, 19999), { force: false });
    assert.equal(changed.status, "reinstalled");
    assert.match(await Deno.readTextFile(changed.backup!), /OPENCLAW_GATEWAY_PORT=18789/);
  });
});

Deno.test("installService() keeps the unit when activation fails and carries systemctl's own reason", async () => {
  await withHome(async (home) => {
    const bus = "Failed to connect to bus: No medium found";
    const { calls, run } = recorder("--user", bus);
    const target: ServiceTarget = { manager: "systemd", system: false, home, profile: undefined, uid: 1000, run };
    const path = `${home}/.config/systemd/user/openclaw-gateway.service`;
    const error = await installService(target, spec(home), { force: false }).catch((e) => e);
    assert.ok(error instanceof ServiceError);
    assert.equal(error.message, `systemctl --user daemon-reload failed: ${bus}`);
    assert.equal(error.unitPath, path);
    assert.match(await Deno.readTextFile(path), /^ExecStart=/m, "the written unit is kept");
    // The next install does not call the kept unit "already enabled": it activates it.
    calls.length = 0;
    await assert.rejects(installService(target, spec(home), { force: false }), /daemon-reload failed/);
    assert.deepEqual(calls, ["systemctl --user is-enabled openclaw-gateway.service", "systemctl --user daemon-reload"]);
    const hints = activationHints(target, "alice").join("\n");
    assert.match(hints, /openclaw gateway install --system/);
    assert.match(hints, /loginctl enable-linger alice/);
    assert.match(hints, /openclaw gateway run/);
  });
});

Deno.test("controlService() and uninstallService() drive systemctl; stop of nothing is a no-op", async () => {
  await withHome(async (home) => {
    const { calls, run } = recorder();
    const target: ServiceTarget = { manager: "systemd", system: false, home, profile: "work", uid: 1000, run };
    await controlService(target, "stop");
    assert.deepEqual(calls, []);
    await assert.rejects(controlService(target, "start"), /not installed.*openclaw gateway install/);
    await installService(target, { ...spec(home), profile: "work" }, { force: false });
    calls.length = 0;
    await controlService(target, "restart");
    await controlService(target, "stop");
    assert.deepEqual(calls, [
      "systemctl --user reset-failed openclaw-gateway-work.service",
      "systemctl --user restart openclaw-gateway-work.service",
      "systemctl --user stop openclaw-gateway-work.service",
    ]);
    assert.equal(await uninstallService(target), true);
    assert.equal(await uninstallService(target), false);
  });
});

Deno.test("launchd: install bootstraps the plist into the gui domain; stop boots it out", async () => {
  await withHome(async (home) => {
    const { calls, run } = recorder();
    const target: ServiceTarget = { manager: "launchd", system: false, home, profile: undefined, uid: 501, run };
    const result = await installService(target, spec(home), { force: false });
    assert.equal(result.path, `${home}/Library/LaunchAgents/ai.openclaw.gateway.plist`);
    assert.equal((await Deno.stat(result.path)).mode! & 0o777, 0o644);
    assert.deepEqual(calls, [
      "launchctl bootout gui/501/ai.openclaw.gateway",
      `launchctl bootstrap gui/501 ${result.path}`,
    ]);
    calls.length = 0;
    await controlService(target, "stop");
    await controlService(target, "restart");
    assert.deepEqual(calls, [
      "launchctl bootout gui/501/ai.openclaw.gateway",
      "launchctl kickstart -k gui/501/ai.openclaw.gateway",
    ]);
  });
});
