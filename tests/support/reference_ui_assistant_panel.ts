// The reference Control UI's assistant panel ("Talk to your Home agent") in headless Chromium against a
// gateway: opened from the chat page, a message sent from its composer with the page's working context
// attached (the panel's default), and the answer awaited in the panel. Every frame lands in a FrameLog.
import type { Browser } from "playwright-core";
import { openUiPage } from "./reference_ui_page.ts";
import type { ReferenceUiServer } from "./reference_ui_server.ts";
import { until } from "./until.ts";
import type { FrameLog } from "./ws_frame_log.ts";

/** What the panel sent and showed. */
export interface AssistantPanelSend {
  /** The `chat.send` params the panel sent. */
  params: Record<string, unknown>;
  /** The gateway's answer to it. */
  answer: unknown;
  /** The panel's context summary ("Working on: …") and the JSON it shows. */
  contextSummary: string;
  contextJson: string;
  /** The panel's text once the answer arrived. */
  panelText: string;
  log: FrameLog;
}

/**
 * Opens `route` against the gateway, opens the assistant panel, sends `message` from its composer
 * and waits until the panel shows `expectAnswer` (when given) or the send is answered.
 */
export async function sendFromAssistantPanel(
  browser: Browser,
  target: {
    server: ReferenceUiServer;
    gatewayPort: number;
    token: string;
    /** The page the panel is opened on (not the Home session's own chat, where the toggle opens Home instead). */
    route: string;
    message: string;
    screenshot?: string;
    expectAnswer?: string;
    timeoutMs?: number;
  },
): Promise<AssistantPanelSend> {
  const timeout = target.timeoutMs ?? 30_000;
  const { page, log, settled } = await openUiPage(browser, target);
  try {
    // The toggle reads the page's session: before the route resolves, it would open Home as a page instead.
    await settled(timeout);
    await page.getByRole("button", { name: "Talk to your Home agent" }).first().click({ timeout });
    const panel = page.locator("openclaw-home-session");
    await panel.waitFor({ timeout });
    const composer = panel.getByRole("textbox").first();
    await composer.fill(target.message, { timeout });
    await composer.press("Enter", { timeout });
    await until(
      () => log.requests.some((r) => r.method === "chat.send" && r.answer),
      "the panel's chat.send answered",
      timeout,
    );
    if (target.expectAnswer) await panel.getByText(target.expectAnswer).first().waitFor({ timeout });
    const send = log.requests.find((r) => r.method === "chat.send")!;
    const summary = panel.locator(".assistant-panel-context summary").first();
    const contextSummary = (await summary.textContent({ timeout }))?.trim() ?? "";
    const contextJson = (await panel.locator(".assistant-panel-context pre").first().textContent({ timeout })) ?? "";
    return {
      params: send.params as Record<string, unknown>,
      answer: send.answer,
      contextSummary,
      contextJson,
      panelText: (await panel.innerText({ timeout })).trim(),
      log,
    };
  } catch (error) {
    if (target.screenshot) await page.screenshot({ path: target.screenshot }).catch(() => {});
    throw error;
  } finally {
    await page.close().catch(() => {});
  }
}
