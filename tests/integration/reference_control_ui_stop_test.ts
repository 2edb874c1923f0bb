// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, served on loopback by the
// test) in headless Chromium against our gateway: a run another client started on the main session is
// under way (the fake model "stall" never answers), the page learns it from chat.history's
// `inFlightRun` and shows it running, and its Stop stops it as the page's code decides: a chat.send run
// (its run id held) through `chat.abort` with that id; an `agent` run (`sessionAbortable`) through
// `sessions.abort` with the session's key and the run id. Our gateway stops the run and it ends aborted
// for every client.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { recordGatewayFrames } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { FrameLog } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-stop-token-0123456789abcdef";

/** Whether the run's aborted chat event reached `client`. */
function abortedFor(client: { events: { event: string; payload: unknown }[] }, runId: string): boolean {
  return client.events.some((e) =>
    e.event === "chat" && (e.payload as { runId?: string }).runId === runId &&
    (e.payload as { state?: string }).state === "aborted"
  );
}

Deno.test("the reference Control UI's Stop stops a chat run with chat.abort and an agent run with sessions.abort", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "stall" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const client = await connectReference({ port, token: TOKEN });
  try {
    const cases = [
      { method: "chat.send", runId: "ui-stop-1", stop: "chat.abort" },
      { method: "agent", runId: "ui-stop-2", stop: "sessions.abort" },
    ] as const;
    for (const { method, runId, stop: expected } of cases) {
      const sent = client.request<{ status: string }>(method, {
        sessionKey: "agent:main:main",
        message: "Talk slowly",
        idempotencyKey: runId,
      });
      // An `agent` request answers when its run ends; chat.send at once.
      if (method === "chat.send") assert.equal((await sent).status, "started");
      else sent.catch(() => {});
      await until(
        () =>
          client.events.some((e) =>
            e.event === "agent" && (e.payload as { runId?: string; stream?: string }).runId === runId &&
            (e.payload as { data?: { phase?: string } }).data?.phase === "start"
          ),
        `${runId} under way`,
      );
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const log = new FrameLog();
      recordGatewayFrames(page, port, log);
      await page.goto(uiLink(server, "/chat/main", port, TOKEN));
      await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 30_000 });
      await page.getByRole("button", { name: "Stop generating" }).click({ timeout: 30_000 });
      const aborts = () => log.requests.filter((r) => r.method === "sessions.abort" || r.method === "chat.abort");
      await until(() => aborts().some((r) => r.answer !== undefined), "the Stop request answered");
      const [request] = aborts();
      assert.equal(request!.method, expected, `the page's Stop of a ${method} run`);
      if (expected === "chat.abort") {
        assert.deepEqual(request!.params, { sessionKey: "agent:main:main", runId });
        assert.deepEqual(request!.answer?.payload, { ok: true, aborted: true, runIds: [runId] });
      } else {
        assert.deepEqual(request!.params, { key: "agent:main:main", runId });
        assert.deepEqual(request!.answer?.payload, { ok: true, abortedRunId: runId, status: "aborted" });
      }
      await until(() => abortedFor(client, runId), `the aborted chat event of ${runId}`);
      await page.close();
    }
  } finally {
    client.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
