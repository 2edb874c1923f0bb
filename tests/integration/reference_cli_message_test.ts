// The reference CLI's `openclaw message send` against our gateway: it calls `message.action`, which sends the text
// through the gateway's Telegram account and answers the reference's payload; an action no channel here has is
// refused in the reference's words, and nothing is sent for it.
import assert from "node:assert/strict";
import { requirePeer, runPeer } from "../support/peer.ts";
import { startReferenceCliGateway } from "../support/reference_cli_gateway.ts";
import { connectReference } from "../support/reference_client.ts";
import { until } from "../support/until.ts";

const TOKEN = "reference-cli-message-token-0123456789abcdef";
const BOT_TOKEN = "123:reference-cli-message";

Deno.test("the reference CLI's message send goes out through our gateway's Telegram account; react is refused", async () => {
  requirePeer();
  const gateway = await startReferenceCliGateway(TOKEN, {}, { telegramBotToken: BOT_TOKEN });
  const telegram = gateway.telegram!;
  const { where, env, port } = gateway;
  const session = await connectReference({ port, token: TOKEN, scopes: ["operator.read"] });
  type Status = { channelAccounts: Record<string, { running?: boolean }[]> };
  try {
    await until(
      async () =>
        (await session.request<Status>("channels.status", {})).channelAccounts.telegram?.[0]?.running === true,
      "Telegram running on our gateway",
    );
    const sent = await runPeer(
      ["message", "send", "--channel", "telegram", "--target", "4242", "--message", "hello from the CLI", "--json"],
      where,
      env,
    );
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    const out = JSON.parse(sent.stdout);
    assert.equal(out.action, "send");
    assert.equal(out.channel, "telegram");
    assert.equal(out.payload.ok, true);
    assert.equal(out.payload.chatId, "4242");
    assert.equal(typeof out.payload.messageId, "string");
    assert.equal(out.messageId, out.payload.messageId);
    await telegram.waitForSent((all) =>
      all.some((m) => String(m.chatId) === "4242" && m.text === "hello from the CLI")
    );

    const reacted = await runPeer(
      ["message", "react", "--channel", "telegram", "--target", "4242", "--message-id", "1", "--emoji", "👍", "--json"],
      where,
      env,
    );
    assert.notEqual(reacted.code, 0);
    assert.match(reacted.stdout + reacted.stderr, /Channel telegram does not support action react\./);
    assert.equal(telegram.sent.length, 1, "nothing sent for the refused action");
  } finally {
    session.stop();
    await gateway.stop();
  }
});
