// One page of the reference's own Control UI (headless Chromium) opened on a route against a gateway,
// through the UI's remote-gateway handoff, with every WebSocket frame to the gateway in a FrameLog:
// the shared start of the tests that drive one surface of the UI (a session's chat, its cron view).
import type { Browser, Page } from "playwright-core";
import { type ReferenceUiServer, uiLink } from "./reference_ui_server.ts";
import { recordGatewayFrames } from "./reference_ui_visit.ts";
import { until } from "./until.ts";
import { FrameLog } from "./ws_frame_log.ts";

/** An open page and what it exchanged with the gateway. */
export interface OpenUiPage {
  page: Page;
  log: FrameLog;
  /** Resolves once every request the page sent has its answer. */
  settled(timeoutMs?: number): Promise<void>;
}

/**
 * Opens `route` (`/chat/main/<rest>`, `/automations`, …) against the gateway on `gatewayPort`, accepts the
 * switch-gateway prompt and waits for the connect to be answered ok. Requests off the machine are refused.
 */
export async function openUiPage(
  browser: Browser,
  target: { server: ReferenceUiServer; gatewayPort: number; token: string; route: string },
): Promise<OpenUiPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const log = new FrameLog();
  recordGatewayFrames(page, target.gatewayPort, log);
  await page.route((url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost", (route) => route.abort());
  await page.goto(uiLink(target.server, target.route, target.gatewayPort, target.token));
  await page.getByRole("button", { name: `Switch to 127.0.0.1:${target.gatewayPort}` }).click({ timeout: 30_000 });
  await until(() => log.requests.some((r) => r.method === "connect" && r.answer?.ok), "connect answered ok", 30_000);
  return {
    page,
    log,
    settled: (timeoutMs = 30_000) => until(() => log.unanswered === 0, "every request of the page answered", timeoutMs),
  };
}
