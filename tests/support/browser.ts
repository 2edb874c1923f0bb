// Headless Chromium (Debian's `chromium`) driven by playwright-core, with the flags the team uses.
// The browser runs as a launched server so the test owns its process and stops it by PID.

import { type Browser, chromium } from "playwright-core";
import { REPO_ROOT } from "./spawn_gateway.ts";

/** The flags every test browser starts with. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/** A running test browser. */
export interface TestBrowser {
  browser: Browser;
  /** Closes the connection and kills the browser process by PID. */
  stop(): Promise<void>;
}

/** Where the UI tests leave their screenshots for review (gitignored). */
export const SCREENSHOT_DIR = `${REPO_ROOT}/dist/screenshots`;

/** Launches Debian's chromium headless. */
export async function launchBrowser(): Promise<TestBrowser> {
  const executablePath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  });
  if (!executablePath) throw new Error("chromium is not installed (apt-get install chromium; .ci/run does it)");
  const server = await chromium.launchServer({ executablePath, args: CHROMIUM_ARGS, headless: true });
  const pid = server.process().pid;
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    async stop() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      if (pid !== undefined) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch {
          // already exited
        }
      }
    },
  };
}
