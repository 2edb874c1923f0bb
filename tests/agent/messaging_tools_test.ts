// The messaging and session tools in-process: their results in the reference's shapes, origin
// defaults of `message`, and sessions_send's refusals and waits through a stub run engine.
import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { messageTool } from "../../src/agent/message_tool.ts";
import { sessionTools } from "../../src/agent/session_tools.ts";
import { MAX_SEND_DEPTH, sessionsSendTool } from "../../src/agent/sessions_send_tool.ts";
import type { OutboundSend, ToolCall, ToolHost } from "../../src/agent/tool.ts";
import type { RunOutcome } from "../../src/agent/runs.ts";
import type { ResolvedConfig } from "../../src/config/resolved.ts";
import { resolveSessionTools } from "../../src/config/resolve_session_tools.ts";
import { SessionStore } from "../../src/sessions/store.ts";

function callOf(overrides: Partial<ToolCall> = {}): ToolCall {
  return {
    runId: "r1",
    toolCallId: "c1",
    agentId: "main",
    sessionKey: "agent:main:main",
    workspace: "/tmp",
    signal: new AbortController().signal,
    senderIsOwner: true,
    update: () => {},
    ...overrides,
  };
}

async function withHost(
  body: (host: ToolHost, sent: OutboundSend[], store: SessionStore) => Promise<void>,
  runs?: ToolHost["runs"],
  tools: Record<string, unknown> = {},
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-msgtools-" });
  const sessions = new SessionStore(stateDir);
  const agents = agentsFromConfig(
    {
      models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1"] } } },
      agents: { defaults: { model: { primary: "fake/m1" } }, list: [{ id: "main", default: true }, { id: "ops" }] },
    } as never,
    stateDir,
    "/home/test",
  );
  const sent: OutboundSend[] = [];
  const host: ToolHost = {
    sessions,
    agents: () => agents,
    config: () =>
      ({
        models: [{ id: "m1", name: "m1", provider: "fake", contextWindow: 32000 }],
        sessionTools: resolveSessionTools({ tools }),
      }) as unknown as ResolvedConfig,
    stateDir,
    send: (message) => {
      sent.push(message);
      return Promise.resolve({ messageId: "42" });
    },
    runs,
  };
  try {
    await body(host, sent, sessions);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

const parse = (result: { content: { type: string; text?: string }[] }) =>
  JSON.parse((result.content[0] as { text: string }).text) as Record<string, unknown>;

Deno.test("message: the origin chat is the default target; explicit channel and target win; refusals", async () => {
  await withHost(async (host, sent) => {
    const tool = messageTool(host);
    const origin = { channel: "irc", accountId: "work", to: "alice", from: "alice!a@h" };
    const answer = parse(await tool.execute({ action: "send", message: "hi" }, callOf({ origin })));
    assert.deepEqual(sent.at(-1), {
      channel: "irc",
      to: "alice",
      accountId: "work",
      text: "hi",
      sessionKey: "agent:main:main",
    });
    assert.deepEqual(answer, {
      ok: true,
      action: "send",
      channel: "irc",
      to: "alice",
      accountId: "work",
      messageId: "42",
    });
    await tool.execute({ action: "send", target: "#ops", message: "x" }, callOf({ origin }));
    assert.deepEqual(
      sent.at(-1),
      { channel: "irc", to: "#ops", accountId: "work", text: "x", sessionKey: "agent:main:main" },
      "another chat on the origin's channel: through the origin's account",
    );
    await tool.execute({ action: "send", target: "#ops", accountId: "home", message: "x" }, callOf({ origin }));
    assert.equal(sent.at(-1)?.accountId, "home", "an account the model names wins");
    await tool.execute({ action: "send", channel: "telegram", to: "123", message: "y" }, callOf({ origin }));
    assert.deepEqual(sent.at(-1), { channel: "telegram", to: "123", text: "y", sessionKey: "agent:main:main" });
    await assert.rejects(tool.execute({ action: "send", channel: "telegram", message: "z" }, callOf({ origin })), {
      message: "Action send requires a target.",
    });
    await assert.rejects(
      tool.execute({ action: "send", target: "#a", message: "z" }, callOf()),
      /^ToolError: Channel is required/,
    );
    await assert.rejects(tool.execute({ action: "react", message: "z" }, callOf()), /Unknown message action: react/);
    const dry = parse(
      await tool.execute({ action: "send", channel: "irc", target: "#a", message: "d", dryRun: true }, callOf()),
    );
    assert.equal(dry.dryRun, true);
    assert.equal(sent.length, 4, "a dry run sends nothing");
  });
});

Deno.test("sessions_list and sessions_history answer in the reference's tool shapes", async () => {
  await withHost(async (host, _sent, store) => {
    await store.ensure("agent:main:main", "main");
    await store.ensure("agent:main:x1", "main");
    const long = "y".repeat(5000);
    await store.append("agent:main:x1", "main", [
      { role: "user", content: [{ type: "text", text: "first" }], timestamp: 1 },
      { role: "assistant", content: [{ type: "text", text: long }], timestamp: 2, provider: "fake", model: "m1" },
      { role: "user", content: [{ type: "text", text: "third" }], timestamp: 3 },
    ]);
    const tools = await sessionTools(host, host.agents().agents[0]!);
    const list = tools.find((t) => t.name === "sessions_list");
    const history = tools.find((t) => t.name === "sessions_history");
    const listed = parse(await list!.execute({}, callOf()));
    assert.equal(listed.count, 2);
    assert.equal(listed.hasMore, false);
    assert.equal(listed.limitApplied, 100);
    const rows = listed.sessions as Record<string, unknown>[];
    const main = rows.find((r) => r.key === "agent:main:main")!;
    assert.equal(main.kind, "main");
    assert.equal(main.status, "running", "the caller's own session is running");
    assert.equal(main.contextTokens, 32000);
    assert.equal(main.model, "m1");
    const other = rows.find((r) => r.key === "agent:main:x1")!;
    assert.deepEqual(
      [other.kind, other.channel, other.displayName, other.archived, other.pinned],
      ["other", "unknown", "x1", false, false],
    );
    assert.equal(parse(await list!.execute({ kinds: ["main"] }, callOf())).count, 1);
    assert.equal(parse(await list!.execute({ limit: 1000 }, callOf())).limitApplied, 200);

    const tail = parse(await history!.execute({ sessionKey: "x1", limit: 2 }, callOf()));
    assert.equal(tail.sessionKey, "agent:main:x1");
    const messages = tail.messages as { role: string; content: unknown }[];
    assert.deepEqual(messages.map((m) => m.role), ["assistant", "user"]);
    assert.equal(messages[1]!.content, "third");
    const text = (messages[0]!.content as { text: string }[])[0]!.text;
    assert.ok(text.length < 4100 && text.startsWith("yyyy"), "a long text block is cut");
    assert.equal(tail.truncated, true);
    assert.equal(tail.contentTruncated, true);
    assert.equal(tail.nextOffset, 2);
    assert.deepEqual(tail.pendingInputs, { items: [], total: 0 });
    const older = parse(await history!.execute({ sessionKey: "agent:main:x1", offset: 2 }, callOf()));
    assert.deepEqual((older.messages as { content: string }[]).map((m) => m.content), ["first"]);
  });
});

Deno.test("sessions_list: an archived session is listed only when asked for, and says it is archived", async () => {
  await withHost(async (host, _sent, store) => {
    await store.ensure("agent:main:main", "main");
    await store.ensure("agent:main:old", "main");
    await store.archive("agent:main:old", "main", true);
    const list = (await sessionTools(host, host.agents().agents[0]!)).find((t) => t.name === "sessions_list")!;
    const keys = async (args: Record<string, unknown>) =>
      (parse(await list.execute(args, callOf())).sessions as { key: string; archived: boolean }[])
        .map((r) => [r.key, r.archived]);
    // As the reference's tool: sessions.list without `archived` lists the active sessions.
    assert.deepEqual(await keys({}), [["agent:main:main", false]]);
    assert.deepEqual(await keys({ archived: false }), [["agent:main:main", false]]);
    assert.deepEqual(await keys({ archived: true }), [["agent:main:old", true]]);
    assert.deepEqual(
      (await keys({ archived: "all" })).sort(),
      [["agent:main:main", false], ["agent:main:old", true]],
    );
  });
});

Deno.test("sessions_send: the reference's refusals, a waited reply, and accepted at once with timeoutSeconds 0", async () => {
  const started: { sessionKey: string; message: string; senderIsOwner?: boolean | undefined }[] = [];
  let finish: (outcome: Partial<RunOutcome>) => void = () => {};
  let onStart = () => {};
  const runs: ToolHost["runs"] = {
    start: (request) => {
      started.push(request);
      onStart();
      const done = new Promise<RunOutcome>((resolve) =>
        finish = (o) => resolve({ status: "ok", text: "", ...o } as RunOutcome)
      );
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: Date.now(), done };
    },
  };
  await withHost(async (host, _sent, store) => {
    const tool = sessionsSendTool(host);
    const call = callOf({ sessionKey: "agent:main:boss" });
    await store.ensure("agent:main:boss", "main");
    assert.deepEqual(
      { ...parse(await tool.execute({ message: "x" }, call)), runId: "-" },
      { runId: "-", status: "error", error: "Either sessionKey or label is required" },
    );
    const missing = parse(await tool.execute({ sessionKey: "nope", message: "x" }, call));
    assert.equal(missing.error, "No session found: agent:main:nope");
    const self = parse(await tool.execute({ sessionKey: "boss", message: "x" }, call));
    assert.equal(self.error, "sessions_send cannot target the calling session; use your own reply instead");
    const other = parse(await tool.execute({ agentId: "zzz", message: "x" }, call));
    assert.equal(other.error, 'Agent "zzz" not found. Run openclaw agents list to see configured agents.');
    await assert.rejects(tool.execute({ sessionKey: "main" }, call), /message required/);

    // The agent's main session needs no row: it is created by its first run.
    const runStarted = new Promise<void>((resolve) => onStart = resolve);
    const waiting = tool.execute({ agentId: "main", message: "how many?", timeoutSeconds: 5 }, call);
    await runStarted;
    finish({ text: "seven" });
    const ok = parse(await waiting);
    assert.equal(ok.status, "ok");
    assert.equal(ok.reply, "seven");
    assert.equal(ok.sessionKey, "agent:main:main");
    assert.deepEqual(started.at(-1), {
      agentId: "main",
      sessionKey: "agent:main:main",
      message: "how many?",
      idempotencyKey: ok.runId,
      senderIsOwner: false,
      sendDepth: 1,
    });

    await store.ensure("agent:main:worker", "main");
    const queued = parse(await tool.execute({ sessionKey: "worker", message: "go", timeoutSeconds: 0 }, call));
    assert.equal(queued.status, "accepted");
    assert.equal(queued.targetDisposition, "queued");
    finish({ text: "" });
    const quiet = tool.execute({ label: "nothing", message: "x" }, call);
    assert.equal(parse(await quiet).error, "No session found with label: nothing");
  }, runs);
});

Deno.test("session tools across agents: on by default; tools.agentToAgent and tools.sessions.visibility refuse as the reference", async () => {
  const runs: ToolHost["runs"] = {
    start: (request) => ({
      kind: "accepted",
      runId: request.idempotencyKey,
      acceptedAt: 0,
      done: Promise.resolve({ status: "ok", text: "hi from ops" } as RunOutcome),
    }),
  };
  const send = async (tools: Record<string, unknown>) => {
    let answer: Record<string, unknown> = {};
    await withHost(
      async (host) => {
        answer = parse(await sessionsSendTool(host).execute({ agentId: "ops", message: "x" }, callOf()));
      },
      runs,
      tools,
    );
    return answer;
  };
  assert.equal((await send({})).reply, "hi from ops", "cross-agent sends are on by default");
  assert.deepEqual(
    [
      (await send({ agentToAgent: { enabled: false } })).status,
      (await send({ agentToAgent: { enabled: false } })).error,
    ],
    [
      "forbidden",
      "Agent-to-agent messaging is disabled. Set tools.agentToAgent.enabled=true to allow cross-agent sends.",
    ],
  );
  assert.equal(
    (await send({ agentToAgent: { allow: ["main"] } })).error,
    "Agent-to-agent messaging denied by tools.agentToAgent.allow.",
  );
  assert.equal((await send({ agentToAgent: { allow: ["main", "o*"] } })).status, "ok");
  assert.equal(
    (await send({ sessions: { visibility: "agent" } })).error,
    "Session send visibility is restricted. Set tools.sessions.visibility=all to allow cross-agent access; " +
      "use tools.agentToAgent to restrict permitted agent pairs.",
  );
  await withHost(
    async (host, _sent, store) => {
      await store.ensure("agent:main:main", "main");
      await store.ensure("agent:main:side", "main");
      const tools = await sessionTools(host, host.agents().agents[0]!);
      const history = tools.find((t) => t.name === "sessions_history")!;
      const denied = parse(
        await history.execute({ sessionKey: "agent:main:side" }, callOf({ sessionKey: "agent:main:side2" })),
      );
      assert.equal(
        denied.error,
        "Session history visibility is restricted to the current session (tools.sessions.visibility=self).",
      );
      const list = tools.find((t) => t.name === "sessions_list")!;
      const listed = parse(await list.execute({}, callOf()));
      assert.deepEqual((listed.sessions as { key: string }[]).map((r) => r.key), ["agent:main:main"]);
    },
    runs,
    { sessions: { visibility: "self" } },
  );
});

Deno.test("sessions_send: never its own session, and chains end at the reference's ping-pong bound", async () => {
  const started: { sessionKey: string; sendDepth?: number | undefined }[] = [];
  const runs: ToolHost["runs"] = {
    start: (request) => {
      started.push(request);
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: 0, done: new Promise(() => {}) };
    },
  };
  await withHost(async (host, _sent, store) => {
    const tool = sessionsSendTool(host);
    await store.ensure("agent:main:worker", "main");
    // Not waiting (timeoutSeconds 0) would re-run the caller's own session without end: refused too.
    const self = parse(await tool.execute({ sessionKey: "main", message: "again", timeoutSeconds: 0 }, callOf()));
    assert.equal(self.status, "error");
    assert.equal(self.error, "sessions_send cannot target the calling session; use your own reply instead");
    assert.equal(started.length, 0);

    // A run four hops down may send once more (its run is the fifth); the fifth may not.
    const fourth = parse(
      await tool.execute({ sessionKey: "worker", message: "on", timeoutSeconds: 0 }, callOf({ sendDepth: 4 })),
    );
    assert.equal(fourth.status, "accepted");
    assert.equal(started.at(-1)?.sendDepth, MAX_SEND_DEPTH);
    const fifth = parse(
      await tool.execute({ sessionKey: "worker", message: "on", timeoutSeconds: 0 }, callOf({ sendDepth: 5 })),
    );
    assert.equal(fifth.status, "error");
    assert.equal(fifth.error, "sessions_send chain limit reached (5 turns); use your own reply instead");
    assert.equal(started.length, 1);
  }, runs);
});

