import assert from "node:assert/strict";
import { cgroupUnit, inspectService, parseSystemctlShow } from "../../src/service/runtime.ts";

Deno.test("parseSystemctlShow() renders the reference's Runtime line", () => {
  const running = parseSystemctlShow(
    "openclaw-gateway.service",
    "Id=openclaw-gateway.service\nLoadState=loaded\nActiveState=active\nSubState=running\nMainPID=4242\nExecMainStatus=0\n",
  );
  assert.equal(running.status, "running");
  assert.equal(running.detail, "running (pid 4242, state active, sub running, last exit 0)");
  const refused = parseSystemctlShow(
    "openclaw-gateway.service",
    "LoadState=loaded\nActiveState=failed\nSubState=failed\nMainPID=0\nExecMainStatus=78\n",
  );
  assert.equal(refused.detail, "stopped (state failed, sub failed, last exit 78)");
  const killed = parseSystemctlShow("u", "LoadState=loaded\nActiveState=inactive\nSubState=dead\nExecMainStatus=143\n");
  assert.equal(killed.detail, "stopped (state inactive, sub dead, last exit 143 (SIGTERM))");
  assert.equal(parseSystemctlShow("u", "LoadState=not-found\nActiveState=inactive\n").loaded, false);
});

Deno.test("inspectService() reports no service manager when systemctl is missing or has no user manager", async () => {
  const missing = await inspectService({ profile: undefined, run: () => Promise.resolve(undefined) });
  assert.equal(missing.manager, "none");
  assert.equal(missing.detail, "unknown (diagnostic only, not the probe target)");
  const calls: string[][] = [];
  const work = await inspectService({
    profile: "work",
    run: (command, args) => {
      calls.push([command, ...args]);
      return Promise.resolve({
        ok: true,
        stdout: "LoadState=loaded\nActiveState=active\nSubState=running\nMainPID=7\n",
      });
    },
  });
  assert.equal(work.unit, "openclaw-gateway-work.service");
  assert.equal(calls[0]!.slice(0, 4).join(" "), "systemctl --user show openclaw-gateway-work.service");
  assert.equal(work.status, "running");
});

Deno.test("cgroupUnit() names the service that supervises a process, never a session scope", () => {
  assert.deepEqual(cgroupUnit("0::/system.slice/openclaw-gateway.service\n"), {
    unit: "openclaw-gateway.service",
    user: false,
  });
  assert.deepEqual(
    cgroupUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/openclaw-gateway-work.service\n"),
    { unit: "openclaw-gateway-work.service", user: true },
  );
  assert.deepEqual(cgroupUnit("9:name=systemd:/system.slice/x.service\n0::/\n"), { unit: "x.service", user: false });
  assert.equal(cgroupUnit("0::/user.slice/user-1000.slice/session-2.scope\n"), undefined);
  assert.equal(
    cgroupUnit("0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-terminal-1.scope\n"),
    undefined,
  );
  assert.equal(cgroupUnit("0::/\n"), undefined, "a container's root cgroup");
});
