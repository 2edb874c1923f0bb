import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import type { AgentRuns, RunRequest, StartResult } from "../../src/agent/runs.ts";
import { agentMethods, requestedModel } from "../../src/rpc/methods/agent.ts";
import { RpcError } from "../../src/rpc/errors.ts";

const agents = agentsFromConfig(
  {
    models: { providers: { local: { baseUrl: "http://127.0.0.1:1/v1" }, cloud: { baseUrl: "http://127.0.0.1:2/v1" } } },
    agents: { defaults: { model: { primary: "local/m1" } } },
  } as never,
  "/s",
  "/home/test",
);

Deno.test("agent runs on params.model instead of the agent's model, as the reference does", async () => {
  const started: RunRequest[] = [];
  const runs = {
    start: (request: RunRequest): StartResult => {
      started.push(request);
      return { kind: "in_flight", runId: request.idempotencyKey };
    },
  } as unknown as AgentRuns;
  const methods = agentMethods({ runs, agents: () => agents });
  const call = (params: Record<string, unknown>) =>
    methods.agent!.handler({
      params: { message: "hi", idempotencyKey: crypto.randomUUID(), ...params },
      caller: {} as never,
      accept: () => {},
    });
  await call({ model: "cloud/big" });
  await call({});
  assert.deepEqual(started.map((r) => r.model), [{ provider: "cloud", model: "big" }, undefined]);
});

Deno.test("requestedModel() reads provider/model, a bare id with provider, or a bare id of the agent's provider", () => {
  assert.deepEqual(requestedModel(agents, "main", { model: "cloud/big" }), { provider: "cloud", model: "big" });
  assert.deepEqual(requestedModel(agents, "main", { model: "big", provider: "cloud" }), {
    provider: "cloud",
    model: "big",
  });
  assert.deepEqual(requestedModel(agents, "main", { model: "m2" }), { provider: "local", model: "m2" });
  assert.deepEqual(requestedModel(agents, "main", { provider: "cloud" }), { provider: "cloud", model: "m1" });
  assert.equal(requestedModel(agents, "main", {}), undefined);
  const bare = agentsFromConfig({} as never, "/s", "/home/test");
  assert.throws(() => requestedModel(bare, "main", { model: "m2" }), RpcError);
});

Deno.test("agent and chat.send hand their runs to joinToolEvents; chat.send also the session's other active runs", async () => {
  const runs = {
    start: (request: RunRequest): StartResult => ({ kind: "in_flight", runId: request.idempotencyKey }),
    activeRunIds: () => ["earlier", "chat-1"],
  } as unknown as AgentRuns;
  const joined: [readonly string[], string][] = [];
  const methods = agentMethods({
    runs,
    agents: () => agents,
    joinToolEvents: (runIds, caller) => void joined.push([runIds, caller.connId]),
  });
  const caller = { connId: "c1", caps: ["tool-events"], scopes: ["operator.write"] } as never;
  await methods.agent!.handler({ params: { message: "hi", idempotencyKey: "agent-1" }, caller, accept: () => {} });
  await methods["chat.send"]!.handler({
    params: { sessionKey: "agent:main:main", message: "hi", idempotencyKey: "chat-1" },
    caller,
    accept: () => {},
  });
  assert.deepEqual(joined, [[["agent-1"], "c1"], [["chat-1", "earlier"], "c1"]]);
});

Deno.test("chat.send /compact is answered at once; the compaction's reply follows as a chat event when it ends", async () => {
  const compaction = Promise.withResolvers<{ compacted: false; reason: string; tokensBefore: number }>();
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const announced = Promise.withResolvers<void>();
  const methods = agentMethods({
    runs: {} as unknown as AgentRuns,
    agents: () => agents,
    commands: {
      deps: {
        sessions: {} as never,
        runs: { abort: () => [], activeRunIds: () => [] },
        agents: () => agents,
        models: () => [],
        compact: () => compaction.promise,
      },
      emit: (event, payload) => {
        events.push({ event, payload });
        if (event === "chat" && payload.state === "final") announced.resolve();
      },
    },
  });
  const answer = await methods["chat.send"]!.handler({
    params: { sessionKey: "agent:main:main", message: "/compact", idempotencyKey: "c1" },
    caller: { scopes: ["operator.admin"] } as never,
    accept: () => {},
  });
  assert.deepEqual(answer, { runId: "c1", status: "started" });
  assert.deepEqual(events, [], "nothing announced before the compaction ends");
  compaction.resolve({ compacted: false, reason: "Nothing to compact (session too small)", tokensBefore: 10 });
  await announced.promise;
  assert.match(JSON.stringify(events), /Compaction skipped: nothing compactable in this session yet/);
});

Deno.test("chat.send from a client without operator.admin runs as a non-owner (no owner-only tools), as the reference", async () => {
  const started: RunRequest[] = [];
  const runs = {
    start: (request: RunRequest): StartResult => {
      started.push(request);
      return { kind: "in_flight", runId: request.idempotencyKey };
    },
    activeRunIds: () => [],
  } as unknown as AgentRuns;
  const methods = agentMethods({ runs, agents: () => agents });
  for (const scopes of [["operator.write"], ["operator.admin"]]) {
    await methods["chat.send"]!.handler({
      params: { sessionKey: "agent:main:main", message: "schedule a job", idempotencyKey: scopes[0]! },
      caller: { connId: "c1", scopes } as never,
      accept: () => {},
    });
  }
  // Unset means the owner (runs default it to true): only the write-only client is marked.
  assert.deepEqual(started.map((r) => r.senderIsOwner), [false, undefined]);
});

Deno.test("agent and chat.send refuse an archived session in the reference's words, and start nothing", async () => {
  const started: RunRequest[] = [];
  const runs = {
    start: (request: RunRequest): StartResult => {
      started.push(request);
      return { kind: "in_flight", runId: request.idempotencyKey };
    },
    activeRunIds: () => [],
  } as unknown as AgentRuns;
  const methods = agentMethods({
    runs,
    agents: () => agents,
    archived: (key) => Promise.resolve(key === "agent:main:old"),
  });
  const caller = { connId: "c1", scopes: ["operator.write"] } as never;
  for (const method of ["agent", "chat.send"] as const) {
    await assert.rejects(
      Promise.resolve(methods[method]!.handler({
        params: { sessionKey: "agent:main:old", message: "hi", idempotencyKey: `${method}-1` },
        caller,
        accept: () => {},
      })),
      (error: Error & { code?: string }) =>
        error.code === "INVALID_REQUEST" &&
        error.message === 'Session "agent:main:old" is archived. Restore it before starting new work.',
    );
    await methods[method]!.handler({
      params: { sessionKey: "agent:main:live", message: "hi", idempotencyKey: `${method}-2` },
      caller,
      accept: () => {},
    });
  }
  assert.deepEqual(started.map((r) => r.idempotencyKey), ["agent-2", "chat.send-2"]);
});
