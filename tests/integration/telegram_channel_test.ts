import assert from "node:assert/strict";
import { FAKE_LINES_ANSWER, type FakeUpstream, startFakeUpstream } from "../support/fake_upstream.ts";
import { FAKE_BOT, type FakeTelegram, startFakeTelegram } from "../support/fake_telegram.ts";
import {
  freePort,
  type OpenclawProcess,
  runOpenclaw,
  startGateway,
  type TempHome,
  tempHome,
} from "../support/spawn_gateway.ts";
import { until } from "../support/until.ts";

const TOKEN = "tg-gateway-token-0123456789ab";
const BOT_TOKEN = "123456:TEST-bot-token";
const GROUP = { id: -100777, type: "supergroup" as const };

const cli = (home: string, args: string[]) => runOpenclaw(args, { home });

function json(stdout: string) {
  return JSON.parse(stdout.slice(stdout.indexOf("{")));
}

/** A gateway with the fake Bot API and the fake model ("lines"), torn down after `body`. */
async function withTelegramGateway(
  telegramSettings: Record<string, unknown>,
  body: (
    ctx: { telegram: FakeTelegram; upstream: FakeUpstream; home: TempHome; port: number; proc: OpenclawProcess },
  ) => Promise<void>,
): Promise<void> {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const upstream = startFakeUpstream();
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    models: { providers: { fake: { baseUrl: upstream.url, api: "openai-completions", models: ["lines"] } } },
    agents: { defaults: { model: { primary: "fake/lines" } } },
    channels: { telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url, ...telegramSettings } },
  });
  const { proc } = await startGateway({ home: home.home, port });
  try {
    await body({ telegram, upstream, home, port, proc });
    // Nothing from the runtime on the gateway's console: grammy's Node build pulls in node-fetch,
    // whose URL code loads the deprecated `punycode` builtin and makes Deno print a warning.
    assert.deepEqual(proc.output.split("\n").filter((line) => /\(node:\d+\)|DeprecationWarning/.test(line)), []);
  } finally {
    await proc.stop();
    await telegram.stop();
    await upstream.stop();
    await home.cleanup();
  }
}

Deno.test("telegram: long polling through apiRoot, pairing, answers, group mentions, a bad token reported truthfully", async () => {
  await withTelegramGateway({
    groups: { [String(GROUP.id)]: { allowFrom: ["*"] } },
    accounts: { broken: { botToken: "999:wrong" } },
  }, async ({ telegram, upstream, home, proc }) => {
    // A DM from an unknown user: a pairing code, no agent run.
    telegram.push(telegram.text(42, "hello"));
    const [pairing] = await telegram.waitForSent((s) => s.length >= 1);
    assert.equal(pairing!.chatId, 42);
    assert.match(
      pairing!.text,
      /^OpenClaw: access not configured\.\n\nYour Telegram user id: 42\nPairing code:\n```\n[A-Z2-9]{8}\n```/,
    );
    const code = /```\n([A-Z2-9]{8})\n```/.exec(pairing!.text)![1]!;
    assert.equal(upstream.requests.length, 0);

    const approved = await cli(home.home, ["pairing", "approve", "telegram", code, "--notify"]);
    assert.equal(approved.code, 0, approved.stderr);
    await telegram.waitForSent((s) => s.some((m) => m.text.startsWith("✅ OpenClaw access approved.")));

    // Approved: the agent answers in the same chat (one paragraph, so one message).
    telegram.push(telegram.text(42, "what can you do?"));
    await telegram.waitForSent((s) => s.some((m) => m.text === FAKE_LINES_ANSWER && m.chatId === 42));

    // Groups: no mention → nothing; a mention of the bot's handle → an answer in the group.
    const before = telegram.sent.length;
    telegram.push(telegram.text(7, "just talking", GROUP));
    // The gateway's own word that it dropped the message, not a pause long enough on this machine.
    await proc.waitForLine(/telegram: drop group -100777 sender 7 \(missing-mention\)/);
    assert.equal(telegram.sent.length, before);
    telegram.push(telegram.text(7, `@${FAKE_BOT.username} help`, GROUP));
    await telegram.waitForSent((s) => s.some((m) => m.chatId === GROUP.id && m.text === FAKE_LINES_ANSWER));
    const asked = upstream.requests.at(-1) as { messages: { content: string }[] };
    assert.equal(asked.messages.at(-1)!.content, "user7: help");

    // `send` delivers to a chat id through the default account.
    const sentOut = await cli(home.home, [
      "message",
      "send",
      "--channel",
      "telegram",
      "--target",
      "42",
      "--message",
      "ping",
    ]);
    assert.equal(sentOut.code, 0, sentOut.stderr);
    assert.ok(telegram.sent.some((m) => m.chatId === 42 && m.text === "ping"));
    const badTarget = await cli(home.home, [
      "message",
      "send",
      "--channel",
      "telegram",
      "--target",
      "not a chat",
      "--message",
      "x",
    ]);
    assert.notEqual(badTarget.code, 0);
    assert.match(badTarget.stderr + badTarget.stdout, /not a Telegram chat id/);

    // Probe: the good account works, the one with a rejected token says so.
    const probed = await cli(home.home, ["channels", "status", "--probe", "--json"]);
    assert.equal(probed.code, 0, probed.stderr);
    interface Probed {
      accountId: string;
      connected: boolean;
      mode: string;
      lastError: string | null;
      bot?: { username: string };
      probe: { ok: boolean; error?: string };
      lastTransportActivityAt?: number | null;
      tokenSource?: string;
      tokenStatus?: string;
    }
    const accounts = json(probed.stdout).channelAccounts.telegram as Probed[];
    const good = accounts.find((a) => a.accountId === "default")!;
    const bad = accounts.find((a) => a.accountId === "broken")!;
    assert.equal(good.probe.ok, true);
    assert.equal(good.mode, "polling");
    assert.equal(good.bot?.username, FAKE_BOT.username);
    // The reference's transport clock (a successful long poll) and credential source, which its CLI shows.
    assert.equal(typeof good.lastTransportActivityAt, "number");
    assert.ok(good.lastTransportActivityAt! <= Date.now());
    assert.deepEqual([good.tokenSource, good.tokenStatus], ["config", "available"]);
    assert.equal(bad.lastTransportActivityAt, null, "a rejected token never polled");
    assert.equal(bad.probe.ok, false);
    assert.match(String(bad.probe.error), /401|Unauthorized/);
    assert.equal(bad.connected, false);
    assert.match(String(bad.lastError), /401|Unauthorized/);
    const text = await cli(home.home, ["channels", "status", "--probe"]);
    assert.match(
      text.stdout,
      /- Telegram default: .*connected, .*transport:\d+s ago, mode:polling, bot:@oc_test_bot, .*token:config, .*works/,
    );
    assert.match(text.stdout, /- Telegram broken: .*error:.*probe failed/);
  });
});

