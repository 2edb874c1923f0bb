import assert from "node:assert/strict";
import { Hub, type HubMember } from "../../src/protocol/hub.ts";
import { getLogger } from "../../src/log/logger.ts";
import { emitAgentEvent } from "../../src/server/agent_event_fanout.ts";

function member(connId: string): HubMember & { got: string[] } {
  const got: string[] = [];
  return {
    connId,
    authenticated: true,
    scopes: ["operator.read"],
    got,
    sendEvent: () => {},
    sendEventJson: (_event, json) => got.push(String(JSON.parse(json).stream)),
    close: () => {},
  };
}

Deno.test("tool events reach only the run's recipients; other streams reach every reader; the run's end forgets them", () => {
  const hub = new Hub(getLogger("test"));
  const starter = member("starter");
  const reader = member("reader");
  hub.add(starter);
  hub.add(reader);
  hub.toolEventRecipients.add("r1", "starter");
  const event = (stream: string, data: Record<string, unknown> = {}) =>
    emitAgentEvent(hub, { runId: "r1", stream, data, seq: 1, ts: 0, sessionKey: "agent:main:main" });
  event("item", { phase: "start" });
  event("tool", { phase: "start", args: {} });
  event("lifecycle", { phase: "end" });
  event("tool", { phase: "result" });
  assert.deepEqual(starter.got, ["item", "tool", "lifecycle"]);
  assert.deepEqual(reader.got, ["item", "lifecycle"]);
});

Deno.test("a connection that leaves stops receiving its runs' tool events", () => {
  const hub = new Hub(getLogger("test"));
  const starter = member("starter");
  hub.add(starter);
  hub.toolEventRecipients.add("r1", "starter");
  hub.remove("starter");
  assert.equal(hub.toolEventRecipients.get("r1").size, 0);
});
