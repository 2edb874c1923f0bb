import assert from "node:assert/strict";
import {
  ageOf,
  approveCommand,
  connectionReminder,
  formatClientLabel,
  formatNodeVersions,
  formatPathEnv,
  formatPermissions,
  sanitizeTerminalText,
} from "../../../src/cli/commands/nodes_format.ts";

Deno.test("permissions are sorted yes/no flags; none shows nothing", () => {
  assert.equal(formatPermissions({ location: true, camera: false, mic: "yes" }), "[camera=no, location=yes, mic=no]");
  assert.equal(formatPermissions({}), undefined);
  assert.equal(formatPermissions(["camera"]), undefined);
});

Deno.test("versions: core and ui, a legacy version counted as core on desktops and ui elsewhere", () => {
  assert.equal(
    formatNodeVersions({ nodeId: "n", coreVersion: "1.2.0", uiVersion: "build-7" }),
    "core v1.2.0 · ui build-7",
  );
  assert.equal(formatNodeVersions({ nodeId: "n", version: "2026.1", platform: "linux" }), "core v2026.1");
  assert.equal(formatNodeVersions({ nodeId: "n", version: "3.1", platform: "ios" }), "ui v3.1");
  assert.equal(formatNodeVersions({ nodeId: "n" }), undefined);
});

Deno.test("client label, PATH shortening and terminal-safe text", () => {
  assert.equal(formatClientLabel({ nodeId: "n", clientId: "node-host", clientMode: "node" }), "node-host/node");
  assert.equal(formatClientLabel({ nodeId: "n", clientMode: "node" }), "node");
  assert.equal(formatPathEnv("/h/me/bin:/usr/bin:/bin:/sbin", "linux", "/h/me"), "~/bin:/usr/bin:…:/sbin");
  assert.equal(formatPathEnv("C:\\a;C:\\b", "win32", undefined), "C:\\a;C:\\b");
  assert.equal(sanitizeTerminalText("a\u001b[31mred\u001b[0m\nb\u0007"), "ared\\nb");
});

Deno.test("ages, the approve hint and the connection reminder in the reference's words", () => {
  const now = 1_000_000_000;
  assert.equal(ageOf(now, now - 20_000), "just now");
  assert.equal(ageOf(now, now + 5000), "just now");
  assert.equal(ageOf(now, now - 5 * 60_000), "5m ago");
  assert.equal(ageOf(now, now - 47 * 3_600_000), "47h ago");
  assert.equal(ageOf(now, now - 3 * 86_400_000), "3d ago");
  assert.equal(ageOf(now, undefined), undefined);
  assert.equal(approveCommand("req-1", "10000"), "openclaw nodes approve req-1");
  assert.equal(approveCommand("req 1", "5000"), "openclaw nodes approve 'req 1' --timeout 5000");
  assert.equal(connectionReminder({}), undefined);
  assert.equal(connectionReminder({ token: "t" }), "Reuse the same connection option when rerunning: --token.");
});
