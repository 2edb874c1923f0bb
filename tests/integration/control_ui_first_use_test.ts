// First-use behaviours of the Control UI, one step each, against one gateway and one browser.
import assert from "node:assert/strict";
import { launchBrowser } from "../support/browser.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "ui-first-use-token-0123456789abcdef";

/** The 1-based line of the config editor's selection start. */
const SELECTED_LINE = `(() => {
  const editor = document.getElementById("cfg-editor");
  return editor.value.slice(0, editor.selectionStart).split("\\n").length;
})()`;

Deno.test("control UI first use: pasted dashboard link, connected clients, config error lines, chat while loading", async (t) => {
  const port = freePort();
  const home = await tempHome({ gateway: { mode: "local", port, auth: { token: TOKEN } } });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const base = `http://127.0.0.1:${port}`;
  try {
    const page = await browser.newPage();

    await t.step(
      "a dashboard link pasted into a tab on the login page logs in and leaves the address bar",
      async () => {
        await page.goto(`${base}/`);
        await page.locator("#login:not([hidden])").waitFor();
        // Same document, new fragment: what pasting the link into this tab's address bar does.
        await page.goto(`${base}/#token=${TOKEN}`);
        await page.locator("#conn", { hasText: "Connected" }).waitFor();
        assert.equal(new URL(page.url()).hash, "#/overview");
        assert.ok(!page.url().includes(TOKEN), page.url());
        assert.equal(await page.isHidden("#login"), true);
      },
    );

    await t.step("connected clients lists the page itself, not the gateway's own presence entry", async () => {
      await page.locator("#ov-presence tbody td", { hasText: "ui" }).first().waitFor();
      const modes = await page.locator("#ov-presence tbody tr td:nth-child(2)").allTextContents();
      assert.ok(modes.includes("ui"), modes.join(","));
      assert.ok(!modes.includes("gateway"), `the gateway is not its own client: ${modes.join(",")}`);
    });

    await t.step("a schema error from a save points at the key's line in the editor's own text", async () => {
      await page.click('nav a[data-page="config"]');
      // openConfig fills the path and the editor together.
      await page.locator("#cfg-path", { hasText: "openclaw.json" }).waitFor();
      const text = await page.inputValue("#cfg-editor");
      const edited = text.replace(/"port": \d+/, '"port": "not a port"');
      const line = edited.split("\n").findIndex((row) => row.includes('"port"')) + 1;
      await page.fill("#cfg-editor", edited);
      await page.click("#cfg-save");
      const issue = page.locator("#cfg-result li", { hasText: "gateway.port" });
      await issue.waitFor();
      assert.match(await issue.textContent() ?? "", new RegExp(`\\(line ${line}, column \\d+\\)$`));
      await issue.click();
      assert.equal(await page.evaluate(SELECTED_LINE), line);
    });

    await t.step("a syntax error in the file on disk is shown at its own line, its text withheld", async () => {
      await Deno.writeTextFile(home.configPath, `{\n  gateway: {\n    mode: "local\n  },\n}\n`);
      await proc.waitForLine(/config reload skipped \(invalid config\)/);
      await page.click("#cfg-reload");
      const issue = page.locator("#cfg-result li", { hasText: "JSON5 parse failed" });
      await issue.waitFor();
      assert.match(await issue.textContent() ?? "", /at 3:17 \(line 3, column 17\)$/);
      // config.get withholds an invalid file's text (it may hold secrets): the editor is empty and
      // the result names the file to fix instead of selecting a line it does not hold.
      assert.equal(await page.inputValue("#cfg-editor"), "");
      assert.match(await page.textContent("#cfg-result") ?? "", new RegExp(`fix it in ${home.configPath}`));
      assert.equal(await issue.getAttribute("data-line"), null);
    });

    await t.step("a message sent while the chat history loads is not wiped by it", async () => {
      const tab = await browser.newPage();
      // Hold the gateway's chat.history answer until the page has sent its message: the order a
      // slow gateway (a loaded machine) produces, made certain.
      let historyId: string | undefined;
      let sent!: () => void;
      const messageSent = new Promise<void>((resolve) => sent = resolve);
      await tab.routeWebSocket(/.*/, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          const frame = JSON.parse(String(message));
          if (frame.method === "chat.history") historyId = frame.id;
          if (frame.method === "chat.send") sent();
          server.send(message);
        });
        server.onMessage(async (message) => {
          if (historyId !== undefined && JSON.parse(String(message)).id === historyId) await messageSent;
          ws.send(message);
        });
      });
      await tab.goto(`${base}/#token=${TOKEN}`);
      await tab.locator("#conn", { hasText: "Connected" }).waitFor();
      await tab.click('nav a[data-page="chat"]');
      await tab.fill("#chat-input", "Sent before the history came");
      await tab.press("#chat-input", "Enter");
      // The session list is drawn from the same answer as the history, in the same turn.
      await tab.locator('#chat-sessions button[aria-current="true"]').waitFor();
      // Before the fix the history replaced the log and this item was gone (CI: a 30 s wait for it).
      assert.deepEqual(await tab.locator("#chat-log li.user").allTextContents(), ["Sent before the history came"]);
      await tab.close();
    });
  } finally {
    await stop();
    await proc.stop();
    await home.cleanup();
  }
});
