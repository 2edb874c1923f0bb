import assert from "node:assert/strict";
import { type HostFacts, readHostFacts, systemInfoMethods } from "../../../src/rpc/methods/system_info.ts";
import { payloadOf } from "../../support/method_call.ts";

// The keys the reference 2026.9.6 sent for system.info (recorded from its Control UI's visit).
const REFERENCE_KEYS = [
  "machineName",
  "hostname",
  "platform",
  "release",
  "arch",
  "osLabel",
  "port",
  "nodeVersion",
  "pid",
  "processInstanceId",
  "uptimeMs",
  "cpuCount",
  "cpuModel",
  "loadAverage",
  "memoryTotalBytes",
  "memoryFreeBytes",
  "eventLoop",
  "processMemory",
  "disks",
  "diskTotalBytes",
  "diskAvailableBytes",
  "diskPath",
  "defaultAgentUtilityModel",
];

const HOST: HostFacts = {
  hostname: "vm",
  platform: "linux",
  release: "6.1",
  arch: "x64",
  cpuCount: 2,
  cpuModel: "Xeon",
  loadAverage: [1, 2, 3],
  memoryTotalBytes: 100,
  memoryFreeBytes: 40,
  nodeVersion: "v24.0.0",
  disk: (path) => (path === "/" ? { totalBytes: 1000, availableBytes: 300 } : { totalBytes: 500, availableBytes: 200 }),
};

function table(model: string | undefined, host: HostFacts = HOST) {
  return systemInfoMethods({
    host: () => Promise.resolve(host),
    port: () => 18789,
    stateDir: "/state",
    processInstanceId: "instance-1",
    uptimeMs: () => 1234.5,
    eventLoop: () => ({ degraded: false } as never),
    defaultModel: () => model,
  });
}

Deno.test("system.info has the reference's keys, from the host and this process", async () => {
  const info = (await payloadOf(table("fake/slow"), "system.info")) as Record<string, unknown>;
  assert.deepEqual(Object.keys(info), REFERENCE_KEYS);
  assert.equal(info.osLabel, "Linux 6.1");
  assert.equal(info.pid, Deno.pid);
  assert.equal(info.uptimeMs, 1235);
  assert.deepEqual(info.disks, [{ path: "/", totalBytes: 1000, availableBytes: 300 }]);
  assert.deepEqual([info.diskPath, info.diskTotalBytes, info.diskAvailableBytes], ["/state", 500, 200]);
  assert.deepEqual(info.defaultAgentUtilityModel, { status: "configured", model: "fake/slow" });
});

Deno.test("system.info without a model or a readable disk leaves those out as the reference does", async () => {
  const info = (await payloadOf(table(undefined, { ...HOST, disk: () => undefined }), "system.info")) as Record<
    string,
    unknown
  >;
  assert.deepEqual(info.defaultAgentUtilityModel, { status: "unavailable" });
  assert.ok(!("disks" in info) && !("diskPath" in info));
});

Deno.test("system.info reads this machine's real facts", async () => {
  const host = await readHostFacts();
  assert.equal(host.platform, Deno.build.os === "windows" ? "win32" : Deno.build.os);
  assert.ok(host.cpuCount >= 1 && host.memoryTotalBytes > host.memoryFreeBytes);
  assert.match(host.nodeVersion, /^v\d+\./);
  assert.ok((host.disk(Deno.cwd())?.totalBytes ?? 0) > 0);
});
