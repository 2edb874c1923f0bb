// The reference's own Control UI (a test client served on loopback, never shipped) in headless
// Chromium against our gateway: a pending exec approval shows up in it, and clicking its
// "Allow once" button resolves it (the requester gets the decision, operators the resolved event).
import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { startFakeUpstream } from "../support/fake_upstream.ts";
import { requirePeer } from "../support/peer.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { clientTestConfig } from "../support/reference_gateway.ts";
import { startReferenceUiServer, uiLink } from "../support/reference_ui_server.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "approvals-ui-token-0123456789abcdef";

Deno.test("the reference Control UI shows our pending exec approval and resolves it by a click", async () => {
  requirePeer();
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const upstream = startFakeUpstream();
  const server = await startReferenceUiServer();
  const port = freePort();
  const home = await tempHome(
    clientTestConfig({ port, token: TOKEN, upstreamUrl: upstream.url, uiOrigin: server.origin }),
  );
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const sessions: ReferenceSession[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(uiLink(server, "/chat/main", port, TOKEN));
    await page.getByRole("button", { name: `Switch to 127.0.0.1:${port}` }).click({ timeout: 15_000 });
    await page.getByRole("textbox", { name: "Chat composer" }).waitFor({ timeout: 15_000 });

    const requester = await connectReference({ port, token: TOKEN, scopes: ["operator.approvals"] });
    sessions.push(requester);
    // Only the UI can answer: the requester is left out of the approval route, so the UI must be connected.
    const accepted = Promise.withResolvers<{ id: string; deliveryRoute: string }>();
    const final = requester.request<{ id: string; decision: string | null }>(
      "exec.approval.request",
      {
        command: "npm run deploy -- --prod",
        cwd: "/srv/app",
        host: "gateway",
        agentId: "main",
        sessionKey: "agent:main:main",
        twoPhase: true,
      },
      {
        expectFinal: true,
        timeoutMs: 60_000,
        onAccepted: (payload) => accepted.resolve(payload as { id: string; deliveryRoute: string }),
      },
    );
    // A failure below stops the requester, which rejects the pending request: the assertion's error is the one to see.
    final.catch(() => {});
    const { id, deliveryRoute } = await accepted.promise;
    assert.equal(deliveryRoute, "approval-client", "the UI counts as an approval client");
    // The chat shows the reference's approval card: title, the command, Allow once / Always allow here / Deny.
    const card = page.getByText("Exec approval needed");
    await card.waitFor({ timeout: 15_000 });
    await page.getByText("npm run deploy -- --prod", { exact: true }).filter({ visible: true }).first().waitFor({
      timeout: 15_000,
    });
    assert.ok(await page.getByRole("button", { name: "Always allow here" }).isVisible());
    await page.screenshot({ path: `${SCREENSHOT_DIR}/reference-ui-exec-approval.png` }).catch(() => {});
    await page.getByRole("button", { name: "Allow once" }).first().click({ timeout: 15_000 });
    const answer = await final;
    assert.deepEqual([answer.id, answer.decision], [id, "allow-once"]);
    await until(
      async () => !(await card.isVisible().catch(() => false)),
      "the approval card gone from the UI",
    );
  } finally {
    for (const session of sessions) session.stop();
    await stop();
    await proc.stop();
    await server.stop();
    await upstream.stop();
    await home.cleanup();
  }
});
