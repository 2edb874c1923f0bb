// The reference's own Control UI (OpenClaw 2026.9.6, a test client served on loopback, never shipped)
// toured through its main pages against our gateway, watching one thing: no request it sends is refused
// for its params. Its params follow the 2026.9.6 schemas, newer than the @openclaw/gateway-protocol
// 2026.9.1 our checks are compiled from; src/rpc/protocol_overlay.ts adds the difference. Methods we
// do not serve yet are listed in docs/compatibility.md and here (KNOWN_UNKNOWN), so a new one fails.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { visitControlUi } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { isUnknownMethod, type RecordedRequest } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-params-token-0123456789ab";

/** The pages toured after the main visit's (chat, sessions, agents, channels, logs, config, usage, debug). */
const MORE_PAGES = ["/cron", "/automations", "/skills", "/nodes", "/settings/devices", "/settings/sessions"];

/** Methods the UI calls that this gateway does not serve (docs/compatibility.md, "Control UI methods"). */
const KNOWN_UNKNOWN: readonly string[] = [];

/** A refusal of a request's params, as our gateway words it (`invalid sessions.describe params: …`). */
function refusedParams(request: RecordedRequest): boolean {
  const error = request.answer?.error;
  return request.answer?.ok === false && error?.code === "INVALID_REQUEST" &&
    /^invalid \S+ params/.test(error.message ?? "");
}

/** One line per distinct refusal: method, params, message. */
function lines(requests: readonly RecordedRequest[]): string[] {
  return [
    ...new Set(requests.map((r) => `${r.method} ${JSON.stringify(r.params ?? {})} → ${r.answer?.error?.message}`)),
  ];
}

Deno.test("the reference Control UI's page tour: no request refused for its params, no unexpected unknown method", async () => {
  requirePeer();
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Generous bounds: a step that overruns only costs this test its coverage, which is asserted below.
    const visit = await visitControlUi({
      page,
      server,
      gatewayPort: port,
      token: TOKEN,
      stepTimeoutMs: 30_000,
      chatTimeoutMs: 60_000,
    });
    const { log } = visit;
    for (const route of MORE_PAGES) {
      log.enter(route);
      const before = log.requests.length;
      await page.evaluate(`history.pushState(null, "", ${JSON.stringify(route)});
        dispatchEvent(new PopStateEvent("popstate"));`);
      // Each of these pages loads its data over the socket: wait for its first request and every answer.
      await until(() => log.requests.length > before, `a request from ${route}`, 30_000);
      await until(() => log.unanswered === 0, `the answers on ${route}`, 30_000);
    }
    const requests = log.requests;
    const sections = new Set(requests.map((r) => r.section));
    assert.ok(requests.some((r) => r.method === "connect" && r.answer?.ok), "the UI connected");
    assert.ok(sections.has("sessions") && sections.has("agents"), `the tour reached the pages: ${[...sections]}`);
    for (
      const method of ["sessions.list", "sessions.describe", "chat.send", "cron.list", "skills.status", "node.list"]
    ) {
      assert.ok(requests.some((r) => r.method === method && r.answer?.ok), `${method} sent and answered ok`);
    }
    const refused = lines(requests.filter(refusedParams));
    assert.deepEqual(refused, [], `requests refused for their params:\n${refused.join("\n")}`);
    const unknown = [...new Set(requests.filter(isUnknownMethod).map((r) => r.method))].sort();
    assert.deepEqual(unknown.filter((m) => !KNOWN_UNKNOWN.includes(m)), [], `unknown methods: ${unknown}`);
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
