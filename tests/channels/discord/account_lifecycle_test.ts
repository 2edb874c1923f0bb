import { REST } from "@discordjs/rest";
import assert from "node:assert/strict";
import { createDiscordAccount } from "../../../src/channels/discord/account.ts";
import type { ChannelAccount } from "../../../src/channels/types.ts";
import { type FakeDiscord, startFakeDiscord } from "../../support/fake_discord.ts";
import { until } from "../../support/until.ts";

const TOKEN = "discord-test-token.abc.def";

function accountOn(discord: FakeDiscord): ChannelAccount {
  return createDiscordAccount({ accountId: "default", settings: { token: TOKEN } }, {
    env: { DISCORD_API_URL: discord.apiUrl },
    host: { inbound: () => Promise.resolve(), ready: () => {}, mountWebhook: () => () => {} },
  });
}

Deno.test("discord account: stop() while the bot user is being fetched opens no gateway connection afterwards", async () => {
  const discord = startFakeDiscord(TOKEN, { heartbeatIntervalMs: 200 });
  const release = discord.holdNext("/users/@me");
  const account = accountOn(discord);
  try {
    account.start();
    await until(() => discord.held() === 1, "the account asking for its bot user");
    const stopped = account.stop();
    release();
    await stopped;
    // Whatever the account still had in flight has run by now: nothing may connect after stop().
    assert.equal(discord.counts.identify, 0, JSON.stringify(discord.counts));
    assert.equal(discord.openSockets(), 0);
    assert.equal(account.status().running, false);
  } finally {
    await account.stop();
    await discord.stop();
  }
});

Deno.test("discord account: stop() while the gateway is being looked up ends the attempt and opens nothing", async () => {
  const discord = startFakeDiscord(TOKEN, { heartbeatIntervalMs: 200 });
  const release = discord.holdNext("/gateway/bot");
  const account = accountOn(discord);
  try {
    account.start();
    await until(() => discord.held() === 1, "the account asking for the gateway URL");
    const stopped = account.stop();
    release();
    await stopped;
    assert.equal(discord.counts.identify, 0, JSON.stringify(discord.counts));
    assert.equal(discord.openSockets(), 0);
  } finally {
    await account.stop();
    await discord.stop();
  }
});

Deno.test("discord account: a fatal gateway close (4014, disallowed intents) stops the account instead of re-identifying", async () => {
  const discord = startFakeDiscord(TOKEN, { closeIdentifyWith: 4014 });
  const account = accountOn(discord);
  try {
    account.start();
    // The loop ends (running turns false) rather than waiting for a retry.
    await until(() => account.status().running === false, "the account to give up");
    assert.equal(discord.counts.identify, 1);
    assert.match(
      String(account.status().lastError),
      /gateway closed with code 4014 \(missing privileged gateway intents\)/,
    );
    assert.equal(account.status().connected, false);
  } finally {
    await account.stop();
    await discord.stop();
  }
});

Deno.test("discord account: stop() clears the REST client's sweep intervals", async () => {
  const cleared: string[] = [];
  const proto = REST.prototype;
  const { clearHashSweeper, clearHandlerSweeper } = proto;
  proto.clearHashSweeper = function () {
    cleared.push("hash");
    return clearHashSweeper.call(this);
  };
  proto.clearHandlerSweeper = function () {
    cleared.push("handler");
    return clearHandlerSweeper.call(this);
  };
  try {
    const discord = startFakeDiscord(TOKEN);
    const account = accountOn(discord);
    await account.stop();
    await discord.stop();
    assert.deepEqual(cleared.sort(), ["handler", "hash"]);
  } finally {
    proto.clearHashSweeper = clearHashSweeper;
    proto.clearHandlerSweeper = clearHandlerSweeper;
  }
});

Deno.test("discord account: stop() on a live connection closes the gateway socket", async () => {
  const discord = startFakeDiscord(TOKEN, { heartbeatIntervalMs: 100 });
  const account = accountOn(discord);
  try {
    account.start();
    await until(() => account.status().connected, "the account connected");
    assert.equal(discord.openSockets(), 1);
    await account.stop();
    await until(() => discord.openSockets() === 0, "the socket closed");
    assert.equal(account.status().running, false);
    // A heartbeat interval left running would fail this test through Deno's op sanitizer.
  } finally {
    await account.stop();
    await discord.stop();
  }
});
