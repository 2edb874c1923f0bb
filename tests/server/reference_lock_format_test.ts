import assert from "node:assert/strict";
import {
  argvProvesGateway,
  configHashOf,
  gatewayLockPayload,
  isGatewayArgv,
  lockFileText,
  lockVerdict,
  ownerStatus,
  parseLockPayload,
  referenceLockPaths,
  type ReferenceLockPayload,
} from "../../src/server/reference_lock_format.ts";

Deno.test("referenceLockPaths() puts both locks under <state dir>/tmp/openclaw-<uid>, the config one named for its hash", async () => {
  // The reference's own name for this config path, read off its lock directory (gateway.5c57019b.lock).
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode("/tmp/lkexp/h/.openclaw/openclaw.json"),
  );
  assert.equal(configHashOf(new Uint8Array(digest)), "5c57019b");
  assert.deepEqual(referenceLockPaths({ stateDir: "/s", configHash: "5c57019b", uid: 1000 }), {
    dir: "/s/tmp/openclaw-1000",
    stateLock: "/s/tmp/openclaw-1000/gateway.state.lock",
    configLock: "/s/tmp/openclaw-1000/gateway.5c57019b.lock",
  });
  assert.equal(referenceLockPaths({ stateDir: "/s", configHash: "0", uid: null }).dir, "/s/tmp/openclaw");
});

Deno.test("lockFileText() writes the reference's layout: pretty JSON in its key order, then an ownership token JSON.parse skips", () => {
  const input = {
    pid: 7,
    ownerId: "o-1",
    createdAt: "2026-12-07T15:33:31.146Z",
    configPath: "/s/openclaw.json",
    stateDir: "/s",
    port: 18789,
    startTime: 2027820,
  };
  const payload = gatewayLockPayload(input);
  assert.deepEqual(Object.keys(payload), [
    "pid",
    "ownerId",
    "cronOwnerProjection",
    "createdAt",
    "configPath",
    "stateDir",
    "port",
    "startTime",
  ]);
  const text = lockFileText(payload, new Uint8Array(16).fill(0b10100000));
  const [json, token] = [text.slice(0, text.lastIndexOf("}") + 1), text.slice(text.lastIndexOf("}") + 1)];
  assert.equal(json, JSON.stringify(payload, null, 2));
  assert.equal(token, `\n${"\t".repeat(8)}${"\t \t     ".repeat(16)}\n`);
  assert.deepEqual(parseLockPayload(text), payload);
  assert.equal(
    "startTime" in gatewayLockPayload({ ...input, startTime: undefined }),
    false,
    "no start time is written where it is unknown",
  );
});

Deno.test("parseLockPayload() admits what the reference's schema admits and nothing else", () => {
  const base = { pid: 1, createdAt: "t", configPath: "/c" };
  assert.deepEqual(parseLockPayload(JSON.stringify({ ...base, extra: 1, role: "agent-embedded" })), {
    ...base,
    role: "agent-embedded",
  });
  for (
    const bad of [
      "",
      "[]",
      "{",
      JSON.stringify({ ...base, pid: "1" }),
      JSON.stringify({ ...base, port: 0 }),
      JSON.stringify({ ...base, role: "other" }),
      JSON.stringify({ ...base, ownerId: "" }),
      JSON.stringify({ pid: 1, configPath: "/c" }),
    ]
  ) assert.equal(parseLockPayload(bad), undefined, bad);
});

