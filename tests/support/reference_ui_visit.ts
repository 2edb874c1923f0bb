// One visit of the reference's own Control UI in headless Chromium, the same against the reference
// gateway (to record what the UI calls) and against ours (to test it): open the chat through the
// UI's remote-gateway handoff, send a message and watch the fake model's answer stream in, then walk
// the pages the issue names. Every WebSocket frame to the gateway lands in a FrameLog, by section.
import type { Page } from "playwright-core";
import { FAKE_ANSWER, FAKE_CHUNKS } from "./fake_upstream.ts";
import { type ReferenceUiServer, uiLink } from "./reference_ui_server.ts";
import { until } from "./until.ts";
import { FrameLog, sectionFailures, streamFailure } from "./ws_frame_log.ts";

/**
 * The pages walked after the chat, by their routes in the reference UI (docs/web/urls.md), each with
 * a section heading it renders once its data is in. `/config` is the reference's legacy alias that
 * lands on Settings → Appearance; `/settings/advanced` is its schema-driven config editor.
 */
export const UI_PAGES = [
  { section: "sessions", route: "/sessions", landmark: "Search transcripts" },
  { section: "agents", route: "/settings/agents", landmark: "Model Selection" },
  { section: "channels", route: "/settings/channels", landmark: "Connected channels" },
  { section: "logs", route: "/logs", landmark: "Logs" },
  { section: "config", route: "/config", landmark: "Language" },
  { section: "config (advanced)", route: "/settings/advanced", landmark: "Logging" },
  { section: "usage", route: "/usage", landmark: "Reporting range" },
  { section: "debug", route: "/debug", landmark: "Manual RPC" },
] as const;

/** The message the visit sends in the chat. */
export const UI_CHAT_MESSAGE = "Hello from the reference Control UI";

/** What a visit found, besides the frames. */
export interface UiVisitResult {
  log: FrameLog;
  /** Problems seen, in order (a step that timed out, an answer that never showed). Empty when all went well. */
  problems: string[];
  /** HTTP requests the page made to the gateway (not to the static server), with their status. */
  http: string[];
  /** Whether a partial answer was on screen before the whole one. */
  sawPartialAnswer: boolean;
  /** Files the UI asked the static server for that it does not have. */
  missingFiles: string[];
  /** Requests the page tried to send off the machine (fonts, link previews): refused, tests stay on loopback. */
  refusedExternal: string[];
}

/** The sections of a visit, in order: the shell with the chat page, the chat send, then the pages. */
export const UI_SECTIONS: readonly string[] = ["shell + chat page", "chat send", ...UI_PAGES.map((p) => p.section)];

/**
 * What is wrong in each section of a visit (empty: it went as against the reference gateway):
 * every step done, no request answered "unknown method" or with any other error (the reference
 * answers none in this visit); the chat send also needs chat.send accepted and the answer streamed.
 */
export function judgeVisitBySection(visit: UiVisitResult): { section: string; failures: string[] }[] {
  const { log } = visit;
  return UI_SECTIONS.map((section) => {
    const failures = sectionFailures(log, section, visit.problems);
    if (section === "shell + chat page") {
      if (log.requests.length === 0) failures.unshift("no request at all: the UI never reached the gateway");
      if (visit.missingFiles.length > 0) {
        failures.push(`the UI asked for files it lacks: ${visit.missingFiles.join(", ")}`);
      }
    }
    if (section === "chat send") {
      const sent = log.requests.find((r) => r.section === section && r.method === "chat.send");
      if (!sent?.answer?.ok) failures.push(`chat.send not answered ok: ${JSON.stringify(sent?.answer ?? "not sent")}`);
      const stream = streamFailure(log, section, FAKE_ANSWER);
      if (stream) failures.push(`the answer "${FAKE_ANSWER}" did not stream: ${stream}`);
    }
    return { section, failures };
  });
}

/** Every section's failures in one list, each line naming its section; empty when the visit passed. */
export function judgeVisit(visit: UiVisitResult): string[] {
  return judgeVisitBySection(visit).flatMap(({ section, failures }) => failures.map((f) => `${section}: ${f}`));
}

/** Options of {@link visitControlUi}. */
export interface UiVisitOptions {
  page: Page;
  server: ReferenceUiServer;
  gatewayPort: number;
  token: string;
  /** Bound for each step's wait; a step that overruns is a problem and the visit goes on. */
  stepTimeoutMs?: number;
  /** Bound for the model's answer to show (the reference takes 10-40 s before it calls the model). */
  chatTimeoutMs?: number;
  /** Where to leave a screenshot per section, if anywhere. */
  screenshotDir?: string;
}

