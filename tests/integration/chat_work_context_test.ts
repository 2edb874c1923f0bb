// `chat.send` with a working context (`workContext`) against the real program, compared with the
// reference 2026.9.6 (recorded: tests/fixtures/work_context/reference_work_context.json, by
// tools/record_reference_work_context.ts): the model gets the typed text then the formatted context in
// the user's message, as the reference's model got it, on this turn and in later turns' history;
// `chat.history` (through the reference client) shows the typed text and the snapshot; invalid contexts
// are refused in the reference's words. And the reference Control UI's assistant panel sends its page's
// context from its composer and shows the answer.
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { sendFromAssistantPanel } from "../support/reference_ui_assistant_panel.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { formatWorkContext, type WorkContext } from "../../src/sessions/work_context.ts";

const TOKEN = "chat-work-context-token-0123456789abcdef";

type ModelMessage = { role: string; content: unknown };
type HistoryMessage = { role: string; content: unknown; __openclaw?: { workContext?: unknown } };
const RECORDING = JSON.parse(
  await Deno.readTextFile(new URL("../fixtures/work_context/reference_work_context.json", import.meta.url)),
) as {
  client: {
    context: Record<string, string>;
    firstModel: ModelMessage[];
    secondModel: ModelMessage[];
    history: { payload: { messages: HistoryMessage[] } };
    onlyContext: { error: { code: string; message: string } };
    refused: Record<string, { params: Record<string, unknown>; answer: { error: { code: string; message: string } } }>;
  };
  panel: {
    params: { sessionKey: string; message: string; workContext: WorkContext };
    contextSummary: string;
    model: ModelMessage[];
  };
};

/** The text of the user messages a model request carried, in order. */
function userTexts(messages: readonly ModelMessage[]): string[] {
  return messages.filter((m) => m.role === "user").map((m) =>
    typeof m.content === "string"
      ? m.content
      : (m.content as { type: string; text?: string }[]).map((p) => p.text ?? "").join("")
  );
}

/**
 * The message the reference's model got for a send: from the typed text to the end of the context's JSON
 * line (the reference wraps it in its own envelope: a time stamp before, its runtime line after).
 */
function sentPart(modelText: string, typed: string): string {
  const start = modelText.indexOf(typed);
  assert.ok(start >= 0, `the typed text in ${modelText}`);
  const marker = "Working context captured at send time.";
  const json = modelText.indexOf("\n", modelText.indexOf(marker, start) + marker.length + 1);
  const end = modelText.indexOf("\n", json + 1);
  return modelText.slice(start, end < 0 ? undefined : end);
}

/** The recorded or live answer to a request, as `{ code, message }` when refused. */
async function refusal(session: ReferenceSession, params: Record<string, unknown>) {
  try {
    await session.request("chat.send", params);
    return undefined;
  } catch (error) {
    const e = error as { gatewayCode?: string; code?: string; message?: string };
    return { code: e.gatewayCode ?? e.code, message: e.message };
  }
}

