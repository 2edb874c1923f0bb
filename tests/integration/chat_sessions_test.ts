// The chat and session surface the reference's clients live in, through the real program: the
// TUI's path (sessions.subscribe → chat.send → streamed events) with the reference client library,
// the Control UI's page-load reads, and session events only for those who subscribed.
import assert from "node:assert/strict";
import { FAKE_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "chat-sessions-token-0123456789ab";
const KEY = "agent:main:main";
const SCOPES = ["operator.read", "operator.write", "operator.admin", "operator.approvals"];

async function withGateway(
  body: (port: number, upstream: FakeUpstream) => Promise<void>,
  models: unknown[] = [{ id: "m1", name: "Fake", contextWindow: 32000 }],
): Promise<void> {
  const upstream = startFakeUpstream();
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, models } } },
    agents: { defaults: { model: { primary: "fake/m1" } } },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    await body(port, upstream);
  } finally {
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

const named = (session: ReferenceSession, name: string) =>
  session.events.filter((e) => e.event === name).map((e) => e.payload as Record<string, unknown>);

Deno.test("the TUI's path: sessions.subscribe, chat.send, then session and chat events with the answer", async () => {
  await withGateway(async (port) => {
    const tui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    const bystander = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    try {
      assert.deepEqual(await tui.request("sessions.subscribe", {}), { subscribed: true });
      const sent = await tui.request<{ runId: string; status: string }>("chat.send", {
        sessionKey: KEY,
        message: "hello there",
        deliver: false,
        idempotencyKey: "tui-1",
      });
      assert.deepEqual(sent, { runId: "tui-1", status: "started" });
      await until(() => named(tui, "sessions.changed").some((p) => p.phase === "end"), "the run's end");
      await until(() => named(tui, "session.message").length === 2, "both messages");

      const final = named(tui, "chat").find((p) => p.state === "final")!;
      assert.deepEqual((final.message as { content: { text: string }[] }).content[0]!.text, FAKE_ANSWER);
      const changed = named(tui, "sessions.changed");
      assert.deepEqual(changed.map((p) => p.phase), ["start", "end"]);
      const end = changed.at(-1)!;
      assert.equal(end.runId, "tui-1");
      assert.equal((end.session as { hasActiveRun: boolean }).hasActiveRun, false);
      assert.equal((end.session as { modelProvider: string }).modelProvider, "fake");
      // The context in use (the TUI's "tokens 10/32k"): the last answer's prompt tokens.
      assert.deepEqual(
        [
          (end.session as { totalTokens: number }).totalTokens,
          (end.session as { contextTokens: number }).contextTokens,
        ],
        [10, 32000],
      );
      const messages = named(tui, "session.message");
      assert.deepEqual(messages.map((p) => (p.message as { role: string }).role), ["user", "assistant"]);
      assert.deepEqual(messages.map((p) => p.messageSeq), [1, 2]);

      // The bystander sees the chat stream (any reader does) but no session events: it never subscribed.
      await until(() => named(bystander, "chat").some((p) => p.state === "final"), "the bystander's final");
      assert.equal(named(bystander, "sessions.changed").length, 0);
      assert.equal(named(bystander, "session.message").length, 0);

      const history = await tui.request<Record<string, unknown>>("chat.history", {
        sessionKey: KEY,
        limit: 200,
        inputRunIds: ["tui-1", "never-sent"],
      });
      // The Control UI keeps a sent message pending until its receipt says the transcript has it.
      const userId = ((history.messages as Record<string, unknown>[])[0]!.__openclaw as { id: string }).id;
      assert.deepEqual(history.inputReceipts, [{ runId: "tui-1", state: "consumed", consumedByEventId: userId }]);
      // Live events and history name each message by its transcript event's id (a UUID), as the reference does.
      const idOf = (m: unknown) => (m as { __openclaw: { id: string } }).__openclaw.id;
      assert.deepEqual(messages.map((p) => idOf(p.message)), (history.messages as unknown[]).map(idOf));
      assert.match(userId, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
      delete history.inputReceipts;
      delete history.inputConsumptions;
      assert.equal(history.totalMessages, 2);
      assert.deepEqual(Object.keys(history).sort(), [
        "defaults",
        "hasMore",
        "messages",
        "pendingInputs",
        "sessionId",
        "sessionInfo",
        "sessionKey",
        "totalMessages",
      ]);
      const last = (history.messages as Record<string, unknown>[]).at(-1)!;
      assert.equal((last.__openclaw as { runId: string }).runId, "tui-1");
      // The fake model reports no prompt cache, and no model has a price here: the reference's zeros.
      assert.deepEqual(last.usage, {
        input: 10,
        output: 8,
        totalTokens: 18,
        cacheRead: 0,
        cacheWrite: 0,
        cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
      });
      assert.deepEqual([last.api, last.responseId], ["openai-completions", "chatcmpl-fake"]);
      const first = (history.messages as Record<string, unknown>[])[0]!;
      assert.equal((first.__openclaw as { senderIsOwner: boolean }).senderIsOwner, true, "sent by an operator");
      const info = history.sessionInfo as Record<string, unknown>;
      assert.deepEqual([info.status, info.lastRunId, info.abortedLastRun], ["done", "tui-1", false]);
      assert.equal(info.runtimeMs, (info.endedAt as number) - (info.startedAt as number));
      assert.equal(typeof info.activeLeafEntryId, "string");
    } finally {
      tui.stop();
      bystander.stop();
    }
  });
});

Deno.test("the Control UI's reads: chat.startup, agents, identity, models with sessionKey, auth status, describe", async () => {
  await withGateway(async (port) => {
    // The Control UI declares the selection-policy cap: models.list then says what may be picked by hand.
    const ui = await connectReference({ port, token: TOKEN, scopes: SCOPES, caps: ["model-selection-policy"] });
    try {
      const startup = await ui.request<Record<string, unknown>>("chat.startup", {
        sessionKey: KEY,
        limit: 80,
        maxBytes: 262144,
      });
      assert.equal(startup.totalMessages, 0);
      assert.deepEqual((startup.sessionInfo as { updatedAt: unknown }).updatedAt, null);
      assert.equal((startup.defaults as { contextTokens: number }).contextTokens, 32000);
      const startupModels = (startup.metadata as { models: Record<string, unknown>[] }).models;
      assert.equal(startupModels.length, 1);
      // The chat metadata is models.list's configured view without the manual-choice answers (as the reference's).
      assert.equal("manualSelectionAllowed" in startupModels[0]!, false);

      const agents = await ui.request<{ defaultId: string; agents: { id: string; model: { primary: string } }[] }>(
        "agents.list",
        {},
      );
      assert.equal(agents.defaultId, "main");
      assert.deepEqual(agents.agents.map((a) => [a.id, a.model.primary]), [["main", "fake/m1"]]);
      assert.deepEqual(await ui.request("agent.identity.get", { agentId: "main" }), {
        agentId: "main",
        name: "Assistant",
        nameSource: "default",
        avatar: "A",
      });
      const models = await ui.request<{ models: { id: string; manualSelectionAllowed: boolean }[] }>("models.list", {
        view: "configured",
        sessionKey: KEY,
        agentId: "main",
      });
      assert.deepEqual(models.models.map((m) => [m.id, m.manualSelectionAllowed]), [["m1", true]]);
      const auth = await ui.request<{ providers: { provider: string; status: string }[] }>("models.authStatus", {
        agentId: "main",
      });
      assert.deepEqual(auth.providers.map((p) => [p.provider, p.status]), [["fake", "static"]]);
      assert.deepEqual(await ui.request("sessions.describe", { key: KEY }), { session: null });
      assert.deepEqual(await ui.request("sessions.describe", { key: "main" }), { session: null });
      assert.deepEqual(await ui.request("sessions.observer.visibility", { visible: true }), { ok: true });
      // Subscribing with list params answers with the list as well, as the reference does.
      const lister = await connectReference({ port, token: TOKEN, scopes: SCOPES });
      try {
        const withList = await lister.request<{ subscribed: boolean; list: { count: number; defaults: unknown } }>(
          "sessions.subscribe",
          { limit: 5 },
        );
        assert.deepEqual([withList.subscribed, withList.list.count], [true, 0]);
        assert.ok(withList.list.defaults);
      } finally {
        lister.stop();
      }
      const sub = await ui.request<Record<string, unknown>>("sessions.messages.subscribe", {
        key: KEY,
        includeApprovals: true,
      });
      assert.equal(sub.subscribed, true);
      assert.deepEqual((sub.approvalReplay as { approvals: unknown[] }).approvals, []);

      // Unsubscribed, the UI gets no more messages of the session; a watcher still subscribed
      // does (both are sent by the same delivery, so once the watcher has them the UI never will).
      const watcher = await connectReference({ port, token: TOKEN, scopes: SCOPES });
      try {
        await watcher.request("sessions.messages.subscribe", { key: KEY });
        assert.deepEqual(await ui.request("sessions.messages.unsubscribe", { key: KEY }), {
          subscribed: false,
          key: KEY,
        });
        await ui.request("chat.send", { sessionKey: KEY, message: "hi", idempotencyKey: "ui-1" });
        await until(() => named(watcher, "session.message").length === 2, "the watcher's two messages");
        assert.equal(named(ui, "session.message").length, 0);
        assert.equal(named(watcher, "sessions.changed").length, 0, "messages only: no session list changes");
      } finally {
        watcher.stop();
      }
      const list = await ui.request<
        { defaults: { modelSelectionTarget: string }; sessions: { key: string; lastMessagePreview: string }[] }
      >("sessions.list", { includeLastMessage: true });
      assert.equal(list.defaults.modelSelectionTarget, "session");
      assert.deepEqual(list.sessions.map((s) => [s.key, s.lastMessagePreview]), [[KEY, FAKE_ANSWER]]);
      // A bare key names the default agent's session, as the UI's first describe sends it.
      const described = await ui.request<{ session: { key: string } }>("sessions.describe", { key: "main" });
      assert.equal(described.session.key, KEY);
    } finally {
      ui.stop();
    }
  });
});

Deno.test("the requests the real openclaw tui sent the reference (recorded) are answered here, with the same session events", async () => {
  const recorded = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/reference_chat_frames.json", import.meta.url)),
  ) as { tuiRecorded: { sequence: { request?: string; params?: Record<string, unknown>; event?: string }[] } };
  // The TUI's other page-load reads (commands, questions, approvals, task suggestions) are not this file's.
  const ours = new Set([
    "sessions.subscribe",
    "agents.list",
    "chat.history",
    "chat.send",
    "sessions.describe",
    "sessions.list",
  ]);
  await withGateway(async (port) => {
    const tui = await connectReference({ port, token: TOKEN, mode: "cli", clientName: "cli", scopes: SCOPES });
    try {
      let sessionId: string | undefined;
      for (const step of recorded.tuiRecorded.sequence) {
        if (!step.request || !ours.has(step.request)) continue;
        const params = { ...step.params };
        if (step.request === "chat.send") {
          // The TUI sends the session id chat.history gave it; ours is a different one.
          params.sessionId = sessionId;
          params.idempotencyKey = "tui-replay";
        }
        const answer = await tui.request<Record<string, unknown>>(step.request, params);
        if (step.request === "chat.history") sessionId = answer.sessionId as string | undefined;
        if (step.request === "chat.send") {
          await until(() => named(tui, "sessions.changed").some((p) => p.phase === "end"), "the run's end");
        }
      }
      const kinds = (events: { event?: string }[]) =>
        events.filter((e) => e.event === "session.message" || e.event === "sessions.changed").length > 0;
      assert.ok(kinds(recorded.tuiRecorded.sequence), "the recording has session events");
      await until(() => named(tui, "session.message").length === 2, "both messages");
      assert.ok(named(tui, "chat").some((p) => p.state === "final"));
    } finally {
      tui.stop();
    }
  });
});

Deno.test("sessions.create, patch (label, model) and resolve: the chosen model answers the session's turns", async () => {
  await withGateway(async (port, upstream) => {
    const ui = await connectReference({ port, token: TOKEN, scopes: SCOPES });
    try {
      await ui.request("sessions.subscribe", {});
      const created = await ui.request<{ key: string; sessionId: string; runStarted: boolean }>("sessions.create", {
        agentId: "main",
        label: "Work",
      });
      assert.match(created.key, /^agent:main:dashboard:[0-9a-f-]{36}$/);
      assert.equal(created.runStarted, false);
      const patched = await ui.request<{ entry: Record<string, unknown>; resolved: Record<string, unknown> }>(
        "sessions.patch",
        { key: created.key, model: "fake/m2" },
      );
      assert.deepEqual([patched.entry.providerOverride, patched.entry.modelOverride], ["fake", "m2"]);
      assert.deepEqual([patched.resolved.modelProvider, patched.resolved.model], ["fake", "m2"]);
      // An unrestricted policy allows any model of a configured provider; an unknown provider is refused.
      await assert.rejects(
        ui.request("sessions.patch", { key: created.key, model: "nope/x" }),
        /Unknown provider "nope"\. Use \/models to list providers\./,
      );
      await assert.rejects(ui.request("sessions.patch", { key: created.key, icon: "x" }), /Cannot patch icon/);
      assert.deepEqual(await ui.request("sessions.resolve", { label: "Work" }), {
        ok: true,
        key: created.key,
        agentId: "main",
      });
      await assert.rejects(ui.request("sessions.resolve", { label: "Nope" }), /No session found with label: Nope/);

      await ui.request("chat.send", { sessionKey: created.key, message: "hi", idempotencyKey: "work-1" });
      await until(() => named(ui, "chat").some((p) => p.state === "final"), "the answer");
      assert.equal(upstream.requests.at(-1)!.model, "m2", "the session's model was asked");
      const list = await ui.request<{ sessions: { key: string; label?: string; model: string }[] }>(
        "sessions.list",
        {},
      );
      const row = list.sessions.find((s) => s.key === created.key)!;
      assert.deepEqual([row.label, row.model], ["Work", "m2"]);
      await until(
        () => ["create", "patch"].every((r) => named(ui, "sessions.changed").some((p) => p.reason === r)),
        "create and patch announced",
      );

      // The Usage page: the session's answer counted from its transcript, and its log and time series.
      const usage = await ui.request<{
        totals: { totalTokens: number };
        sessions: { key: string; usage: { messageCounts: { total: number } } | null }[];
        aggregates: { byModel: { model: string }[] };
      }>("sessions.usage", { agentScope: "all", includeContextWeight: false });
      assert.equal(usage.totals.totalTokens, 18);
      assert.equal(usage.sessions.find((s) => s.key === created.key)!.usage!.messageCounts.total, 2);
      assert.deepEqual(usage.aggregates.byModel.map((m) => m.model), ["m2"]);
      const logs = await ui.request<{ logs: { role: string; tokens?: number }[] }>("sessions.usage.logs", {
        key: created.key,
      });
      assert.deepEqual(logs.logs.map((l) => [l.role, l.tokens]), [["user", undefined], ["assistant", 18]]);
      const series = await ui.request<{ points: { cumulativeTokens: number }[] }>("sessions.usage.timeseries", {
        key: created.key,
      });
      assert.deepEqual(series.points.map((p) => p.cumulativeTokens), [18]);
    } finally {
      ui.stop();
    }
  }, [{ id: "m1", name: "Fake", contextWindow: 32000 }, { id: "m2", name: "Fake 2" }]);
});
