// What the reference's own Control UI (headless Chromium) shows of a run it sent whose model never answers
// ("stall"): which of its start-up status lines ("Preparing workspace…", "Preparing this turn…", "Waiting for a
// response…": its English words for the chat `status` phases) are on the page once the run's `starting_model`
// status arrived, and the chat `status` frames the page received. Shared by tools/record_reference_run_status.ts
// (against the reference's gateway) and tests/integration/reference_control_ui_run_status_test.ts (against ours).
import type { Browser } from "playwright-core";
import { openUiPage } from "./reference_ui_page.ts";
import type { ReferenceUiServer } from "./reference_ui_server.ts";
import { until } from "./until.ts";

/** The UI's words for the start-up phases this gateway sends (its `chat.startupStatus.*` strings, English). */
export const STARTUP_LINES = ["Preparing workspace…", "Preparing this turn…", "Waiting for a response…"];

/** What the page showed and received. */
export interface UiStartupView {
  /** Each start-up line, and whether the page shows it. */
  shown: Record<string, boolean>;
  /** The chat `status` frames the page received: phase and seq. */
  statuses: [string, number][];
  /** Whether the page offers to stop the run. */
  stoppable: boolean;
}

/** Opens the main chat, sends a message from the composer and reads the page once the model is being asked. */
export async function uiStartupView(
  browser: Browser,
  target: { server: ReferenceUiServer; gatewayPort: number; token: string },
): Promise<UiStartupView> {
  const { page, log, settled } = await openUiPage(browser, { ...target, route: "/chat/main" });
  try {
    const composer = page.getByRole("textbox", { name: "Chat composer" });
    await composer.waitFor({ timeout: 30_000 });
    await settled();
    await composer.fill("are you there");
    await composer.press("Enter");
    const statuses = () =>
      log.events.filter((e) => e.event === "chat" && (e.payload as { state?: string }).state === "status").map((e) => {
        const p = e.payload as { phase: string; seq: number };
        return [p.phase, p.seq] as [string, number];
      });
    await until(() => statuses().some(([phase]) => phase === "starting_model"), "the starting_model status", 60_000);
    await page.getByRole("button", { name: "Stop generating" }).waitFor({ timeout: 30_000 });
    // The page renders the status it last received; give it a moment to settle.
    await until(async () => await page.getByText(STARTUP_LINES[2]!).count() > 0, "the status line", 10_000)
      .catch(() => {});
    const shown: Record<string, boolean> = {};
    for (const line of STARTUP_LINES) shown[line] = await page.getByText(line).count() > 0;
    const stoppable = await page.getByRole("button", { name: "Stop generating" }).count() > 0;
    return { shown, statuses: statuses(), stoppable };
  } finally {
    await page.close();
  }
}