Deno.test("telegram: webhook mode on the gateway's port checks Telegram's secret header", async () => {
  await withTelegramGateway({
    dmPolicy: "allowlist",
    allowFrom: ["tg:42"],
    webhookUrl: `https://bot.example.test/telegram-webhook`,
    webhookSecret: "hook-secret-0123456789",
    // A second account on the same path must be refused, not silently take the first one's updates.
    accounts: { twin: { botToken: BOT_TOKEN } },
  }, async ({ telegram, upstream, port, home, proc }) => {
    await until(() => telegram.webhook !== undefined, "setWebhook at the fake Bot API");
    assert.deepEqual(telegram.webhook, {
      url: "https://bot.example.test/telegram-webhook",
      "secret_token": "hook-secret-0123456789",
    });
    const post = (secret: string | undefined, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/telegram-webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(secret ? { "x-telegram-bot-api-secret-token": secret } : {}),
        },
        body: JSON.stringify(body),
      });
    const forged = await post("wrong", { "update_id": 1, ...telegram.text(42, "forged") });
    assert.equal(forged.status, 401);
    await forged.body?.cancel();
    const missing = await post(undefined, { "update_id": 2, ...telegram.text(42, "forged") });
    assert.equal(missing.status, 401);
    await missing.body?.cancel();
    const real = await post("hook-secret-0123456789", { "update_id": 3, ...telegram.text(42, "hi via webhook") });
    assert.equal(real.status, 200);
    await real.body?.cancel();
    await telegram.waitForSent((s) => s.some((m) => m.chatId === 42 && m.text === FAKE_LINES_ANSWER));
    assert.equal(upstream.requests.length, 1, "only the authentic update reached the agent");
    const huge = await post("hook-secret-0123456789", { "update_id": 5, padding: "x".repeat(2 * 1024 * 1024) });
    assert.equal(huge.status, 413);
    await huge.body?.cancel();
    // A sender outside the allowlist is dropped silently (no pairing under allowlist).
    const stranger = await post("hook-secret-0123456789", { "update_id": 4, ...telegram.text(5, "let me in") });
    assert.equal(stranger.status, 200);
    await stranger.body?.cancel();
    await proc.waitForLine(/telegram: drop dm sender 5 \(dm-not-allowed \(policy=allowlist\)\)/);
    assert.equal(telegram.sent.filter((m) => m.chatId === 5).length, 0);
    const status = await cli(home.home, ["channels", "status", "--json"]);
    // Whichever account mounted first serves the path; the other says why it cannot.
    const accounts = json(status.stdout).channelAccounts.telegram as {
      accountId: string;
      connected: boolean;
      lastError: string | null;
    }[];
    const refused = accounts.filter((a) =>
      /webhook path \/telegram-webhook is already served for telegram\//.test(String(a.lastError))
    );
    assert.equal(refused.length, 1, JSON.stringify(accounts));
    assert.equal(refused[0]!.connected, false);
    assert.equal(accounts.filter((a) => a.connected).length, 1);
  });
});

Deno.test("channels status with the gateway down shows the configured channels from the config", async () => {
  const home = await tempHome({
    gateway: { mode: "local", port: freePort(), auth: { token: TOKEN } },
    channels: { telegram: { botToken: BOT_TOKEN }, irc: { enabled: false, host: "irc.example", nick: "x" } },
  });
  try {
    const text = await cli(home.home, ["channels", "status"]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /Gateway not reachable; showing config-only status\./);
    assert.match(text.stdout, /- IRC: disabled, configured, not running\n- Telegram: enabled, configured, not running/);
    const out = await cli(home.home, ["channels", "status", "--json"]);
    assert.deepEqual(json(out.stdout).channels.telegram, { configured: true, enabled: true, running: false });
  } finally {
    await home.cleanup();
  }
});
