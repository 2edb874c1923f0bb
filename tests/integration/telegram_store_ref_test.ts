// A Telegram bot token given as a `{source: "store"}` SecretRef (the reference accepts SecretRefs at
// channels.telegram.botToken): read from the team store when the channel starts, used against the Bot API,
// and named by `openclaw secrets audit` as a ref that resolves (no plaintext finding).
import assert from "node:assert/strict";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { freePort, runOpenclaw, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "tg-store-gateway-token-0123456789";
const BOT_TOKEN = "123456:STORE-bot-token";

Deno.test("telegram: a store-backed bot token is resolved at channel start and the bot answers", async () => {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    channels: {
      telegram: { botToken: { source: "store", provider: "default", id: "TELEGRAM_BOT_TOKEN" }, apiRoot: telegram.url },
    },
  });
  const env = { OPENCLAW_STATE_DIR: home.stateDir };
  try {
    await Deno.writeTextFile(`${home.home}/bot.txt`, BOT_TOKEN);
    const set = await runOpenclaw(
      ["secrets", "store", "set", "TELEGRAM_BOT_TOKEN", "--value-file", `${home.home}/bot.txt`],
      { home: home.home, env },
    );
    assert.equal(set.code, 0, set.stderr);
    const audit = await runOpenclaw(["secrets", "audit", "--json"], { home: home.home, env });
    const report = JSON.parse(audit.stdout);
    // Only the gateway's own plaintext token is reported; the bot token ref resolves.
    assert.deepEqual(
      [audit.code, report.resolution.refsChecked, report.findings.map((f: { jsonPath: string }) => f.jsonPath)],
      [0, 1, ["gateway.auth.token"]],
    );

    const { proc } = await startGateway({ home: home.home, port, env });
    try {
      // The fake Bot API answers only its own token: a pairing reply proves the store value was used.
      telegram.push(telegram.text(42, "hello"));
      const [reply] = await telegram.waitForSent((sent) => sent.length >= 1);
      assert.equal(reply!.chatId, 42);
      assert.match(reply!.text, /Pairing code:/);
    } finally {
      await proc.stop();
    }
  } finally {
    await telegram.stop();
    await home.cleanup();
  }
});