Deno.test("isGatewayArgv() accepts the binary's and the reference's command lines, not deno run's", () => {
  assert.equal(isGatewayArgv(["openclaw", "gateway", "run"]), true);
  assert.equal(isGatewayArgv(["/usr/local/bin/openclaw", "gateway", "run", "--port", "1"]), true);
  assert.equal(isGatewayArgv(["openclaw-gateway"]), true);
  assert.equal(isGatewayArgv(["node", "/x/node_modules/openclaw/dist/index.js", "gateway"]), true);
  assert.equal(isGatewayArgv(["/usr/bin/deno", "run", "-A", "/x/dist/bundle/main.js", "gateway", "run"]), false);
  assert.equal(isGatewayArgv(["openclaw", "status"]), false);
  // Deno.args leaves out `run … main.js`: the binary's start proves itself, deno run's does not.
  assert.equal(argvProvesGateway("/usr/local/bin/openclaw", ["gateway", "run"]), true);
  assert.equal(argvProvesGateway("/root/.deno/bin/deno", ["gateway", "run"]), false);
});

Deno.test("ownerStatus() trusts a matching start time before the argv, and a different one marks a reused pid dead", () => {
  const payload: ReferenceLockPayload = { pid: 5, createdAt: "t", configPath: "/c", startTime: 100 };
  const deno = ["deno", "run", "main.js", "gateway", "run"];
  const linux = { linux: true, ownPid: 1 };
  assert.equal(ownerStatus(payload, { alive: true, startTime: 100, args: deno }, linux), "alive");
  assert.equal(ownerStatus(payload, { alive: true, startTime: 101, args: ["openclaw", "gateway"] }, linux), "dead");
  assert.equal(ownerStatus(payload, { alive: false }, linux), "dead");
  const noStart: ReferenceLockPayload = { pid: 5, createdAt: "t", configPath: "/c" };
  assert.equal(ownerStatus(noStart, { alive: true, args: deno }, linux), "dead");
  assert.equal(ownerStatus(noStart, { alive: true, args: ["openclaw", "gateway", "run"] }, linux), "alive");
  assert.equal(ownerStatus(noStart, undefined, linux), "unknown");
  assert.equal(ownerStatus(noStart, undefined, { linux: false, ownPid: 1 }), "alive");
  const agent: ReferenceLockPayload = { ...noStart, role: "agent-embedded" };
  assert.equal(ownerStatus(agent, { alive: true, args: ["openclaw", "agent", "--local"] }, linux), "alive");
  assert.equal(ownerStatus(agent, { alive: true, args: ["sleep", "60"] }, linux), "dead");
});

Deno.test("ownerStatus() counts a lock naming the reader's own pid a leftover of ours, whatever its argv", () => {
  const ours: ReferenceLockPayload = { pid: 7, createdAt: "t", configPath: "/c" };
  assert.equal(
    ownerStatus(ours, { alive: true, args: ["openclaw", "gateway", "run"] }, { linux: true, ownPid: 7 }),
    "dead",
  );
  assert.equal(ownerStatus(ours, undefined, { linux: false, ownPid: 7 }), "dead");
});

Deno.test("lockVerdict() takes over only a dead owner's lock, or an unreadable one past 30 s", () => {
  const payload: ReferenceLockPayload = { pid: 5, createdAt: "2026-01-01T00:00:00.000Z", configPath: "/c" };
  const now = Date.parse("2026-01-01T00:00:10.000Z");
  assert.equal(lockVerdict({ payload, status: "dead", nowMs: now, mtimeMs: now }), "stale");
  assert.equal(lockVerdict({ payload, status: "alive", nowMs: now, mtimeMs: now }), "held");
  assert.equal(lockVerdict({ payload, status: "unknown", nowMs: now + 3_600_000, mtimeMs: now }), "held");
  assert.equal(lockVerdict({ payload: undefined, status: undefined, nowMs: now, mtimeMs: now - 1000 }), "retry");
  assert.equal(lockVerdict({ payload: undefined, status: undefined, nowMs: now, mtimeMs: now - 31_000 }), "stale");
  const noPid = { ...payload, pid: 0 };
  assert.equal(lockVerdict({ payload: noPid, status: undefined, nowMs: now, mtimeMs: now }), "held");
  assert.equal(lockVerdict({ payload: noPid, status: undefined, nowMs: now + 30_000, mtimeMs: now }), "stale");
});
