// The gateway's DeliverReply (automation/deliver_reply.ts) over its channel manager and session
// store: cron announce, heartbeat targets and hook `deliver` all send through this one function.
import { createDeliverReply } from "../automation/deliver_reply.ts";
import type { DeliverReply } from "../automation/delivery.ts";
import type { ChannelManager } from "../channels/manager.ts";
import type { SessionStore } from "../sessions/store.ts";
import { splitMediaLines } from "../media/media_lines.ts";
import { ChannelError } from "../channels/errors.ts";
import { mediaFailureNotice } from "../channels/media_delivery.ts";

/** Builds the DeliverReply; `channels` is read per call because the manager is built after it. */
export function wireDeliverReply(from: {
  channels: () => ChannelManager | undefined;
  sessions: SessionStore;
}): DeliverReply {
  return createDeliverReply({
    lastRoute: (sessionKey, agentId) => from.sessions.lastRoute(sessionKey, agentId),
    defaultAccountOf: (channel) => from.channels()?.declaredSection(channel)?.defaultAccountId,
    send: async (request) => {
      const channels = from.channels();
      if (!channels) throw new Error("Cannot deliver: the gateway's channels are not running yet");
      // A reply's `MEDIA:` lines attach files, as in a chat's answer (the reference parses delivered replies too).
      const { text, media, voice } = splitMediaLines(request.text);
      const base = {
        to: request.to,
        channel: request.channel,
        accountId: request.accountId,
        idempotencyKey: request.idempotencyKey,
        sessionKey: request.sessionKey,
      };
      let sent;
      try {
        sent = await channels.send({
          ...base,
          message: text,
          ...(media.length > 0 ? { mediaUrls: media, agentId: request.agentId, asVoice: voice } : {}),
        });
      } catch (error) {
        if (media.length === 0 || !(error instanceof ChannelError) || error.kind !== "invalid") throw error;
        // A refused file does not cost the reply its text: sent with the reference's notice instead.
        const notices = media.map((reference, index) => mediaFailureNotice(reference, index, error.cause));
        sent = await channels.send({ ...base, message: [text, ...notices].filter(Boolean).join("\n") });
      }
      return { channel: sent.channel, to: sent.to, accountId: sent.accountId };
    },
  });
}
