// The gateway's DeliverReply (automation/deliver_reply.ts) over its channel manager and session
// store: cron announce, heartbeat targets and hook `deliver` all send through this one function.
import { createDeliverReply } from "../automation/deliver_reply.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import type { ChannelManager } from "../channels/manager.ts";
import type { SessionStore } from "../sessions/store.ts";

/** Builds the DeliverReply; `channels` is read per call because the manager is built after it. */
export function wireDeliverReply(from: {
  channels: () => ChannelManager | undefined;
  sessions: SessionStore;
}): DeliverReply {
  return createDeliverReply({
    lastRoute: (sessionKey, agentId) => from.sessions.lastRoute(sessionKey, agentId),
    send: async (request) => {
      const channels = from.channels();
      if (!channels) throw new Error("Cannot deliver: the gateway's channels are not running yet");
      const sent = await channels.send({
        to: request.to,
        message: request.text,
        channel: request.channel,
        accountId: request.accountId,
        idempotencyKey: request.idempotencyKey,
      });
      return { channel: sent.channel, to: sent.to, accountId: sent.accountId };
    },
  });
}
