// A Tool Search run sent from the reference's own Control UI (headless Chromium), shared by
// tools/record_reference_tool_search_ui.ts and tests/integration/reference_control_ui_tool_search_test.ts:
// the scripted model searches the catalog with `tool_search`, calls the tool it found with `tool_call`, then
// answers; what the chat shows of it (each tool row, and each row opened) once the run ends and after a reload.
import type { Browser, Page } from "playwright-core";
import type { ScriptStep } from "./fake_script.ts";
import { clientTestConfig } from "./reference_gateway.ts";
import { type OpenUiPage, openUiPage } from "./reference_ui_page.ts";
import type { ReferenceUiServer } from "./reference_ui_server.ts";
import { until } from "./until.ts";

/** The scripted model's id. */
export const SEARCH_UI_MODEL = "uisearcher";

/** The message sent from the chat's composer. */
export const SEARCH_UI_MESSAGE = "What do my notes say about milk?";

/** What the model answers after its calls. */
export const SEARCH_UI_ANSWER = "Your notes say to buy oat milk.";

/** The memory file the found tool reads. */
export const SEARCH_UI_MEMORY = "# Notes\n\nBuy oat milk on Friday.\n";

/** The session the chat page opens. */
export const SEARCH_UI_SESSION = "agent:main:main";

/** A search for the memory reader, a `tool_call` of what it found, then the answer. */
export function searchUiSteps(): ScriptStep[] {
  return [
    { toolCalls: [{ id: "u_1", name: "tool_search", args: { query: "read memory file lines", limit: 1 } }] },
    {
      toolCalls: [{ id: "u_2", name: "tool_call", args: { id: "memory_get", args: { path: "MEMORY.md" } } }],
    },
    { text: SEARCH_UI_ANSWER },
  ];
}

/** Both gateways' config: the scripted model, Tool Search as by default, the UI's origin allowed. */
export function searchUiConfig(
  input: { port: number; token: string; upstreamUrl: string; uiOrigin: string; workspace: string },
): Record<string, unknown> {
  const config = clientTestConfig({ ...input, model: SEARCH_UI_MODEL }) as {
    agents: { defaults: Record<string, unknown> };
  };
  config.agents.defaults.workspace = input.workspace;
  return config;
}

/** What the chat shows of the run: each tool row's text, closed and opened, and the answer's count. */
export interface SearchUiView {
  groups: string[];
  rows: string[];
  opened: string[];
  answers: number;
  sent: number;
  /** The whole thread's text, folded. */
  thread: string;
}

/** Whitespace folded, as a reader sees the text. */
const fold = (text: string) => text.replace(/\s+/g, " ").trim();

/** The chat's tool rows, each opened in turn, and how often the answer and the sent message show. */
export async function searchUiView(page: Page): Promise<SearchUiView & { html: string }> {
  const groups = page.locator(".chat-activity-group__summary");
  const groupLabels = (await groups.allInnerTexts()).map(fold);
  for (let i = 0; i < groupLabels.length; i++) {
    if (await groups.nth(i).getAttribute("aria-expanded") === "false") await groups.nth(i).click();
  }
  await page.waitForTimeout(300);
  const rows = page.locator(".chat-activity-group__body .chat-tool-row");
  const count = await rows.count();
  const closed = (await rows.allInnerTexts()).map(fold);
  const opened: string[] = [];
  for (let i = 0; i < count; i++) {
    const collapse = rows.nth(i).locator("xpath=..");
    await rows.nth(i).click();
    await page.waitForTimeout(300);
    opened.push(fold(await collapse.innerText().catch(() => "")));
  }
  const shown = (text: string) => page.getByText(text).and(page.locator(":not(.sr-only)")).count();
  return {
    groups: groupLabels,
    rows: closed,
    opened,
    answers: await shown(SEARCH_UI_ANSWER),
    sent: await shown(SEARCH_UI_MESSAGE),
    thread: fold(await page.locator(".chat-thread").innerText().catch(() => "")),
    html: await page.locator(".chat-thread").innerHTML().catch(() => ""),
  };
}

/** Sends the message from the chat's composer and waits for the run's end: the page and its frames. */
export async function sendFromUi(
  browser: Browser,
  target: { server: ReferenceUiServer; gatewayPort: number; token: string },
): Promise<OpenUiPage> {
  const ui = await openUiPage(browser, { ...target, route: "/chat/main" });
  const composer = ui.page.getByRole("textbox", { name: "Chat composer" });
  await composer.waitFor({ timeout: 30_000 });
  await ui.settled();
  await composer.fill(SEARCH_UI_MESSAGE);
  await composer.press("Enter");
  await ui.page.getByText(SEARCH_UI_ANSWER).first().waitFor({ timeout: 90_000 });
  await until(
    () =>
      ui.log.events.some((e) =>
        e.event === "chat" && (e.payload as { state?: unknown } | undefined)?.state === "final"
      ),
    'the run\'s final "chat" event',
    30_000,
  );
  await ui.settled();
  return ui;
}