Deno.test("chat.send with a working context: the model, the history and the refusals as the reference's", async (t) => {
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome(clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url }));
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  try {
    const sessionKey = "agent:main:workctx";
    const recorded = RECORDING.client;
    await t.step("the model gets the text, then the context, as the reference's model got them", async () => {
      await session.request("chat.send", {
        sessionKey,
        message: "  Summarize this  ",
        workContext: recorded.context,
        idempotencyKey: "workctx-1",
      });
      await until(() => upstream.requests.length === 1, "the model's first request");
      const expected = sentPart(userTexts(recorded.firstModel)[0]!, "Summarize this");
      const ours = userTexts(upstream.requests[0]!.messages as ModelMessage[]);
      assert.ok(ours.some((text) => text.includes(expected)), `${JSON.stringify(ours)}\nlacks\n${expected}`);
      await until(async () => {
        const h = await session.request<{ messages: HistoryMessage[] }>("chat.history", { sessionKey });
        return h.messages.some((m) => m.role === "assistant");
      }, "the first answer recorded");
    });
    await t.step("a later turn's history keeps the context the model was given", async () => {
      await session.request("chat.send", { sessionKey, message: "And again", idempotencyKey: "workctx-2" });
      await until(() => upstream.requests.length === 2, "the model's second request");
      const expected = sentPart(userTexts(recorded.secondModel)[0]!, "Summarize this");
      const ours = userTexts(upstream.requests[1]!.messages as ModelMessage[]);
      assert.ok(ours[0]!.includes(expected), `${ours[0]}\nlacks\n${expected}`);
      assert.ok(ours.some((text) => text.includes("And again") && !text.includes("Working context")));
    });
    await t.step("chat.history shows the typed text and the snapshot, as the reference's", async () => {
      await until(async () => {
        const h = await session.request<{ messages: HistoryMessage[] }>("chat.history", { sessionKey });
        return h.messages.filter((m) => m.role === "assistant").length === 2;
      }, "the second answer recorded");
      const history = await session.request<{ messages: HistoryMessage[] }>("chat.history", { sessionKey });
      const view = (m: HistoryMessage) => ({
        role: m.role,
        content: m.content,
        workContext: m.__openclaw?.workContext,
      });
      const users = (messages: HistoryMessage[]) => messages.filter((m) => m.role === "user").map(view);
      assert.deepEqual(users(history.messages), users(recorded.history.payload.messages));
    });
    await t.step("invalid contexts and commands are refused in the reference's words", async () => {
      const cases = Object.entries(recorded.refused);
      assert.ok(cases.length >= 10);
      for (const [name, { params, answer }] of cases) {
        const ours = await refusal(session, { ...params, idempotencyKey: `refuse-${name}` });
        assert.deepEqual(ours, { code: answer.error.code, message: answer.error.message }, name);
      }
      const empty = await refusal(session, {
        sessionKey: "agent:main:workctx-empty",
        message: "",
        workContext: { page: "sessions" },
        idempotencyKey: "workctx-3",
      });
      assert.deepEqual(empty, { code: recorded.onlyContext.error.code, message: recorded.onlyContext.error.message });
      assert.equal(upstream.requests.length, 2, "no refused send reached the model");
    });
  } finally {
    session.stop();
    await proc.stop();
    await upstream.stop();
    await home.cleanup();
  }
});

Deno.test("the reference Control UI's assistant panel sends its page's context to our gateway and shows the answer", async () => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.admin"] });
  const { browser, stop } = await launchBrowser();
  try {
    // The page the panel is opened on: a session of its own, as in the recording.
    await session.request("chat.send", { sessionKey: "agent:main:workctx", message: "hi", idempotencyKey: "seed" });
    await until(() => upstream.requests.length === 1, "the seeding turn");
    const sent = await sendFromAssistantPanel(browser, {
      server,
      gatewayPort: port,
      token: TOKEN,
      route: "/chat/main/workctx",
      message: RECORDING.panel.params.message,
      expectAnswer: FAKE_ANSWER,
      screenshot: `${SCREENSHOT_DIR}/assistant-panel-work-context.png`,
    });
    const recorded = RECORDING.panel;
    assert.deepEqual((sent.answer as { ok: boolean }).ok, true);
    // The panel sends to the Home session what it sent the reference: this page's fields (their values are
    // this gateway's: its session id and workspace).
    assert.equal(sent.params.sessionKey, recorded.params.sessionKey);
    const context = sent.params.workContext as WorkContext;
    assert.deepEqual(Object.keys(context), Object.keys(recorded.params.workContext));
    assert.equal(context.page, "chat");
    assert.equal(context.sessionKey, "agent:main:workctx");
    assert.equal(sent.contextSummary, recorded.contextSummary);
    // The model gets the panel's message and context as the reference's model got them.
    const turn = upstream.requests.at(-1)!.messages as ModelMessage[];
    const expected = `${recorded.params.message}\n\n${formatWorkContext(context)}`;
    assert.equal(
      sentPart(
        userTexts(recorded.model).find((text) => text.includes(recorded.params.message))!,
        recorded.params.message,
      ),
      `${recorded.params.message}\n\n${formatWorkContext(recorded.params.workContext)}`,
    );
    assert.ok(userTexts(turn).some((text) => text.includes(expected)), `${JSON.stringify(userTexts(turn))}`);
    // The panel shows the typed text (not the model's message) and the answer.
    assert.ok(sent.panelText.includes(recorded.params.message), sent.panelText);
    assert.ok(sent.panelText.includes(FAKE_ANSWER), sent.panelText);
    assert.ok(!sent.panelText.includes("quoted reference data"), sent.panelText);
  } finally {
    await stop();
    session.stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
