import assert from "node:assert/strict";
import type { AgentsConfig } from "../../src/agent/agents_config.ts";
import type { RunOutcome } from "../../src/agent/runs.ts";
import { ResponseSessions } from "../../src/http/response_sessions.ts";

const agents = { defaultAgentId: "main", agents: [{ id: "main" }, { id: "ops" }] } as unknown as AgentsConfig;

function request(token: string, headers: Record<string, string> = {}): Request {
  return new Request("http://x/v1/responses", { headers: { authorization: `Bearer ${token}`, ...headers } });
}

const outcome = { status: "ok", text: "Blue.", pendingToolCalls: undefined } as unknown as RunOutcome;
const ask = {
  model: "openclaw",
  user: undefined,
  message: "sky?",
  context: [{ role: "system" as const, text: "Be brief." }],
  stream: false,
};
const stateless = { agentId: "main", sessionKey: "agent:main:openresponses:x", ephemeral: true };
const kept = { agentId: "main", sessionKey: "agent:main:openresponses-user:u1", ephemeral: false };

Deno.test("ResponseSessions: a stateless answer comes back as its conversation (not its instructions), a kept one as its session, to the same scope only", () => {
  let now = 1_000;
  const sessions = new ResponseSessions(() => now);
  sessions.remember(request("t1"), "resp_a", stateless, ask, outcome);
  sessions.remember(request("t1"), "resp_b", kept, ask, outcome);
  const body = (id: string) => ({ model: "openclaw", "previous_response_id": id });
  assert.deepEqual(sessions.resume(request("t1"), body("resp_a"), agents), {
    earlier: [{ role: "user", text: "sky?" }, { role: "assistant", text: "Blue." }],
  });
  assert.deepEqual(sessions.resume(request("t1"), body("resp_b"), agents), { sessionKey: kept.sessionKey });
  // Another token, another agent, another session header, an unknown id: nothing to continue.
  assert.equal(sessions.resume(request("t2"), body("resp_b"), agents), undefined);
  assert.equal(sessions.resume(request("t1"), { ...body("resp_b"), model: "openclaw/ops" }, agents), undefined);
  assert.equal(
    sessions.resume(request("t1", { "x-openclaw-session-key": "mine" }), body("resp_b"), agents),
    undefined,
  );
  assert.equal(sessions.resume(request("t1"), body("resp_nope"), agents), undefined);
  // Past 30 minutes it is gone.
  now += 30 * 60_000 + 1;
  assert.equal(sessions.resume(request("t1"), body("resp_b"), agents), undefined);
});

Deno.test("ResponseSessions: at most 500 answers, the oldest out first", () => {
  const sessions = new ResponseSessions(() => 5);
  for (let i = 0; i < 501; i++) sessions.remember(request("t"), `resp_${i}`, kept, ask, outcome);
  const body = (id: string) => ({ model: "openclaw", "previous_response_id": id });
  assert.equal(sessions.resume(request("t"), body("resp_0"), agents), undefined);
  assert.deepEqual(sessions.resume(request("t"), body("resp_1"), agents), { sessionKey: kept.sessionKey });
  assert.deepEqual(sessions.resume(request("t"), body("resp_500"), agents), { sessionKey: kept.sessionKey });
});

Deno.test("ResponseSessions: a conversation whose tool results or call arguments are huge is not kept (every string counts)", () => {
  const sessions = new ResponseSessions(() => 5);
  const big = "x".repeat(300 * 1024);
  const body = (id: string) => ({ model: "openclaw", "previous_response_id": id });
  const withResult = {
    ...ask,
    continuation: [{
      role: "tool" as const,
      toolCallId: "c1",
      toolName: "",
      content: [{ type: "text" as const, text: big }],
      isError: false,
    }],
  };
  sessions.remember(request("t"), "resp_result", stateless, withResult, outcome);
  assert.equal(sessions.resume(request("t"), body("resp_result"), agents), undefined);
  const withCall = {
    ...ask,
    continuation: [{ role: "assistant" as const, text: "", toolCalls: [{ id: "c1", name: "f", input: { q: big } }] }],
  };
  sessions.remember(request("t"), "resp_call", stateless, withCall, outcome);
  assert.equal(sessions.resume(request("t"), body("resp_call"), agents), undefined);
  const handedBack = { ...outcome, pendingToolCalls: [{ id: "c2", name: "f", arguments: JSON.stringify({ q: big }) }] };
  sessions.remember(request("t"), "resp_pending", stateless, ask, handedBack);
  assert.equal(sessions.resume(request("t"), body("resp_pending"), agents), undefined);
});

Deno.test("ResponseSessions: the kept conversations together stay under a total bound, the oldest out first", () => {
  const sessions = new ResponseSessions(() => 5);
  const body = (id: string) => ({ model: "openclaw", "previous_response_id": id });
  // Each just under the per-answer bound: 500 of them would hold 125 MiB of text.
  const large = { ...ask, message: "y".repeat(250 * 1024) };
  for (let i = 0; i < 500; i++) sessions.remember(request("t"), `resp_${i}`, stateless, large, outcome);
  let kept = 0;
  for (let i = 0; i < 500; i++) if (sessions.resume(request("t"), body(`resp_${i}`), agents)) kept++;
  // At most 16 MiB of text together: 65 of these.
  assert.ok(kept > 0 && kept * 250 * 1024 <= 16 * 1024 * 1024, `kept ${kept}`);
  assert.ok(sessions.resume(request("t"), body("resp_499"), agents), "the newest stays");
  assert.equal(sessions.resume(request("t"), body("resp_0"), agents), undefined);
});
