// `openclaw mcp serve` across a gateway restart: our gateway stopped by PID under our bridge (-v), tools called while
// it is down, a new gateway on the same port and state dir, the bridge reconnecting on its own (polled through a
// tool), then a new Telegram message through events_wait and a reply through messages_send; every answer and the
// bridge's stderr checked against the reference's bridge on the same steps
// (tests/fixtures/mcp/reference_mcp_reconnect.json, by tools/record_reference_mcp_reconnect.ts).
import assert from "node:assert/strict";
import { type McpReconnectRecording, runMcpReconnectScenario } from "../support/mcp_reconnect_scenario.ts";
import type { McpStep } from "../support/mcp_serve_scenario.ts";

const FIXTURE: McpReconnectRecording = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/mcp/reference_mcp_reconnect.json", import.meta.url)),
);

type Json = Record<string, unknown>;

/** A conversation without what each gateway fills differently (as in mcp_serve_test: labels, preview, time). */
function conversation(value: unknown): Json | null {
  if (value === null || value === undefined) return null;
  const { displayName: _d, derivedTitle: _t, lastMessagePreview: _p, updatedAt, ...rest } = value as Json;
  return { ...rest, updatedAt: updatedAt === null ? null : "<time>" };
}

/** A step's answer without ids, times and each gateway's raw payload. */
function normalized(step: McpStep): unknown {
  const answer = step.answer as { content?: { text: string }[]; structuredContent?: Json; isError?: boolean };
  const s = answer.structuredContent;
  const base = { text: (answer.content?.[0]?.text ?? "").split("\n\n")[0], isError: answer.isError ?? false };
  if (!s) return base;
  if ("conversations" in s) return { ...base, conversations: (s.conversations as unknown[]).map(conversation) };
  if ("event" in s) {
    if (s.event === null) return { ...base, event: null, gap: s.gap };
    const { raw: _raw, messageId, conversation: c, messageSeq: _seq, ...rest } = s.event as Json;
    return { ...base, event: { ...rest, conversation: conversation(c), messageId: typeof messageId }, gap: s.gap };
  }
  if ("result" in s) return { ...base, channel: (s.result as Json).channel };
  return { ...base, structured: s };
}

/** Runs the scenario on our gateway with `bridge`'s `mcp serve` ("ours" or "ref"). */
async function scenarioOnOurGateway(bridge: string): Promise<McpReconnectRecording> {
  const root = await Deno.makeTempDir({ prefix: "oc-mcp-reconnect-" });
  try {
    return await runMcpReconnectScenario("ours", root, bridge);
  } finally {
    await Deno.remove(root, { recursive: true }).catch(() => {});
  }
}

/**
 * The reference's bridge sends a tool's request on a reconnecting socket before its `connect` (its client checks only
 * that the socket is open); a gateway (the reference's as ours) closes such a handshake with 1008 and the bridge says
 * so, then retries. Whether a poll of the scenario lands in that window is timing: this line is left out of its
 * stderr, as are the reference's own runtime diagnostics (`[sqlite/transaction] slow SQLite transaction ...` on a
 * loaded machine). Ours sends nothing before hello-ok, so its stderr is compared whole.
 */
const HANDSHAKE_RACE =
  /^gateway connect failed: Error: gateway closed \(1008\): invalid handshake: first request must be connect\n/gm;

/** Every step, the Telegram send, the exit and stderr as the reference's bridge recorded them. */
function assertAsRecorded(ours: McpReconnectRecording): void {
  assert.deepEqual(ours.steps.map((s) => s.step), FIXTURE.steps.map((s) => s.step));
  for (const [i, step] of ours.steps.entries()) {
    assert.deepEqual(step.request, FIXTURE.steps[i]!.request, step.step);
    assert.deepEqual(normalized(step), normalized(FIXTURE.steps[i]!), step.step);
  }
  assert.deepEqual(ours.telegramSent, FIXTURE.telegramSent);
  assert.equal(ours.exitCode, 0, "the bridge exits once its stdin closes");
  assert.equal(ours.stderr, FIXTURE.stderr, "with -v, nothing about the drop or the reconnect");
}

Deno.test("mcp serve reconnects after a gateway restart as the reference's bridge does: tools while down, events and sends after", async () => {
  assertAsRecorded(await scenarioOnOurGateway("ours"));
});

Deno.test("the reference's own mcp serve reconnects to our restarted gateway and resumes as with its own", async () => {
  const theirs = await scenarioOnOurGateway("ref");
  const stderr = theirs.stderr.replace(HANDSHAKE_RACE, "").replace(/^\[[\w/-]+\] .*\n/gm, "");
  assertAsRecorded({ ...theirs, stderr });
});
