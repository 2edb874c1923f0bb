import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import {
  compactReply,
  exportTrajectoryReply,
  resetArguments,
  runChatCommand,
} from "../../src/agent/chat_command_run.ts";
import { parseChatCommand } from "../../src/agent/chat_commands.ts";
import { SessionStore } from "../../src/sessions/store.ts";

const KEY = "agent:main:main";
const target = { agentId: "main", sessionKey: KEY };
const models = ["m1", "m2"].map((id) => ({ id, name: id, provider: "fake", reasoning: id === "m2", available: true }));

async function withDeps(
  body: (run: (text: string) => Promise<string>, sessions: SessionStore, aborted: string[]) => Promise<void>,
) {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1", "m2"] } } },
        agents: { defaults: { model: { primary: "fake/m1" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const aborted: string[] = [];
    const deps = {
      sessions,
      runs: {
        abort: ({ sessionKey }: { sessionKey?: string | undefined }) => (aborted.push(sessionKey!), []),
        activeRunIds: () => [],
      },
      agents: () => agents,
      models: () => models,
    };
    await body((text) => runChatCommand(deps, parseChatCommand(text)!, target), sessions, aborted);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

Deno.test("/model shows, sets, refuses unknown providers, and goes back to the default", async () => {
  await withDeps(async (run, sessions) => {
    assert.match(await run("/model"), /^Current: fake\/m1\nThink: off/);
    assert.equal(await run("/model m2"), "Model set to fake/m2 for this session only; configured default unchanged.");
    assert.equal((await sessions.get(KEY, "main"))!.modelOverride, "m2");
    assert.match(await run("/model"), /^Current: fake\/m2\n/);
    assert.equal(await run("/model other/x"), 'Unknown provider "other". Use /models to list providers.');
    assert.equal((await sessions.get(KEY, "main"))!.modelOverride, "m2");
    // A built-in provider needs no models.providers entry (its key comes from the auth-profile store).
    assert.equal(
      await run("/model anthropic/claude-opus-5"),
      "Model set to anthropic/claude-opus-5 for this session only; configured default unchanged.",
    );
    assert.equal((await sessions.get(KEY, "main"))!.providerOverride, "anthropic");
    await run("/model m2");
    assert.equal(
      await run("/model fake/m1 -g"),
      "Model set to fake/m1 for this session. Global default unchanged because configuration is immutable.",
    );
    assert.equal(await run("/model default"), "Session model reset to configured default (fake/m1).");
    assert.equal((await sessions.get(KEY, "main"))!.modelOverride, undefined);
    // Choosing the agent's own model by name clears the session's choice, in the reference's words.
    await run("/model m2");
    assert.equal(await run("/model fake/m1"), "Session model reset to configured default (fake/m1).");
    assert.equal((await sessions.get(KEY, "main"))!.modelOverride, undefined);
  });
});

Deno.test("/new and /reset stop the session's run and start a new session id; /stop aborts", async () => {
  await withDeps(async (run, sessions, aborted) => {
    const first = await sessions.ensure(KEY, "main");
    assert.equal(await run("/new"), "✅ New session started.");
    const second = (await sessions.get(KEY, "main"))!;
    assert.notEqual(second.sessionId, first.sessionId);
    assert.equal(await run("/reset"), "✅ Session reset.");
    assert.notEqual((await sessions.get(KEY, "main"))!.sessionId, second.sessionId);
    assert.equal(await run("/stop"), "⚙️ Agent was aborted.");
    assert.deepEqual(aborted, [KEY, KEY, KEY]);
    // A reset's window holds no context: 0, fresh, as the reference's reset writes it and its card shows it.
    assert.match(
      await run("/status"),
      /^🦞 OpenClaw .*\n\n🧠 Model: fake\/m1\n\n📚 Context: 0\/200k \(0%\)\n\n🧵 Session: agent:main:main • updated just now\n\n⚙️ Execution: direct\n/,
    );
    assert.match(await run("/help"), /^ℹ️ Help\n/);
  });
});

Deno.test("/think shows, sets, clears and refuses levels by the session model's profile, as the reference words it", async () => {
  await withDeps(async (run, sessions) => {
    // m1 does not reason: only off.
    assert.equal(await run("/think"), "Current thinking level: off.\nOptions: default, off.");
    assert.equal(await run("/think high"), 'Thinking level "high" is not supported for fake/m1. Use one of: off.');
    assert.equal(await run("/think big"), 'Unrecognized thinking level "big". Valid levels: default, off.');
    await run("/model m2");
    // m2 reasons: the base levels, medium by default.
    assert.equal(
      await run("/think"),
      "Current thinking level: medium.\nOptions: default, off, minimal, low, medium, high.",
    );
    assert.equal(await run("/t ultrathink"), "Thinking level set to high.");
    assert.equal((await sessions.get(KEY, "main"))!.thinkingLevel, "high");
    assert.match(await run("/status"), /Modes: think high · fast off/);
    assert.equal(await run("/think off"), "Thinking disabled.");
    assert.equal((await sessions.get(KEY, "main"))!.thinkingLevel, "off");
    assert.equal(await run("/think default"), "Thinking level reset to default.");
    assert.equal((await sessions.get(KEY, "main"))!.thinkingLevel, undefined);
  });
});

Deno.test("/compact without a compactor says it is unavailable; compactReply words each outcome as the reference", async () => {
  await withDeps(async (run) => {
    assert.match(await run("/compact"), /^⚙️ Compaction unavailable/);
  });
  const entry = { id: "e", summary: "s", firstKeptEntryId: "k", tokensBefore: 12_345, tokensAfter: 950, timestamp: 0 };
  assert.equal(
    compactReply({ compacted: true, entry, tokensBefore: 12_345, tokensAfter: 950, contextWindow: 32_000 }),
    "⚙️ Compacted (12k → 950) • Context 950/32k (3%)",
  );
  assert.equal(
    compactReply({ compacted: false, reason: "Nothing to compact (session too small)", tokensBefore: 400 }),
    "⚙️ Compaction skipped: nothing compactable in this session yet • Context 400/?",
  );
  assert.equal(
    compactReply({ compacted: false, reason: "Model provider fake is unreachable", failed: true, contextWindow: 8000 }),
    "⚙️ Compaction failed: Model provider fake is unreachable • Context ?/8.0k",
  );
});

Deno.test("/new <model> starts the fresh session on a configured model; other text is a follow-up", async () => {
  await withDeps(async (run, sessions, aborted) => {
    const first = await sessions.ensure(KEY, "main");
    assert.equal(await run("/new fake/m2"), "✅ New session started.");
    const fresh = (await sessions.get(KEY, "main"))!;
    assert.notEqual(fresh.sessionId, first.sessionId);
    assert.equal(fresh.modelOverride, "m2");
    assert.match(await run("/model"), /^Current: fake\/m2\n/);
    // Text that names no configured model is the follow-up message: the reset happens; the pinned model
    // survives a reset, as in the reference (`/model default` clears it).
    assert.equal(await run("/new summarize the logs"), "✅ New session started.");
    const again = (await sessions.get(KEY, "main"))!;
    assert.notEqual(again.sessionId, fresh.sessionId);
    assert.equal(again.modelOverride, "m2");
    assert.deepEqual(aborted, [KEY, KEY]);
    assert.match(await run("/reset soft"), /^⚙️ \/reset soft is not available on this gateway/);
    assert.equal((await sessions.get(KEY, "main"))!.sessionId, again.sessionId, "a soft reset resets nothing");
  });
});

Deno.test("resetArguments: a configured model first, the rest is the follow-up", () => {
  const deps = {
    agents: () =>
      agentsFromConfig(
        {
          models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1", "m2"] } } },
          agents: { defaults: { model: { primary: "fake/m1" } } },
        } as never,
        "/tmp",
        "/home/test",
      ),
    models: () => models,
  };
  assert.deepEqual(resetArguments(deps, "", "main"), { followUp: "" });
  assert.deepEqual(resetArguments(deps, "fake/m2", "main"), { model: { provider: "fake", model: "m2" }, followUp: "" });
  assert.deepEqual(resetArguments(deps, "m2 hello there", "main"), {
    model: { provider: "fake", model: "m2" },
    followUp: "hello there",
  });
  assert.deepEqual(resetArguments(deps, "hello there", "main"), { followUp: "hello there" });
  assert.deepEqual(resetArguments(deps, "soft keep going", "main"), { followUp: "" }, "a soft reset has no follow-up");
});

Deno.test("/model list shows the providers menu and one provider's models, as the reference's /models", async () => {
  await withDeps(async (run) => {
    assert.equal(
      await run("/model list"),
      "Providers:\n- fake (2)\n\nUse: /models <provider>\nSwitch: /model <provider/model>",
    );
    assert.equal(
      await run("/model list fake"),
      "Models (fake) — showing 1-2 of 2 (page 1/1)\n- fake/m1\n- fake/m2\n\nSwitch: /model <provider/model>",
    );
    assert.match(await run("/model list nope"), /^Unknown provider: nope\n\nAvailable providers:\n- fake\n/);
  });
});

Deno.test("/models [provider], the command the /model list hint names, answers the same menu", async () => {
  await withDeps(async (run) => {
    assert.equal(await run("/models"), await run("/model list"));
    assert.equal(await run("/models fake"), await run("/model list fake"));
    assert.equal(await run("/models fake 2 limit=all"), await run("/model list fake"), "page and limit: one page here");
    assert.match(await run("/models nope"), /^Unknown provider: nope\n/);
  });
});

Deno.test("/status is the reference's card: a pinned session model names the configured primary", async () => {
  await withDeps(async (run, sessions) => {
    await sessions.ensure(KEY, "main");
    await run("/model fake/m2");
    const card = await run("/status");
    assert.match(card, /\n🧠 Model: fake\/m2 · pinned session; config primary fake\/m1 · clear \/model default\n/);
    assert.match(card, /\n🎛️ Modes: think medium · fast off\n🪢 Queue: followup$/);
  });
});

Deno.test("/model list and /models count only the models the agent's policy allows (the reference's legacy config: 1 each)", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-policy-" });
  const sessions = new SessionStore(stateDir);
  try {
    const config = {
      models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1", "m2"] } } },
      agents: { defaults: { model: { primary: "fake/m1" }, models: { "fake/m1": {} } } },
    };
    const agents = agentsFromConfig(config as never, stateDir, "/home/test");
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => models,
    };
    const run = (text: string) => runChatCommand(deps, parseChatCommand(text)!, target);
    assert.equal(
      await run("/model list"),
      "Providers:\n- fake (1)\n\nUse: /models <provider>\nSwitch: /model <provider/model>",
    );
    assert.equal(await run("/models"), await run("/model list"));
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("/new and /stop emit command events with the ended session as previousSessionEntry", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-hooks-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({ agents: { defaults: {} } } as never, stateDir, "/home/test");
    const { InternalHooks } = await import("../../src/agent/internal_hooks.ts");
    const hooks = new InternalHooks({ error: () => {} } as never);
    const seen: { action: string; context: Record<string, unknown> }[] = [];
    hooks.replace([{ event: "command", handler: (e) => void seen.push({ action: e.action, context: e.context }) }]);
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => [],
      hooks,
    };
    const before = await sessions.ensure(KEY, "main");
    await sessions.append(KEY, "main", [
      { role: "user", content: [{ type: "text", text: "remember the door" }], timestamp: 1 },
      { role: "assistant", content: [{ type: "text", text: "Noted." }], timestamp: 2 },
    ]);
    await runChatCommand(deps, parseChatCommand("/new")!, {
      ...target,
      sender: { channel: "irc", senderId: "alice", chat: "#c" },
    });
    await runChatCommand(deps, parseChatCommand("/stop")!, target);
    await runChatCommand(deps, parseChatCommand("/stop")!, {
      ...target,
      gatewayClient: { scopes: ["operator.admin"], label: "webchat:cli", clientId: "cli" },
    });
    assert.deepEqual(seen.map((s) => s.action), ["new", "stop", "stop"]);
    const reset = seen[0]!.context;
    assert.equal((reset.previousSessionEntry as { sessionId: string }).sessionId, before.sessionId);
    assert.notEqual((reset.sessionEntry as { sessionId: string }).sessionId, before.sessionId);
    assert.deepEqual([reset.agentId, reset.commandSource, reset.senderId], ["main", "irc", "alice"]);
    // The store is the agent's database; the ended window's text was read before the reset (a channel sender's turn).
    assert.equal(reset.storePath, `${stateDir}/agents/main/agent/openclaw-agent.sqlite`);
    assert.deepEqual(reset.previousSessionMemory, {
      status: "available",
      content: 'user: "remember the door"\nassistant: "Noted."',
      originClass: "untrusted",
    });
    assert.deepEqual([seen[1]!.context.commandSource, seen[1]!.context.senderId], ["webchat", undefined]);
    // A Gateway client is the sender by its client id, as the reference's commands.log records it.
    assert.deepEqual([seen[2]!.context.commandSource, seen[2]!.context.senderId], ["webchat", "cli"]);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("a command hook that changes its session entry changes a copy: the store's kept row stays as the database has it", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-hook-copy-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({ agents: { defaults: {} } } as never, stateDir, "/home/test");
    const { InternalHooks } = await import("../../src/agent/internal_hooks.ts");
    const hooks = new InternalHooks({ error: () => {} } as never);
    hooks.replace([{
      event: "command",
      handler: (e) => {
        for (const key of ["sessionEntry", "previousSessionEntry"]) {
          const entry = e.context[key] as Record<string, unknown> | undefined;
          if (entry) entry.label = `changed by ${e.action}`;
        }
      },
    }]);
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => [],
      hooks,
    };
    await sessions.ensure(KEY, "main");
    await sessions.update(KEY, "main", { label: "kept" });
    await runChatCommand(deps, parseChatCommand("/stop")!, target);
    assert.equal((await sessions.get(KEY, "main"))?.label, "kept");
    await runChatCommand(deps, parseChatCommand("/new")!, target);
    assert.equal((await sessions.get(KEY, "main"))?.label, "kept");
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("/export-trajectory names the CLI command that exports this session's bundle on the host", () => {
  const reply = exportTrajectoryReply("bug 1 -x", "agent:main:telegram:direct:42", "/srv/my ws");
  assert.equal(
    reply.split("\n").at(-1),
    "openclaw sessions export-trajectory --session-key agent:main:telegram:direct:42 --workspace '/srv/my ws' --output bug",
  );
  assert.match(reply, /does not create trajectory bundles from chat/);
});

Deno.test("/new's hook replies are joined and routed in place of the ack; /stop's and a client's are not delivered", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-replies-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({ agents: { defaults: {} } } as never, stateDir, "/home/test");
    const { InternalHooks } = await import("../../src/agent/internal_hooks.ts");
    const hooks = new InternalHooks({ error: () => {} } as never);
    hooks.replace([{ event: "command", handler: (e) => void e.messages.push(`one ${e.action}`, `two ${e.action}`) }]);
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => [],
      hooks,
    };
    const routed: string[] = [];
    const hookReply = (text: string) => Promise.resolve(routed.push(text) > 0);
    assert.equal(await runChatCommand(deps, parseChatCommand("/new")!, { ...target, hookReply }), "");
    assert.deepEqual(routed, ["one new\n\ntwo new"]);
    // Not delivered (a route that failed, or none): the acknowledgement is sent as usual.
    const failed = () => Promise.resolve(false);
    assert.equal(
      await runChatCommand(deps, parseChatCommand("/reset")!, { ...target, hookReply: failed }),
      "✅ Session reset.",
    );
    assert.equal(await runChatCommand(deps, parseChatCommand("/new")!, target), "✅ New session started.");
    assert.equal(
      await runChatCommand(deps, parseChatCommand("/stop")!, { ...target, hookReply }),
      "⚙️ Agent was aborted.",
    );
    assert.equal(routed.length, 1);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("/model emits session:patch with the model as typed, only when the session's choice changed", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-chatcmd-patch-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig(
      {
        models: { providers: { fake: { baseUrl: "http://127.0.0.1:9", models: ["m1", "m2"] } } },
        agents: { defaults: { model: { primary: "fake/m1" } } },
      } as never,
      stateDir,
      "/home/test",
    );
    const { InternalHooks } = await import("../../src/agent/internal_hooks.ts");
    const hooks = new InternalHooks({ error: () => {} } as never);
    const patches: Record<string, unknown>[] = [];
    hooks.replace([{ event: "session:patch", handler: (e) => void patches.push(e.context) }]);
    const deps = {
      sessions,
      runs: { abort: () => [], activeRunIds: () => [] },
      agents: () => agents,
      models: () => models,
      hooks,
      rawConfig: () => ({ marker: true }),
    };
    const run = (text: string) => runChatCommand(deps, parseChatCommand(text)!, target);
    await run("/model fake/m2");
    await run("/model fake/m2");
    await run("/model status");
    await run("/model default");
    await run("/model default");
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.deepEqual(patches.map((p) => p.patch), [{ key: KEY, model: "fake/m2" }, { key: KEY, model: "default" }]);
    assert.equal((patches[0]!.sessionEntry as { modelOverride?: string }).modelOverride, "m2");
    assert.deepEqual(patches[0]!.cfg, { marker: true });
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("/usage sets, cycles and resets the session's footer; /send and /activation set its policy, in the reference's words", async () => {
  await withDeps(async (run, sessions) => {
    const row = async () => (await sessions.get(KEY, "main"))!;
    // A bare /usage cycles off → tokens → full → off, from the session's own footer (off when unset).
    assert.equal(await run("/usage"), "⚙️ Usage footer: tokens.");
    assert.equal((await row()).responseUsage, "tokens");
    assert.equal(await run("/usage"), "⚙️ Usage footer: full.");
    assert.equal(await run("/usage"), "⚙️ Usage footer: off.");
    assert.equal(await run("/usage on"), "⚙️ Usage footer: tokens.");
    assert.equal(await run("/usage session"), "⚙️ Usage footer: full.");
    assert.equal(await run("/usage reset"), "⚙️ Usage footer: reset to default.");
    assert.equal((await row()).responseUsage, undefined);
    assert.equal(await run("/usage loud"), "⚙️ Usage: /usage off|tokens|full|reset|cost");
    assert.match(await run("/usage cost"), /^⚙️ \/usage cost is not available on this gateway/);
    assert.equal((await row()).responseUsage, undefined, "a refused or unavailable /usage changes nothing");

    assert.equal(await run("/send off"), "⚙️ Send policy set to off.");
    assert.equal((await row()).sendPolicy, "deny");
    assert.equal(await run("/send allow"), "⚙️ Send policy set to on.");
    assert.equal((await row()).sendPolicy, "allow");
    assert.equal(await run("/send default"), "⚙️ Send policy set to inherit.");
    assert.equal((await row()).sendPolicy, undefined);
    assert.equal(await run("/send"), "⚙️ Usage: /send on|off|inherit");

    assert.equal(await run("/activation always"), "⚙️ Group activation set to always.");
    assert.equal((await row()).groupActivation, "always");
    assert.equal(await run("/activation MENTION"), "⚙️ Group activation set to mention.");
    assert.equal((await row()).groupActivation, "mention");
    assert.equal(await run("/activation sometimes"), "⚙️ Usage: /activation mention|always");
    assert.equal((await row()).groupActivation, "mention");
  });
});
