import assert from "node:assert/strict";
import type { HeartbeatRunRequest } from "../../src/automation/heartbeat_turn.ts";
import { HeartbeatService } from "../../src/automation/heartbeat_service.ts";
import { readIfPresent, readScratchCapped, SCRATCH_MAX_BYTES } from "../../src/automation/heartbeat_service_deps.ts";
import { heartbeatConfigView } from "../../src/config/heartbeat_settings.ts";

/** Two agents, only `ops` with a heartbeat block of its own (so only `ops` is enrolled). */
const twoAgents = {
  agents: {
    defaults: { heartbeat: { every: "30m", target: "none" } },
    list: [{ id: "main", default: true }, { id: "ops", heartbeat: { every: "1h" } }],
  },
};

function service(config: Record<string, unknown>, runs: HeartbeatRunRequest[]): HeartbeatService {
  return new HeartbeatService({
    settings: () => heartbeatConfigView(config),
    agents: () => ({
      defaultAgentId: "main",
      agents: [{ id: "main", workspace: "/nonexistent" }, { id: "ops", workspace: "/nonexistent" }],
    }),
    ownerAllowFrom: () => [],
    run: (request) => {
      runs.push(request);
      return Promise.resolve({ status: "ok", text: "HEARTBEAT_OK" });
    },
    resetSession: () => Promise.resolve(),
    deliver: () => Promise.resolve({ status: "not-delivered", error: "unused" }),
    busy: () => false,
    emit: () => {},
    readScratch: () => Promise.resolve(undefined),
  });
}

Deno.test("wake now without a session runs the default agent's main session only, enrolled or not (as measured)", async () => {
  // The reference 2026.9.6 (measured with this config): `wake {mode: now}` ran agent:main:main,
  // though only ops has a heartbeat block, and ran no ops turn; its docs' broadcast is not what it does.
  const runs: HeartbeatRunRequest[] = [];
  const heartbeat = service(twoAgents, runs);
  assert.deepEqual(heartbeatConfigView(twoAgents).agentIds, ["ops"]);
  const outcome = await heartbeat.runNow({ reason: "wake" });
  assert.equal(outcome.status, "ok-empty");
  assert.deepEqual(runs.map((r) => r.sessionKey), ["agent:main:main"]);
  const ops = await heartbeat.runNow({ reason: "wake", agentId: "ops" });
  assert.equal(ops.status, "ok-empty");
  assert.deepEqual(runs.map((r) => r.sessionKey), ["agent:main:main", "agent:ops:main"]);
});

Deno.test("the interval schedules enrolled agents only", () => {
  const heartbeat = service(twoAgents, []);
  heartbeat.start();
  try {
    assert.deepEqual(Object.keys(heartbeat.nextDue()), ["ops"]);
  } finally {
    heartbeat.stop();
  }
});

Deno.test("HEARTBEAT.md is read up to 256 KiB, cut on a character boundary, with a warning", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/HEARTBEAT.md`;
    assert.equal(await readIfPresent(`${dir}/absent.md`), undefined);
    await Deno.writeTextFile(path, "- check mail\n");
    assert.deepEqual(await readScratchCapped(path), { text: "- check mail\n", truncated: false });
    // 'é' is two bytes: a cut at an odd byte count must not split one.
    await Deno.writeTextFile(path, "é".repeat(SCRATCH_MAX_BYTES));
    const warnings: string[] = [];
    const text = await readIfPresent(path, (message) => warnings.push(message));
    assert.equal(text, "é".repeat(SCRATCH_MAX_BYTES / 2));
    assert.equal(warnings.length, 1);
    const odd = await readScratchCapped(path, 5);
    assert.deepEqual(odd, { text: "éé", truncated: true });
    await Deno.writeTextFile(path, "x".repeat(SCRATCH_MAX_BYTES));
    assert.deepEqual((await readScratchCapped(path))?.truncated, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
