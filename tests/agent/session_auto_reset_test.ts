import assert from "node:assert/strict";
import { agentsFromConfig } from "../../src/agent/agents_config.ts";
import { type InternalHookEvent, InternalHooks } from "../../src/agent/internal_hooks.ts";
import { type AutoResetDeps, resetIfStale } from "../../src/agent/session_auto_reset.ts";
import type { RawSessionResetConfig } from "../../src/config/session_reset_policy.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { until } from "../support/until.ts";

const KEY = "agent:main:main";
const MINUTE = 60_000;

async function withStore(
  session: RawSessionResetConfig | undefined,
  body: (deps: AutoResetDeps, sessions: SessionStore, events: InternalHookEvent[]) => Promise<void>,
): Promise<void> {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-autoreset-" });
  const sessions = new SessionStore(stateDir);
  try {
    const agents = agentsFromConfig({} as never, stateDir, "/home/test");
    const hooks = new InternalHooks({ error: () => {} } as never);
    const events: InternalHookEvent[] = [];
    hooks.replace([{ event: "session:auto-reset", handler: (event) => void events.push(event) }]);
    await body({ sessions, sessionConfig: () => session, agents: () => agents, hooks }, sessions, events);
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
}

const said = (text: string) => ({ role: "user" as const, content: [{ type: "text" as const, text }], timestamp: 0 });

Deno.test("resetIfStale() starts a new window for an idle session and fires session:auto-reset after it", async () => {
  await withStore({ reset: { mode: "idle", idleMinutes: 1 } }, async (deps, sessions, events) => {
    const { row } = await sessions.openTurn(KEY, "main", { user: said("remember pineapple"), interaction: true });
    const last = (await sessions.activity(KEY, "main"))!.lastInteractionAt!;
    assert.equal(await resetIfStale(deps, { agentId: "main", sessionKey: KEY }, last + MINUTE), undefined);
    const reset = await resetIfStale(deps, { agentId: "main", sessionKey: KEY }, last + MINUTE + 1);
    assert.equal(reset?.reason, "idle");
    assert.equal(reset.previousSessionId, row.sessionId);
    const current = await sessions.get(KEY, "main");
    assert.equal(current?.sessionId, reset.sessionId);
    assert.notEqual(reset.sessionId, row.sessionId);
    await until(() => events.length === 1, "the session:auto-reset event");
    const [event] = events;
    assert.equal(event!.sessionKey, KEY);
    assert.deepEqual(event!.context.sessionEntry, { sessionId: row.sessionId });
    assert.equal(event!.context.reason, "idle");
    assert.equal(event!.context.nextSessionId, reset.sessionId);
    assert.equal(event!.context.nextSessionKey, KEY);
    assert.equal(event!.context.transcriptArchived, false);
    assert.equal((event!.context.previousSessionMemory as { status: string }).status, "available");
    assert.match(String((event!.context.previousSessionMemory as { content: string }).content), /pineapple/);
  });
});

Deno.test("resetIfStale() leaves sessions alone without a policy, with mode none, and when they do not exist", async () => {
  for (const session of [undefined, {}, { reset: { mode: "none" as const, idleMinutes: 1 } }]) {
    await withStore(session, async (deps, sessions, events) => {
      assert.equal(await resetIfStale(deps, { agentId: "main", sessionKey: KEY }, Date.now() + 86_400_000), undefined);
      await sessions.openTurn(KEY, "main", { user: said("hi"), interaction: true });
      assert.equal(await resetIfStale(deps, { agentId: "main", sessionKey: KEY }, Date.now() + 86_400_000), undefined);
      assert.equal(events.length, 0);
    });
  }
});

Deno.test("resetIfStale() applies the message's channel entry over the global policy", async () => {
  const session = {
    reset: { mode: "idle" as const, idleMinutes: 1 },
    resetByChannel: { telegram: { mode: "none" as const } },
  };
  await withStore(session, async (deps, sessions) => {
    await sessions.openTurn(KEY, "main", { user: said("hi"), interaction: true });
    const later = Date.now() + 10 * MINUTE;
    assert.equal(await resetIfStale(deps, { agentId: "main", sessionKey: KEY, channel: "Telegram" }, later), undefined);
    assert.equal(
      (await resetIfStale(deps, { agentId: "main", sessionKey: KEY, channel: "irc" }, later))?.reason,
      "idle",
    );
  });
});

Deno.test("only a person's turn moves lastInteractionAt; a reset window starts as one", async () => {
  await withStore(undefined, async (_deps, sessions) => {
    await sessions.openTurn(KEY, "main", { user: said("hi"), interaction: true });
    const first = (await sessions.activity(KEY, "main"))!;
    assert.ok(first.lastInteractionAt! >= first.sessionStartedAt!);
    await sessions.openTurn(KEY, "main", { user: said("heartbeat") });
    await sessions.append(KEY, "main", [said("tool step")]);
    const after = (await sessions.activity(KEY, "main"))!;
    assert.equal(after.lastInteractionAt, first.lastInteractionAt);
    assert.ok(after.updatedAt >= first.updatedAt);
    const reset = await sessions.reset(KEY, "main");
    const fresh = (await sessions.activity(KEY, "main"))!;
    assert.equal(fresh.sessionId, reset.sessionId);
    assert.equal(fresh.lastInteractionAt, fresh.sessionStartedAt);
    assert.ok(fresh.lastInteractionAt! >= first.lastInteractionAt!);
  });
});