Deno.test("sessions_send: a timeoutSeconds past what a timer holds waits for the reply instead of timing out at once", async () => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const runs: ToolHost["runs"] = {
    start: (request) => {
      // A run that takes a while: an overflowed wait fires after 1 ms and gives up before it answers.
      const done = new Promise<RunOutcome>((resolve) => {
        timer = setTimeout(() => resolve({ status: "ok", text: "late but here" } as RunOutcome), 200);
      });
      return { kind: "accepted", runId: request.idempotencyKey, acceptedAt: 0, done };
    },
  };
  await withHost(async (host) => {
    const answer = parse(
      await sessionsSendTool(host).execute(
        { agentId: "main", message: "x", timeoutSeconds: 3_000_000 },
        callOf({
          sessionKey: "agent:main:boss",
        }),
      ),
    );
    clearTimeout(timer);
    assert.equal(answer.status, "ok", JSON.stringify(answer));
    assert.equal(answer.reply, "late but here");
  }, runs);
});

Deno.test("sessions_send: a caller that may not see a session learns nothing of whether it exists", async () => {
  await withHost(
    async (host, _sent, store) => {
      await store.ensure("agent:main:hidden", "main");
      const tool = sessionsSendTool(host);
      const call = callOf({ sessionKey: "agent:main:boss" });
      const existing = parse(await tool.execute({ sessionKey: "hidden", message: "x" }, call));
      const missing = parse(await tool.execute({ sessionKey: "nope", message: "x" }, call));
      assert.equal(existing.status, "forbidden");
      assert.deepEqual([missing.status, missing.error], [existing.status, existing.error]);
    },
    undefined,
    { sessions: { visibility: "self" } },
  );
});