/** Sends every frame of the page's sockets to the gateway on `gatewayPort` into `log`. */
export function recordGatewayFrames(page: Page, gatewayPort: number, log: FrameLog): void {
  let sockets = 0;
  page.on("websocket", (socket) => {
    if (new URL(socket.url()).port !== String(gatewayPort)) return;
    const connection = String(++sockets);
    socket.on("framesent", (frame) => log.sent(String(frame.payload), connection));
    socket.on("framereceived", (frame) => log.received(String(frame.payload), connection));
    socket.on("close", () => log.closed(connection));
  });
}

/** Drives the visit; never throws for a page that fails to load, it is listed in `problems`. */
export async function visitControlUi(options: UiVisitOptions): Promise<UiVisitResult> {
  const { page, server, gatewayPort, token } = options;
  const timeout = options.stepTimeoutMs ?? 15_000;
  const log = new FrameLog();
  const problems: string[] = [];
  const http: string[] = [];
  recordGatewayFrames(page, gatewayPort, log);
  const refusedExternal: string[] = [];
  await page.route((url) => url.hostname !== "127.0.0.1" && url.hostname !== "localhost", (route) => {
    refusedExternal.push(route.request().url());
    return route.abort();
  });
  page.on("response", (response) => {
    const url = new URL(response.url());
    if (url.port === String(gatewayPort)) {
      http.push(`${log.section}: ${response.request().method()} ${url.pathname} ${response.status()}`);
    }
  });
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
      await page.screenshot({ path: `${options.screenshotDir}/reference-ui-${name.replace(/\W+/g, "-")}.png` })
        .catch(() => {});
    }
  };
  const settled = () => until(() => log.unanswered === 0, "every request of the page answered", timeout);

  // The shell and the chat page: the link names the gateway, the UI asks before switching to it.
  log.enter("shell + chat page");
  await page.goto(uiLink(server, "/chat/main", gatewayPort, token));
  await step(
    "the switch-gateway prompt",
    () => page.getByRole("button", { name: `Switch to 127.0.0.1:${gatewayPort}` }).click({ timeout }),
  );
  const composer = page.getByRole("textbox", { name: "Chat composer" });
  await step(
    "connected (the connect request answered ok)",
    () => until(() => log.requests.some((r) => r.method === "connect" && r.answer?.ok), "connect answered ok", timeout),
  );
  await step("the chat composer", () => composer.waitFor({ timeout }));
  await step("the page's requests answered", settled);
  await shoot("chat-page");

  // Chat: send, then the answer streams in (a partial answer first, then the whole one).
  log.enter("chat send");
  let sawPartialAnswer = false;
  await step("sending a message", async () => {
    await composer.fill(UI_CHAT_MESSAGE, { timeout });
    await composer.press("Enter", { timeout });
  });
  await step("the sent message shown", () => page.getByText(UI_CHAT_MESSAGE).first().waitFor({ timeout }));
  const partial = FAKE_CHUNKS.slice(0, 2).join("");
  await step("the answer streamed in", () =>
    until(
      async () => {
        // Only what follows the sent message counts: an answer already in the history does not.
        const pageText = await page.locator("body").innerText().catch(() => "");
        const sentAt = pageText.indexOf(UI_CHAT_MESSAGE);
        const text = sentAt === -1 ? "" : pageText.slice(sentAt);
        if (text.includes(partial) && !text.includes(FAKE_ANSWER)) sawPartialAnswer = true;
        return text.includes(FAKE_ANSWER);
      },
      `the answer "${FAKE_ANSWER}"`,
      options.chatTimeoutMs ?? 60_000,
    ));
  // The page shows the answer from its deltas; the run's final `chat` event follows once the turn is
  // stored, a few ms later. It is waited for here, so it counts in this section, not in the next page's.
  await step("the answer's final chat event", () =>
    until(
      () =>
        log.events.some((e) =>
          e.section === "chat send" && e.event === "chat" &&
          (e.payload as { state?: unknown } | undefined)?.state === "final"
        ),
      'a final "chat" event',
      timeout,
    ));
  await step("the chat's requests answered", settled);
  await shoot("chat-answer");

  for (const { section, route, landmark } of UI_PAGES) {
    log.enter(section);
    // The app's own router follows history changes, as a click on its links does.
    await page.evaluate(`history.pushState(null, "", ${JSON.stringify(route)});
      dispatchEvent(new PopStateEvent("popstate"));`);
    await step(
      `the "${landmark}" heading`,
      () => page.locator("h2.settings-section__heading", { hasText: landmark }).first().waitFor({ timeout }),
    );
    await step("the page's requests answered", settled);
    await shoot(section);
  }
  log.enter("end");
  return { log, problems, http, sawPartialAnswer, missingFiles: [...server.missing], refusedExternal };
}
