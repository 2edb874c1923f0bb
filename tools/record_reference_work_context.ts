// Records what the reference OpenClaw 2026.9.6 gateway does with `chat.send`'s `workContext` (the
// working context its Control UI's assistant panel attaches): what the model receives, what the
// transcript row and `chat.history` hold, how invalid contexts are refused; and what the reference
// Control UI's assistant panel ("Talk to your Home agent", on the chat page) sends and shows.
// Writes tests/fixtures/work_context/reference_work_context.json.
//
//   deno run -A tools/record_reference_work_context.ts [--port 19627]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~20-60 s to start.
import { DatabaseSync } from "node:sqlite";
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import type { ReferenceSession } from "../tests/support/reference_client.ts";
import { clientTestConfig } from "../tests/support/reference_gateway.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";
import { sendFromAssistantPanel } from "../tests/support/reference_ui_assistant_panel.ts";
import { startReferenceUiServer } from "../tests/support/reference_ui_server.ts";

const TOKEN = "record-workctx-token-0123456789abcdef";
/** The context and message the client case sends (every field, one with spaces to trim). */
export const CLIENT_CONTEXT = {
  page: "chat",
  title: "  Release notes  ",
  sessionKey: "agent:main:notes",
  sessionId: "0f0c6a9e-notes",
  agentId: "main",
  workspace: "/srv/work",
  file: "docs/notes.md",
  selection: 'line one\n"quoted" line two',
};

/** Progress goes to stderr, one line each. */
function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** A request's answer or its error frame, as data. */
async function answer(session: ReferenceSession, method: string, params: unknown): Promise<Record<string, unknown>> {
  try {
    return { ok: true, payload: await session.request(method, params) };
  } catch (error) {
    const e = error as { message?: string; gatewayCode?: string; code?: string; details?: unknown };
    return { ok: false, error: { code: e.gatewayCode ?? e.code, message: e.message, details: e.details } };
  }
}

/** Waits until the fake model has received `count` requests. */
async function modelRequests(requests: unknown[], count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (requests.length < count) {
    if (Date.now() > deadline) throw new Error(`the model did not receive request ${count}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The messages the model got in its last request, but the system prompt (the reference's own, long). */
function lastMessages(requests: Record<string, unknown>[]): unknown {
  const messages = (requests.at(-1)?.messages ?? []) as { role: string }[];
  return messages.filter((m) => m.role !== "system");
}

/** The refusals: each case's params and the error frame. */
async function refusals(session: ReferenceSession): Promise<Record<string, unknown>> {
  const base = { sessionKey: "agent:main:refused", message: "hi" };
  const cases: Record<string, Record<string, unknown>> = {
    unknownKey: { ...base, workContext: { page: "chat", color: "red" } },
    tooLong: { ...base, workContext: { page: "chat", selection: "x".repeat(641) } },
    pageTooLong: { ...base, workContext: { page: "p".repeat(65) } },
    missingPage: { ...base, workContext: { title: "t" } },
    emptyPage: { ...base, workContext: { page: "" } },
    blankPage: { ...base, workContext: { page: "   " } },
    notString: { ...base, workContext: { page: "chat", file: 3 } },
    notObject: { ...base, workContext: "chat" },
    slashCommand: { ...base, message: "/status", workContext: { page: "chat" } },
    bangCommand: { ...base, message: "!ls", workContext: { page: "chat" } },
    stop: { ...base, message: "stop", workContext: { page: "chat" } },
    btw: { ...base, message: "/btw what now", workContext: { page: "chat" } },
  };
  const out: Record<string, unknown> = {};
  for (const [name, params] of Object.entries(cases)) {
    out[name] = { params, answer: await answer(session, "chat.send", { ...params, idempotencyKey: `refuse-${name}` }) };
  }
  return out;
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19627;
  const upstream = startFakeUpstream();
  const ui = await startReferenceUiServer();
  const config = clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: ui.origin });
  const browser = await launchBrowser();
  const root = "/tmp/record-workctx";
  try {
    await withRecordedSession("ref", { root, port, config, token: TOKEN }, async (session, gateway) => {
      say("reference gateway ready");
      const sessionKey = "agent:main:workctx";
      const sent = await answer(session, "chat.send", {
        sessionKey,
        message: "  Summarize this  ",
        workContext: CLIENT_CONTEXT,
        idempotencyKey: "workctx-1",
      });
      await modelRequests(upstream.requests, 1);
      const firstModel = lastMessages(upstream.requests);
      await new Promise((r) => setTimeout(r, 1500));
      // A second turn without context: what the model sees of the first turn's row.
      await answer(session, "chat.send", { sessionKey, message: "And again", idempotencyKey: "workctx-2" });
      await modelRequests(upstream.requests, 2);
      const secondModel = lastMessages(upstream.requests);
      await new Promise((r) => setTimeout(r, 1500));
      const history = await answer(session, "chat.history", { sessionKey });
      // An empty message with context: what the model gets.
      const onlyContext = await answer(session, "chat.send", {
        sessionKey: "agent:main:workctx-empty",
        message: "",
        workContext: { page: "sessions" },
        idempotencyKey: "workctx-3",
      });
      const refused = await refusals(session);
      say("client cases recorded");
      // Every user row of the transcripts (the reference keeps them in its agent database).
      const db = new DatabaseSync(`${gateway.stateDir}/agents/main/agent/openclaw-agent.sqlite`, {
        readOnly: true,
      });
      const rows = db.prepare(
        "SELECT session_id AS sessionId, seq, event_json AS json FROM transcript_events ORDER BY session_id, seq",
      )
        .all() as { sessionId: string; seq: number; json: string }[];
      db.close();
      const transcripts = rows.map((r) => ({ sessionId: r.sessionId, seq: r.seq, event: JSON.parse(r.json) }))
        .filter((r) => JSON.stringify(r.event).includes('"role":"user"'));
      const panel = await sendFromAssistantPanel(browser.browser, {
        server: ui,
        gatewayPort: port,
        token: TOKEN,
        route: "/chat/main/workctx",
        screenshot: "/tmp/workctx-panel.png",
        message: "What am I looking at?",
      });
      await modelRequests(upstream.requests, 3);
      const panelModel = lastMessages(upstream.requests);
      say("assistant panel recorded");
      const recorded = "OpenClaw 2026.9.6 gateway with the fake model m1, through @openclaw/gateway-client " +
        "(cli, operator.read/write/admin) and its Control UI in headless Chromium, by tools/record_reference_work_context.ts";
      const out = new URL("../tests/fixtures/work_context/reference_work_context.json", import.meta.url);
      await Deno.mkdir(new URL(".", out), { recursive: true });
      const fixture = {
        recorded,
        client: { context: CLIENT_CONTEXT, sent, firstModel, secondModel, history, onlyContext, refused },
        transcripts,
        panel: {
          params: panel.params,
          answer: panel.answer,
          contextSummary: panel.contextSummary,
          contextJson: panel.contextJson,
          panelText: panel.panelText,
          methods: [...new Set(panel.log.requests.map((r) => r.method))],
          model: panelModel,
        },
      };
      await Deno.writeTextFile(out, JSON.stringify(fixture, null, 2) + "\n");
      say(`wrote ${out.pathname}`);
    });
  } finally {
    await browser.stop();
    await ui.stop();
    await upstream.stop();
  }
}

if (import.meta.main) await main();
