import assert from "node:assert/strict";
import { launchBrowser, SCREENSHOT_DIR } from "../support/browser.ts";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";
import { qrPngDataUrl } from "../../src/channels/whatsapp/qr.ts";
import { ProtocolValidators } from "../../src/rpc/validators.ts";

const TOKEN = "ui-channels-token-0123456789abcdef";
const BOT_TOKEN = "123:ui-channels-bot";

// Page state is polled from the test side with until(): the UI's CSP forbids page-side eval.

Deno.test("control UI channels page: add and configure a channel, secrets never shown, disable, refuse, remove, WhatsApp QR", async () => {
  await Deno.mkdir(SCREENSHOT_DIR, { recursive: true });
  const telegram = startFakeTelegram(BOT_TOKEN);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    // Telegram points at the fake Bot API and starts disabled; WhatsApp is declared, not linked.
    channels: {
      telegram: { enabled: false, apiRoot: telegram.url },
      whatsapp: { enabled: false, accounts: { default: { enabled: false } } },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const { browser, stop } = await launchBrowser();
  const config = async () => JSON.parse(await Deno.readTextFile(home.configPath));
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    // The QR login needs WhatsApp's servers, which a test may not reach: the page's socket is
    // relayed to the real gateway, and only web.login.* is answered here, with the QR the
    // WhatsApp channel renders (src/channels/whatsapp/qr.ts) in the shapes its provider returns.
    const qr = await qrPngDataUrl("2@test-ref,client-key,identity-key,adv-secret");
    const loginCalls: string[] = [];
    const loginParams: { method: string; params: unknown }[] = [];
    await page.routeWebSocket(/.*/, (ws) => {
      const server = ws.connectToServer();
      ws.onMessage((message) => {
        const frame = JSON.parse(String(message));
        if (frame.type === "req" && String(frame.method).startsWith("web.login.")) {
          loginCalls.push(frame.method);
          loginParams.push({ method: frame.method, params: frame.params });
          const payload = frame.method === "web.login.start"
            ? { qrDataUrl: qr, message: "Scan this QR in WhatsApp → Linked Devices." }
            : { connected: true, message: "✅ Linked! WhatsApp is ready." };
          ws.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload }));
          return;
        }
        server.send(message);
      });
      server.onMessage((message) => ws.send(message));
    });
    const waitText = (selector: string, text: string) => page.locator(selector, { hasText: text }).first().waitFor();
    /** Waits for the form's status line to say `text`; a timeout names what it said instead. */
    const statusSays = async (text: string) => {
      try {
        await until(async () => (await page.textContent("#chf-status"))?.includes(text) ?? false, text);
      } catch {
        throw new Error(`#chf-status never said ${JSON.stringify(text)}: ${await page.textContent("#chf-status")}`);
      }
    };
    await page.goto(`http://127.0.0.1:${port}/#token=${TOKEN}`);
    await waitText("#conn", "Connected");
    await page.click('nav a[data-page="channels"]');
    await waitText("#ch-accounts tbody td", "WhatsApp");

    // Add: the Telegram root account, with its token typed into a password field.
    await page.selectOption("#chf-channel", "telegram");
    await page.fill("#chf-botToken", BOT_TOKEN);
    await page.selectOption("#chf-dmPolicy", "pairing");
    await page.check("#chf-enabled");
    await page.click("#chf-save");
    await statusSays("Saved Telegram default.");
    const added = await config();
    assert.deepEqual(added.channels.telegram, {
      enabled: true,
      apiRoot: telegram.url,
      botToken: BOT_TOKEN,
      dmPolicy: "pairing",
    });
    // The gateway starts it against the fake Bot API; the page shows it on its next refresh.
    await until(async () => {
      await page.click("#ch-probe");
      await waitText("#ch-status", "Probed.");
      return (await page.textContent("#ch-accounts tbody tr[data-channel=telegram]"))?.includes("connected") ?? false;
    }, "Telegram connected on the channels page");
    // The secret is never echoed back: not in a field, not anywhere on the page.
    assert.equal(await page.inputValue("#chf-botToken"), "");
    assert.equal(await page.getAttribute("#chf-botToken", "placeholder"), "set (leave blank to keep)");
    assert.ok(!(await page.content()).includes(BOT_TOKEN));

    // Bad input: "open" without "*" is refused with the gateway's reason, and the file is unchanged.
    const before = await Deno.readTextFile(home.configPath);
    await page.selectOption("#chf-dmPolicy", "open");
    await page.click("#chf-save");
    await statusSays('dmPolicy "open" requires allowFrom to include "*"');
    assert.equal(await Deno.readTextFile(home.configPath), before);

    // A second Telegram account beside the root one: the root's token reaches the page redacted
    // and cannot be moved from here, so the page refuses and names the CLI; nothing is written.
    await page.fill("#chf-account", "Alt");
    await page.click("#chf-save");
    await statusSays("openclaw channels add --channel telegram --account alt");
    assert.equal(await Deno.readTextFile(home.configPath), before);

    // A named IRC account, then disable and remove through the row's buttons.
    await page.selectOption("#chf-channel", "irc");
    await page.fill("#chf-account", "work");
    await page.fill("#chf-host", "127.0.0.1");
    await page.fill("#chf-port", String(freePort()));
    await page.fill("#chf-nick", "claw");
    await page.fill("#chf-channels", "#a, #b");
    await page.uncheck("#chf-enabled");
    await page.click("#chf-save");
    await statusSays("Saved IRC work.");
    assert.deepEqual((await config()).channels.irc.accounts.work, {
      enabled: false,
      host: "127.0.0.1",
      port: (await config()).channels.irc.accounts.work.port,
      nick: "claw",
      channels: ["#a", "#b"],
    });
    await page.click("tr[data-channel=telegram] button:text('Disable')");
    await statusSays("Disabled Telegram default.");
    assert.equal((await config()).channels.telegram.enabled, false);
    assert.equal((await config()).channels.telegram.botToken, BOT_TOKEN);
    page.once("dialog", (dialog) => dialog.accept());
    await page.click("tr[data-channel=irc][data-account=work] button:text('Remove')");
    await statusSays("Removed IRC work.");
    // Its channel's only account: the section goes with it, nothing half-configured is left.
    assert.equal((await config()).channels.irc, undefined);

    // IRC at its root without a secret, then a second account (its id made canonical): the root's
    // own settings move to accounts.default, so the new account does not inherit its DM policy.
    await page.selectOption("#chf-channel", "irc");
    await page.fill("#chf-account", "default");
    await page.fill("#chf-host", "127.0.0.1");
    await page.fill("#chf-port", String(freePort()));
    await page.fill("#chf-nick", "claw");
    await page.fill("#chf-channels", "");
    await page.selectOption("#chf-dmPolicy", "pairing");
    await page.uncheck("#chf-enabled");
    await page.click("#chf-save");
    await statusSays("Saved IRC default.");
    await page.fill("#chf-account", "Work Two");
    await page.fill("#chf-nick", "claw2");
    await page.selectOption("#chf-dmPolicy", "");
    await page.uncheck("#chf-enabled");
    await page.click("#chf-save");
    await statusSays("Saved IRC work-two.");
    const irc = (await config()).channels.irc;
    assert.deepEqual(irc.accounts.default, { dmPolicy: "pairing" });
    assert.equal(irc.dmPolicy, undefined);
    assert.equal(irc.nick, "claw");
    assert.deepEqual(Object.keys(irc.accounts).sort(), ["default", "work-two"]);
    assert.equal(irc.accounts["work-two"].nick, "claw2");
    assert.equal(irc.accounts["work-two"].dmPolicy, undefined);

    // WhatsApp: the QR shows, and the wait ends linked.
    await page.click("tr[data-channel=whatsapp] button:text('Link (QR)')");
    await until(async () => (await page.getAttribute("#ch-qr-img", "src")) === qr, "the QR image");
    await waitText("#ch-qr-msg", "Linked!");
    assert.deepEqual(loginCalls, ["web.login.start", "web.login.wait"]);
    // What the page sent passes the protocol's own schemas, so the real gateway takes it too.
    const validators = new ProtocolValidators();
    for (const { method, params } of loginParams) {
      const name = method === "web.login.start" ? "validateWebLoginStartParams" : "validateWebLoginWaitParams";
      assert.equal(
        (await validators.check(name, params)).ok,
        true,
        `${method} ${JSON.stringify(params).slice(0, 200)}`,
      );
    }
    assert.equal((loginParams[1]?.params as { currentQrDataUrl?: string }).currentQrDataUrl, qr);
    await page.screenshot({ path: `${SCREENSHOT_DIR}/channels_edit.png`, fullPage: true });
  } finally {
    await stop();
    await proc.stop();
    await telegram.stop();
    await home.cleanup();
  }
});
