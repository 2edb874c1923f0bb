// The channel side of a Telegram DM on its own, for tests/bench/channel_pair.ts (docs/performance.md, "the channel
// DM, part 2"): the real ChannelManager, Telegram account (grammY long polling), durable ingress queue and reply
// delivery, with a run that answers at once (no session store, no model): what a DM costs the gateway outside the
// agent run. `deno run -A tests/bench/channel_side_server.ts <apiRoot> <botToken>`; prints `ready` once polling,
// stops on SIGTERM and removes its state dir.
// deno-lint-ignore-file no-console -- a measuring script prints its state; it is not part of src/.
import type { AgentRuns, RunOutcome, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { ChannelManager } from "../../src/channels/manager.ts";
import type { RawConfig } from "../../src/config/schema.ts";
import { resolveRouting } from "../../src/config/resolve_sections.ts";
import { getLogger } from "../../src/log/logger.ts";

const [apiRoot, botToken] = Deno.args;
if (!apiRoot || !botToken) throw new Error("usage: channel_side_server.ts <apiRoot> <botToken>");
const ANSWER = "Hello from the fake model, streamed in pieces.";

/** A run that streams the whole answer in one delta and ends: the channel side's share alone. */
function instantRun(request: RunRequest): StartResult {
  const done = Promise.resolve().then((): RunOutcome => {
    request.onDelta?.(ANSWER);
    const now = Date.now();
    return {
      runId: request.idempotencyKey,
      status: "ok",
      text: ANSWER,
      stopReason: "stop",
      error: undefined,
      upstreamStatus: undefined,
      usage: { input: 1, output: 1 },
      provider: "fake",
      model: "instant",
      sessionId: null,
      startedAt: now,
      endedAt: now,
    };
  });
  return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: Date.now(), done };
}

const stateDir = await Deno.makeTempDir({ prefix: "oc-channel-side-" });
const raw: RawConfig = {
  session: { dmScope: "per-channel-peer" },
  channels: { telegram: { botToken, apiRoot, dmPolicy: "open", allowFrom: ["*"] } },
};
const routing = resolveRouting(raw);
// Only `start` is reached on this path (no commands, no media): the rest of AgentRuns is never called.
const runs = { start: instantRun, abortAll: () => {} } as unknown as AgentRuns;
const manager = new ChannelManager({
  stateDir,
  env: {},
  config: () => routing,
  defaultAgentId: () => "main",
  runs,
  log: getLogger("bench/channel-side"),
});
await manager.reconcile();
console.log("ready");
Deno.addSignalListener("SIGTERM", async () => {
  await manager.stop();
  await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  Deno.exit(0);
});
