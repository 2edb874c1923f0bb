// The reference Control UI's Automations page (`/automations`) in headless Chromium against a
// gateway: the job list loads with a given job in it, the job's detail opens, and "Run now" (when
// asked) runs it. Every WebSocket frame to the gateway lands in a FrameLog, by section, so a test
// can require that no request was refused; the same visit against the reference gateway records
// what the page calls.
import type { Page } from "playwright-core";
import { type ReferenceUiServer, uiLink } from "./reference_ui_server.ts";
import { until } from "./until.ts";
import { recordGatewayFrames } from "./reference_ui_visit.ts";
import { FrameLog } from "./ws_frame_log.ts";

/** What the visit found. */
export interface AutomationsVisit {
  log: FrameLog;
  /** Steps that did not happen, each naming its section. Empty when all went well. */
  problems: string[];
}

/** Options of {@link visitAutomations}. */
export interface AutomationsVisitOptions {
  page: Page;
  server: ReferenceUiServer;
  gatewayPort: number;
  token: string;
  /** A job the list must show (by name) and whose detail the visit opens. */
  jobName: string;
  stepTimeoutMs?: number;
  screenshotDir?: string;
}

/** Drives the visit; never throws for a step that fails, it is listed in `problems`. */
export async function visitAutomations(options: AutomationsVisitOptions): Promise<AutomationsVisit> {
  const { page, server, gatewayPort, token, jobName } = options;
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
  const shoot = async (name: string) => {
    if (options.screenshotDir) {
      await page.screenshot({ path: `${options.screenshotDir}/automations-${name}.png` }).catch(() => {});
    }
  };
  const settled = () => until(() => log.unanswered === 0, "every request of the page answered", timeout);

  log.enter("automations list");
  await page.goto(uiLink(server, "/automations", gatewayPort, token));
  await step(
    "the switch-gateway prompt",
    () => page.getByRole("button", { name: `Switch to 127.0.0.1:${gatewayPort}` }).click({ timeout }),
  );
  await step(
    "connected",
    () => until(() => log.requests.some((r) => r.method === "connect" && r.answer?.ok), "connect answered ok", timeout),
  );
  await step(
    "cron.list answered",
    () => until(() => log.requests.some((r) => r.method === "cron.list" && r.answer), "cron.list", timeout),
  );
  await step(`the job "${jobName}" listed`, () => page.getByText(jobName).first().waitFor({ timeout }));
  await step("the page's requests answered", settled);
  await shoot("list");

  log.enter("automation detail");
  await step(`opening "${jobName}"`, () => page.getByText(jobName).first().click({ timeout }));
  await step("the detail's requests answered", settled);
  await shoot("detail");

  log.enter("run now");
  await step("the Run now button", () => page.getByRole("button", { name: "Run now" }).first().click({ timeout }));
  await step(
    "cron.run answered ok",
    () =>
      until(() => log.requests.some((r) => r.method === "cron.run" && r.answer?.ok), "cron.run answered ok", timeout),
  );
  await step("the run's requests answered", settled);
  await shoot("run-now");
  log.enter("end");
  return { log, problems };
}
