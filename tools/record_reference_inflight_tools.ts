// Records what the reference OpenClaw 2026.9.6 gateway answers in `chat.history`'s `inFlightRun` for a run
// caught after it made tool calls (its `events`: the run's progress so far) and after a `progress_card` call
// (its `plan`), full and bounded by a small `maxBytes`, with the `agent` events the run sent before; and what
// the reference Control UI (headless Chromium, against the reference gateway) shows when loaded mid-run and
// after the run goes on: its tool cards and the answer, each counted. The fake model "tooldrip" reads
// notes.txt with `read`, then streams the first half of its answer and holds until released; its next run
// calls `progress_card`, then holds likewise. Writes tests/fixtures/inflight/reference_inflight_tools.json.
//
//   deno run -A tools/record_reference_inflight_tools.ts [--port 19614]
//
// Needs the reference installed under /tmp/peer (bash tools/peer_install.sh); it takes ~1-2 min.
import { launchBrowser } from "../tests/support/browser.ts";
import { startFakeUpstream } from "../tests/support/fake_upstream.ts";
import { INFLIGHT_TOOL_SCRIPT, inFlightUiCounts } from "../tests/support/inflight_tools.ts";
import type { ReferenceSession } from "../tests/support/reference_client.ts";
import { clientTestConfig } from "../tests/support/reference_gateway.ts";
import { withRecordedSession } from "../tests/support/recorded_session.ts";
import { startReferenceUiServer, uiLink } from "../tests/support/reference_ui_server.ts";
import { until } from "../tests/support/until.ts";

const TOKEN = "record-inflight-tools-token-0123456789";

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

/** Whether the run's chat delta shows `text`. */
const showing = (runId: string, text: string) => (e: { event: string; payload: unknown }) => {
  const p = e.payload as { runId?: string; state?: string; message?: { content?: { text?: string }[] } };
  return e.event === "chat" && p.runId === runId && p.state === "delta" &&
    (p.message?.content?.[0]?.text ?? "").endsWith(text);
};

/** Whether the run ended (its chat final). */
const ended = (runId: string) => (e: { event: string; payload: unknown }) => {
  const p = e.payload as { runId?: string; state?: string };
  return e.event === "chat" && p.runId === runId && p.state === "final";
};

/** The run's `agent` events, as sent. */
function agentEvents(session: ReferenceSession, runId: string, from: number): unknown[] {
  return session.events.slice(from).filter((e) =>
    e.event === "agent" && (e.payload as { runId?: string }).runId === runId
  ).map((e) => e.payload);
}

async function main(): Promise<void> {
  const portFlag = Deno.args.indexOf("--port");
  const port = portFlag >= 0 ? Number(Deno.args[portFlag + 1]) : 19614;
  const root = "/tmp/record-inflight-tools";
  const upstream = startFakeUpstream();
  const script = INFLIGHT_TOOL_SCRIPT();
  upstream.script("tooldrip", script.steps);
  const server = await startReferenceUiServer();
  const config = clientTestConfig({
    port,
    token: TOKEN,
    upstreamUrl: upstream.url,
    uiOrigin: server.origin,
    model: "tooldrip",
  }) as {
    agents: { defaults: Record<string, unknown> };
  };
  const workspace = `${root}-workspace`;
  await Deno.mkdir(workspace, { recursive: true });
  await Deno.writeTextFile(`${workspace}/notes.txt`, "remember the milk\n");
  config.agents.defaults.workspace = workspace;
  const { browser, stop } = await launchBrowser();
  try {
    await withRecordedSession("ref", { root, port, config, token: TOKEN }, async (session) => {
      say("reference gateway ready");
      await answer(session, "sessions.subscribe", {});
      // The tool run: read, then half its answer, held.
      const toolKey = "agent:main:main";
      const from = session.events.length;
      const sent = await answer(session, "chat.send", {
        sessionKey: toolKey,
        message: "Read notes.txt",
        idempotencyKey: "run-tools",
      });
      await until(
        () => session.events.slice(from).some(showing("run-tools", script.heldText)),
        "the held text",
        60_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      const full = await answer(session, "chat.history", { sessionKey: toolKey });
      const small = await answer(session, "chat.history", { sessionKey: toolKey, maxBytes: 1024 });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(uiLink(server, "/chat/main", port, TOKEN));
      await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
      await page.getByText(script.heldText).first().waitFor({ timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 1000));
      const uiMidRun = await inFlightUiCounts(page, script);
      await page.screenshot({ path: "/tmp/record-inflight-tools-midrun.png" });
      script.release(0);
      await until(() => session.events.slice(from).some(ended("run-tools")), "the tool run's end", 60_000);
      await page.getByText(script.answer).first().waitFor({ timeout: 60_000 });
      await new Promise((r) => setTimeout(r, 1000));
      const uiAfter = await inFlightUiCounts(page, script);
      await page.screenshot({ path: "/tmp/record-inflight-tools-after.png" });
      const tools = {
        sent,
        full,
        small,
        agentEvents: agentEvents(session, "run-tools", from),
        ui: { midRun: uiMidRun, after: uiAfter },
      };
      say("tool run recorded");
      // The plan run: progress_card, then half its answer, held.
      const planKey = "agent:main:inflight-plan";
      const planFrom = session.events.length;
      await answer(session, "chat.send", { sessionKey: planKey, message: "Plan it", idempotencyKey: "run-plan" });
      await until(
        () => session.events.slice(planFrom).some(showing("run-plan", script.heldText)),
        "the plan run's text",
        60_000,
      );
      await new Promise((r) => setTimeout(r, 300));
      const planFull = await answer(session, "chat.history", { sessionKey: planKey });
      script.release(1);
      await until(() => session.events.slice(planFrom).some(ended("run-plan")), "the plan run's end", 60_000);
      const plan = { full: planFull, agentEvents: agentEvents(session, "run-plan", planFrom) };
      say("plan run recorded");
      const recorded = "OpenClaw 2026.9.6 gateway with the fake model 'tooldrip' (tests/support/inflight_tools.ts), " +
        "through @openclaw/gateway-client (cli, operator.read/write/admin) and its Control UI in headless Chromium, " +
        "by tools/record_reference_inflight_tools.ts";
      const out = new URL("../tests/fixtures/inflight/reference_inflight_tools.json", import.meta.url);
      await Deno.writeTextFile(out, JSON.stringify({ recorded, tools, plan }, null, 2) + "\n");
      say(`wrote ${out.pathname}`);
    });
  } finally {
    script.release(0);
    script.release(1);
    await stop();
    await server.stop();
    await upstream.stop();
    await Deno.remove(workspace, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
