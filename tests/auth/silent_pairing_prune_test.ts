import assert from "node:assert/strict";
import { DeviceStore, mergedApproval } from "../../src/auth/device_store.ts";
import { type PairedForPrune, supersededSilentPairings } from "../../src/auth/silent_pairing_prune.ts";
import { tempStateDb } from "../support/temp_devices.ts";

const NOW = 10_000_000;
const CLI = { clientId: "cli", clientMode: "cli", displayName: "ci runner" };
const row = (deviceId: string, extra: Partial<PairedForPrune> = {}): PairedForPrune => ({
  deviceId,
  ...CLI,
  approvedVia: "silent",
  approvedAtMs: NOW - 120_000,
  ...extra,
});
const none = { nowMs: NOW, connected: () => false };

Deno.test("silent pairing prune: older silent rows of the same local client go; everything else stays", () => {
  const paired = [
    row("new", { approvedAtMs: NOW }),
    row("old-1"),
    row("old-2", { clientId: " CLI ", displayName: "CI Runner" }),
    row("recent", { approvedAtMs: NOW - 59_000 }),
    row("live"),
    row("approved-by-owner", { approvedVia: "operator" }),
    row("from-a-setup-code", { approvedVia: "bootstrap" }),
    row("other-client", { clientId: "openclaw-control-ui", clientMode: "webchat" }),
    row("other-name", { displayName: "laptop" }),
  ];
  assert.deepEqual(
    supersededSilentPairings("new", paired, { nowMs: NOW, connected: (id) => id === "live" }),
    ["old-1", "old-2"],
  );
});

Deno.test("silent pairing prune: only a silent anchor with a cluster retires anything", () => {
  assert.deepEqual(supersededSilentPairings("new", [row("new", { approvedVia: "operator" }), row("old")], none), []);
  const bare = { deviceId: "new", approvedVia: "silent", approvedAtMs: NOW };
  assert.deepEqual(supersededSilentPairings("new", [bare, { ...bare, deviceId: "old", approvedAtMs: 0 }], none), []);
  assert.deepEqual(supersededSilentPairings("missing", [row("old")], none), []);
});

Deno.test("DeviceStore.pruneSupersededSilent deletes the retired rows and their pending requests in the state database", async () => {
  const { db } = tempStateDb();
  let now = NOW - 120_000;
  const store = new DeviceStore(() => Promise.resolve(db), { now: () => now });
  const meta = (deviceId: string) => ({ deviceId, publicKey: `pk-${deviceId}`, platform: "linux", ...CLI });
  await store.pair(meta("old"), { role: "node", scopes: [], approvedVia: "silent" });
  await store.pair(meta("owner"), { role: "operator", scopes: [], approvedVia: "silent" });
  await store.approve(meta("owner"), { role: "operator", roles: ["operator"], scopes: ["operator.read"] });
  await store.requests.file({
    ...meta("old"),
    role: "operator",
    scopes: ["operator.read"],
    remoteIp: "127.0.0.1",
    isRepair: true,
  });
  now = NOW;
  await store.pair(meta("new"), { role: "node", scopes: [], approvedVia: "silent" });
  assert.deepEqual(await store.pruneSupersededSilent("new", () => false), [{ deviceId: "old", roles: ["node"] }]);
  assert.deepEqual((await store.list()).map((d) => d.deviceId).sort(), ["new", "owner"]);
  assert.deepEqual(await store.requests.list(), [], "its pending request went with it");
  assert.deepEqual(await store.pruneSupersededSilent("new", () => false), [], "nothing left to retire");
});

Deno.test("a silent upgrade keeps an operator's or a setup code's approval, so the prune never takes those rows", async () => {
  const { db } = tempStateDb();
  let now = NOW - 120_000;
  const store = new DeviceStore(() => Promise.resolve(db), { now: () => now });
  const meta = (deviceId: string) => ({ deviceId, publicKey: `pk-${deviceId}`, platform: "linux", ...CLI });
  await store.approve(meta("approved"), { role: "operator", roles: ["operator"], scopes: ["operator.read"] });
  // Later over loopback it asks for more and is upgraded silently: still the operator's approval.
  await store.pair(meta("approved"), { role: "operator", scopes: ["operator.admin"], approvedVia: "silent" });
  assert.equal((await store.get("approved"))?.approvedVia, "operator");
  now = NOW;
  await store.pair(meta("fresh"), { role: "operator", scopes: [], approvedVia: "silent" });
  assert.deepEqual(await store.pruneSupersededSilent("fresh", () => false), []);
  assert.ok(await store.get("approved"), "the operator-approved row stays");
});

Deno.test("mergedApproval: the reference's provenance merge", () => {
  assert.equal(mergedApproval(undefined, "silent"), "silent", "a new row takes the approval's kind");
  assert.equal(mergedApproval("silent", "operator"), "operator");
  assert.equal(mergedApproval("operator", "silent"), "operator");
  assert.equal(mergedApproval("bootstrap", "silent"), "bootstrap");
  assert.equal(mergedApproval("shared-secret", "silent"), "shared-secret", "no provenance stays none");
  assert.equal(mergedApproval("shared-secret", "bootstrap"), "bootstrap");
  assert.equal(mergedApproval("silent", "silent"), "silent");
  assert.equal(mergedApproval("operator", undefined), "operator", "a reconnect changes nothing");
});
