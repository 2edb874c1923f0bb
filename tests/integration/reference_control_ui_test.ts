// The reference's own Control UI (OpenClaw 2026.9.6's dist/control-ui, a test client served on
// loopback by the test, never shipped) in headless Chromium against our gateway: chat sends and the
// fake model's answer streams in, the pages the issue names load, and no request of the whole visit
// is answered "unknown method". What it calls against the reference is in the recording made by
// tools/record_reference_clients.ts.
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { FAKE_ANSWER, startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer } from "../support/reference_ui_server.ts";
import { visitControlUi } from "../support/reference_ui_visit.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { isUnknownMethod, type RecordedRequest, streamedAnswer } from "../support/ws_frame_log.ts";

const TOKEN = "reference-ui-token-0123456789abcdef";

/** Error answers other than "unknown method", by section: the reference answers none in this visit. */
function otherErrors(requests: readonly RecordedRequest[]): string[] {
  return requests
    .filter((r) => r.answer?.ok === false && !isUnknownMethod(r))
    .map((r) => `  ${r.section}: ${r.method} ${JSON.stringify(r.params ?? {})} → ${r.answer?.error?.message}`)
    .filter((line, index, all) => all.indexOf(line) === index);
}

Deno.test("the reference Control UI against our gateway: chat streams the answer, every page loads, no unknown method", async () => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin, model: "slow" }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const visit = await visitControlUi({
      page,
      server,
      gatewayPort: port,
      token: TOKEN,
      stepTimeoutMs: 8_000,
      chatTimeoutMs: 15_000,
      screenshotDir: SCREENSHOT_DIR,
    });
    const { log } = visit;
    const failures: string[] = [];
    const unknown = log.unknownReport();
    if (unknown) failures.push(unknown);
    const errors = otherErrors(log.requests);
    if (errors.length > 0) failures.push(`other error answers:\n${errors.join("\n")}`);
    if (visit.problems.length > 0) failures.push(`steps that failed:\n  ${visit.problems.join("\n  ")}`);
    const sent = log.requests.find((r) => r.section === "chat send" && r.method === "chat.send");
    if (!sent?.answer?.ok) {
      failures.push(`chat.send was not answered ok: ${JSON.stringify(sent?.answer ?? "not sent")}`);
    }
    if (!streamedAnswer(log, "chat send", FAKE_ANSWER)) {
      failures.push(`the answer did not stream: no partial "chat" delta before the final "${FAKE_ANSWER}"`);
    }
    if (server.missing.length > 0) failures.push(`the UI asked for files it lacks: ${server.missing.join(", ")}`);
    assert.ok(log.requests.length > 0, "the visit made no request at all: the UI never reached the gateway");
    assert.equal(
      failures.length,
      0,
      `against our gateway (${log.requests.length} requests):\n${failures.join("\n\n")}`,
    );
  } finally {
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
