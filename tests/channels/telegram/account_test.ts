// The Telegram account's side of the durable inbound queue: an update is confirmed to Telegram (the polling
// offset, the webhook's 200) only once the gateway stored it.
import assert from "node:assert/strict";
import type { AccountContext } from "../../../src/channels/catalog.ts";
import { createTelegramAccount } from "../../../src/channels/telegram/account.ts";
import type { AccountHost } from "../../../src/channels/types.ts";
import type { TelegramAccountConfig } from "../../../src/config/resolve.ts";
import { startFakeTelegram } from "../../support/fake_telegram.ts";
import { until } from "../../support/until.ts";

const TOKEN = "123456:TEST-bot-token";
const SECRET = "hook-secret-0123456789";

/** A host whose store of the next message waits until the test settles it. */
function slowHost() {
  let settle: ((stored: boolean) => void) | undefined;
  let webhook: ((request: Request) => Promise<Response>) | undefined;
  const host: AccountHost = {
    inbound: () =>
      new Promise<void>((resolve, reject) => settle = (ok) => ok ? resolve() : reject(new Error("closed"))),
    ready: () => {},
    mountWebhook: (_path, handler) => (webhook = handler, () => {}),
  };
  return { host, settle: (ok: boolean) => settle?.(ok), storing: () => settle !== undefined, webhook: () => webhook };
}

function account(settings: TelegramAccountConfig, host: AccountHost) {
  return createTelegramAccount({ accountId: "default", settings }, { env: {}, host } as AccountContext);
}

Deno.test("telegram: a stop while an update is being stored does not confirm it to Telegram", async () => {
  const telegram = startFakeTelegram(TOKEN);
  const slow = slowHost();
  const bot = account({ botToken: TOKEN, apiRoot: telegram.url }, slow.host);
  try {
    bot.start();
    const id = telegram.push(telegram.text(42, "hello"));
    await until(() => slow.storing(), "the store begun");
    // grammY's stop picks the offset it confirms at once; the store fails only after that.
    const stopping = bot.stop();
    slow.settle(false);
    await stopping;
    assert.ok(
      telegram.confirmedOffset <= id,
      `update ${id} not stored, yet confirmed (offset ${telegram.confirmedOffset})`,
    );
  } finally {
    await bot.stop();
    await telegram.stop();
  }
});

Deno.test("telegram webhook: an update whose store outlasts grammY's timeout is not answered 200", async () => {
  const telegram = startFakeTelegram(TOKEN);
  const slow = slowHost();
  const bot = account({
    botToken: TOKEN,
    apiRoot: telegram.url,
    webhookUrl: "https://bot.example.test/tg",
    webhookSecret: SECRET,
  }, slow.host);
  try {
    bot.start();
    await until(() => slow.webhook() !== undefined, "the webhook mounted");
    const response = await slow.webhook()!(
      new Request("http://127.0.0.1/tg", {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
        body: JSON.stringify({ "update_id": 5, ...telegram.text(42, "hi") }),
      }),
    );
    await response.body?.cancel();
    assert.equal(response.status, 500, "Telegram must send an update the gateway did not store again");
    assert.equal(response.headers.get("x-openclaw-delivery-accepted"), null);
  } finally {
    slow.settle(true);
    await bot.stop();
    await telegram.stop();
  }
});
