import assert from "node:assert/strict";
import { controlService, installService, type ServiceTarget, uninstallService } from "../../src/service/install.ts";
import type { UnitSpec } from "../../src/service/systemd.ts";

function recorder(failOn?: string) {
  const calls: string[] = [];
  const run = (command: string, args: string[]) => {
    const line = `${command} ${args.join(" ")}`;
    calls.push(line);
    return Promise.resolve({ ok: !(failOn && line.includes(failOn)), stdout: "" });
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

Deno.test("installService() rolls the file back when activation fails", async () => {
  await withHome(async (home) => {
    const { run } = recorder("enable");
    const target: ServiceTarget = { manager: "systemd", system: false, home, profile: undefined, uid: 1000, run };
    await assert.rejects(installService(target, spec(home), { force: false }), /systemctl --user enable .* failed/);
    await assert.rejects(Deno.stat(`${home}/.config/systemd/user/openclaw-gateway.service`), Deno.errors.NotFound);
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
