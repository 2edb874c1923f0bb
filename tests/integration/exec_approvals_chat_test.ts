// Approving from a chat through the real program: a Telegram DM sender answers a pending exec
// approval of that chat with `/approve <id> allow-once` (the reference's reply), while a sender of
// another chat cannot answer it.
import assert from "node:assert/strict";
import { startFakeTelegram } from "../support/fake_telegram.ts";
import { connectReference, type ReferenceSession } from "../support/reference_client.ts";
import { freePort, startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "approve-chat-token-0123456789abcdef";
const BOT_TOKEN = "123456:TEST-bot-token";

Deno.test("telegram: /approve <id> allow-once answers the approval asked in that chat, not another chat's", async () => {
  const telegram = startFakeTelegram(BOT_TOKEN);
  const port = freePort();
  const home = await tempHome({
    gateway: { mode: "local", port, auth: { token: TOKEN } },
    channels: {
      telegram: { botToken: BOT_TOKEN, apiRoot: telegram.url, dmPolicy: "allowlist", allowFrom: ["tg:42", "tg:43"] },
    },
  });
  const { proc } = await startGateway({ home: home.home, port });
  const sessions: ReferenceSession[] = [];
  try {
    // An operator client keeps asks pending; the requester files one naming Telegram chat 42 as its source.
    sessions.push(
      await connectReference({ port, token: TOKEN, scopes: ["operator.approvals"], caps: ["exec-approvals"] }),
    );
    const requester = await connectReference({ port, token: TOKEN, scopes: ["operator.approvals"] });
    sessions.push(requester);
    const accepted = Promise.withResolvers<{ id: string }>();
    const final = requester.request<{ decision: string | null }>(
      "exec.approval.request",
      {
        command: "ls -la",
        cwd: "/srv",
        host: "gateway",
        agentId: "main",
        sessionKey: "agent:main:telegram:direct:42",
        turnSourceChannel: "telegram",
        turnSourceTo: "42",
        twoPhase: true,
      },
      { expectFinal: true, timeoutMs: 30_000, onAccepted: (p) => accepted.resolve(p as { id: string }) },
    );
    final.catch(() => {});
    const { id } = await accepted.promise;

    // User 43 (another chat) cannot answer it: the id reads as unknown there.
    telegram.push(telegram.text(43, `/approve ${id} allow-once`));
    const [refused] = await telegram.waitForSent((sent) => sent.some((m) => m.chatId === 43));
    assert.equal(refused!.text, "❌ Failed to submit approval: unknown or expired approval id");

    telegram.push(telegram.text(42, `/approve ${id} allow-once`));
    const sent = await telegram.waitForSent((all) => all.some((m) => m.chatId === 42));
    assert.equal(sent.find((m) => m.chatId === 42)!.text, `✅ Approval allow-once submitted for ${id}.`);
    assert.equal((await final).decision, "allow-once");
    const history = await requester.request<{ items: { id: string; resolver?: { kind: string; id?: string } }[] }>(
      "approval.history",
      {},
    );
    assert.deepEqual(history.items[0]!.resolver, { kind: "channel", id: "telegram:42" });
  } finally {
    for (const session of sessions) session.stop();
    await proc.stop();
    await telegram.stop();
    await home.cleanup();
  }
});
