// The reference Control UI's channels settings page (`/settings/channels`, OpenClaw 2026.9.6's
// dist/control-ui) in headless Chromium against a gateway: the page loads its channel cards, and
// (when asked) WhatsApp's "Show QR" runs. Every WebSocket frame to the gateway lands in a FrameLog,
// by section, so a test can require that no request was refused.
import type { Page } from "playwright-core";
import { type ReferenceUiServer, uiLink } from "./reference_ui_server.ts";
import { until } from "./until.ts";
import { recordGatewayFrames } from "./reference_ui_visit.ts";
import { FrameLog } from "./ws_frame_log.ts";

/** What the visit found. */
export interface ChannelsVisit {
  log: FrameLog;
  /** Steps that did not happen, each naming its section. Empty when all went well. */
  problems: string[];
}

/** Options of {@link visitChannels}. */
export interface ChannelsVisitOptions {
  page: Page;
  server: ReferenceUiServer;
  gatewayPort: number;
  token: string;
  /** Channel labels the page must show. */
  labels: readonly string[];
  /** Channels whose details the visit opens, one after another, and the button that refreshes their status. */
  details?: readonly { label: string; refresh: string }[];
  stepTimeoutMs?: number;
  screenshotDir?: string;
}

/** Drives the visit; never throws for a step that fails, it is listed in `problems`. */
export async function visitChannels(options: ChannelsVisitOptions): Promise<ChannelsVisit> {
  const { page, server, gatewayPort, token } = options;
  const timeout = options.stepTimeoutMs ?? 15_000;
  const log = new FrameLog();
  const problems: string[] = [];
  recordGatewayFrames(page, gatewayPort, log);
  await page.route((url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost", (route) => route.abort());
  const step = async (what: string, action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      problems.push(
        `${log.section}: ${what}: ${String(error instanceof Error ? error.message : error).split("\n")[0]}`,
      );
    }
  };
  const settled = () => until(() => log.unanswered === 0, "every request of the page answered", timeout);

  log.enter("channels page");
  await page.goto(uiLink(server, "/settings/channels", gatewayPort, token));
  await step(
    "the switch-gateway prompt",
    () => page.getByRole("button", { name: `Switch to 127.0.0.1:${gatewayPort}` }).click({ timeout }),
  );
  await step(
    "connected",
    () => until(() => log.requests.some((r) => r.method === "connect" && r.answer?.ok), "connect answered ok", timeout),
  );
  await step(
    'the "Connected channels" heading',
    () => page.locator("h2.settings-section__heading", { hasText: "Connected channels" }).first().waitFor({ timeout }),
  );
  for (const label of options.labels) {
    await step(`the ${label} card`, () => page.getByText(label).first().waitFor({ timeout }));
  }
  await step("the page's requests answered", settled);
  if (options.screenshotDir) {
    await page.screenshot({ path: `${options.screenshotDir}/reference-ui-channels.png`, fullPage: true })
      .catch(() => {});
  }
  // Each channel's details (a dialog): its status, DM access and config; "Probe" (WhatsApp: "Refresh")
  // asks for a live status.
  for (const { label, refresh } of options.details ?? []) {
    log.enter(`${label} details`);
    // The dialog's own landmark: its "Advanced settings" disclosure.
    const advanced = page.getByText("Advanced settings", { exact: false }).first();
    await step(`opening ${label}`, async () => {
      await page.getByText(label, { exact: true }).first().click({ timeout });
      await advanced.waitFor({ timeout });
    });
    await step("the page's requests answered", settled);
    await step(
      `"${refresh}"`,
      () => page.locator("button").filter({ hasText: new RegExp(`^\\s*${refresh}\\s*$`) }).first().click({ timeout }),
    );
    await step(`"${refresh}" answered`, settled);
    if (options.screenshotDir) {
      await page.screenshot({ path: `${options.screenshotDir}/reference-ui-channels-${label}.png`, fullPage: true })
        .catch(() => {});
    }
    await step("closing", async () => {
      await page.keyboard.press("Escape");
      await advanced.waitFor({ state: "hidden", timeout });
    });
  }
  log.enter("end");
  return { log, problems };
}
