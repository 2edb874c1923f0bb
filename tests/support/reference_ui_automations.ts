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
  /** A job the visit creates through the "New automation" form (a prompt and this name), if any. */
  createName?: string;
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

  log.enter("pause and resume");
  // The row's switch is a `wa-switch` labelled for screen readers "Pause: <name>".
  const toggle = page.locator("wa-switch", { hasText: `Pause: ${jobName}` }).first();
  await step("pausing the job", () => toggle.click({ timeout }));
  await step(
    "cron.update answered ok",
    () =>
      until(
        () => log.requests.some((r) => r.method === "cron.update" && r.answer?.ok),
        "cron.update answered ok",
        timeout,
      ),
  );
  await step("the page's requests answered", settled);
  const resume = page.locator("wa-switch", { hasText: `Resume: ${jobName}` }).first();
  await step("resuming the job", () => resume.click({ timeout }));
  await step("cron.update answered ok twice", () =>
    until(
      () => log.requests.filter((r) => r.method === "cron.update" && r.answer?.ok).length === 2,
      "cron.update answered ok twice",
      timeout,
    ));
  await step("the page's requests answered", settled);

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
  if (options.createName) {
    log.enter("create");
    await step(
      "the All automations link",
      () => page.getByRole("button", { name: "All automations" }).first().click({ timeout }),
    );
    await step(
      "the New automation button",
      () => page.getByRole("button", { name: "New automation" }).click({ timeout }),
    );
    await step(
      "the prompt",
      () => page.getByPlaceholder("Describe what OpenClaw should do...").fill("Check the build", { timeout }),
    );
    await step("the name", () => page.getByPlaceholder("Morning brief").fill(options.createName!, { timeout }));
    await step("Create automation", () => page.getByRole("button", { name: "Create automation" }).click({ timeout }));
    await step(
      "cron.add answered ok",
      () =>
        until(() => log.requests.some((r) => r.method === "cron.add" && r.answer?.ok), "cron.add answered ok", timeout),
    );
    await step(
      `the job "${options.createName}" shown`,
      () => page.getByText(options.createName!).first().waitFor({ timeout }),
    );
    await step("the page's requests answered", settled);
    await shoot("create");
  }
  log.enter("end");
  return { log, problems };
}
