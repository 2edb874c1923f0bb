// Delivered replies (cron announce, heartbeats, hooks) attach the files their `MEDIA:` lines name,
// from the replying agent's workspace; a refused file leaves the text with the reference's notice.
import assert from "node:assert/strict";
import { ChannelError } from "../../src/channels/errors.ts";
import type { ChannelManager, SendRequest } from "../../src/channels/manager.ts";
import { OutboundMediaError } from "../../src/media/outbound_refusal.ts";
import { SessionStore } from "../../src/sessions/store.ts";
import { wireDeliverReply } from "../../src/server/delivery_wiring.ts";

Deno.test("wireDeliverReply() sends a reply's MEDIA: files with its text, as the replying agent", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-deliver-media-" });
  const sessions = new SessionStore(stateDir);
  const requests: SendRequest[] = [];
  const channels = {
    declaredSection: () => undefined,
    send: (request: SendRequest) => {
      requests.push(request);
      if (request.mediaUrls?.includes("/etc/secret.png")) {
        const refusal = new OutboundMediaError("not-allowed", "Local media path is not under an allowed directory");
        return Promise.reject(new ChannelError("invalid", refusal.message, { cause: refusal }));
      }
      return Promise.resolve({
        runId: "r",
        messageId: "1",
        channel: "telegram",
        accountId: "default",
        to: "42",
        chunks: 1,
      });
    },
  } as unknown as ChannelManager;
  try {
    const deliver = wireDeliverReply({ channels: () => channels, sessions });
    const base = { target: { channel: "telegram", to: "42" }, agentId: "ops", sessionKey: "agent:ops:main" };
    assert.equal((await deliver({ ...base, text: "Daily chart\nMEDIA:./chart.png" })).status, "delivered");
    assert.deepEqual([requests[0]!.message, requests[0]!.mediaUrls, requests[0]!.agentId], [
      "Daily chart",
      ["./chart.png"],
      "ops",
    ]);
    assert.equal((await deliver({ ...base, text: "Report\nMEDIA:/etc/secret.png" })).status, "delivered");
    assert.deepEqual(requests.at(-1)!.message, "Report\n⚠️ secret.png: Delivery failed. Try sending this file again.");
    assert.equal(requests.at(-1)!.mediaUrls, undefined);
    // Every send carries the delivering session: its outcome is that session's message:sent.
    assert.deepEqual(new Set(requests.map((r) => r.sessionKey)), new Set(["agent:ops:main"]));
  } finally {
    await sessions.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
