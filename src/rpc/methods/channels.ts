import type { ChannelManager } from "../../channels/manager.ts";
import type { SendRequest } from "../../channels/outbound.ts";
import { PAIRING_MAX_PENDING, PAIRING_TTL_MS } from "../../state/pairing_store.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";
import { requireSomethingToSend, sendOutbound } from "./outbound_send.ts";

/** Dependencies of the channel methods. */
export interface ChannelsDeps {
  channels: ChannelManager;
  eventLoop(): unknown;
}

/** `channels.status`, `send` and the DM pairing methods (`channels.pairing.list|approve|dismiss`). */
export function channelsMethods(deps: ChannelsDeps): MethodTable {
  const labelOf = (channel: string) => deps.channels.summary(channel).channelLabels[channel] ?? channel;
  return {
    "channels.status": validated("operator.read", "validateChannelsStatusParams", async ({ params }) => {
      const p = params;
      const summary = await deps.channels.status({
        probe: p.probe ?? false,
        timeoutMs: Math.min(Math.max(p.timeoutMs ?? 10_000, 100), 60_000),
        channel: p.channel,
      });
      return {
        ts: Date.now(),
        ...summary,
        channelDetailLabels: {},
        channelSystemImages: {},
        channelMeta: summary.channelOrder.map((id) => ({
          id,
          label: summary.channelLabels[id]!,
          detailLabel: summary.channelLabels[id]!,
        })),
        eventLoop: deps.eventLoop(),
        statusIssues: [],
      };
    }),
    send: validated("operator.write", "validateSendParams", ({ params }) => {
      const p = params;
      const message = p.message?.trim() ? p.message : "";
      const mediaUrls = [p.mediaUrl, ...p.mediaUrls ?? []].map((url) => url?.trim()).filter((url): url is string =>
        Boolean(url)
      );
      const request: SendRequest = {
        to: p.to,
        message,
        channel: p.channel,
        accountId: p.accountId,
        idempotencyKey: p.idempotencyKey,
        // Local files only from the agent's workspace and the media store, as the reference's `send` allows.
        ...(mediaUrls.length ? { mediaUrls: [...new Set(mediaUrls)] } : {}),
        ...(p.buffer ? { buffer: { data: p.buffer, fileName: p.filename, mimeType: p.contentType } } : {}),
        ...(p.agentId ? { agentId: p.agentId } : {}),
        ...(p.asVoice === true ? { asVoice: true } : {}),
        // A Telegram forum topic, a Slack thread (what mcp serve's messages_send forwards from the conversation).
        ...(p.threadId ? { threadId: p.threadId } : {}),
        // The session the send is for: its outcome is that session's `message:sent` hook event.
        ...(p.sessionKey ? { sessionKey: p.sessionKey } : {}),
      };
      requireSomethingToSend(request);
      return sendOutbound((r) => deps.channels.send(r), request);
    }),
    "channels.pairing.list": validated("operator.admin", "validateChannelsPairingListParams", async ({ params }) => {
      const p = params;
      const summary = deps.channels.summary(p.channel);
      const accounts = summary.channelOrder.flatMap((channel) =>
        (summary.channelAccounts[channel] ?? [])
          .filter((a) => a.dmPolicy === "pairing" && (!p.accountId || a.accountId === p.accountId))
          .map((a) => ({ channel, channelLabel: labelOf(channel), accountId: a.accountId, notifySupported: true }))
      );
      const requests = [];
      for (const account of accounts) {
        for (const r of await deps.channels.pairing.list(account.channel, account.accountId)) {
          requests.push({
            requestId: r.code,
            channel: account.channel,
            channelLabel: account.channelLabel,
            accountId: r.accountId,
            senderId: r.id,
            senderLabel: r.meta.name ?? r.id,
            metadata: r.meta,
            createdAt: Date.parse(r.createdAt),
            lastSeenAt: Date.parse(r.lastSeenAt),
            expiresAt: Date.parse(r.createdAt) + PAIRING_TTL_MS,
            notifySupported: true,
          });
        }
      }
      return {
        accounts,
        requests,
        commandOwnerConfigured: false,
        limits: { pendingPerAccount: PAIRING_MAX_PENDING, ttlMs: PAIRING_TTL_MS },
      };
    }),
    "channels.pairing.approve": validated(
      "operator.admin",
      "validateChannelsPairingApproveParams",
      async ({ params }) => {
        const p = params;
        const approved = await deps.channels.pairing.approve(p.channel, p.requestId, p.accountId);
        if (!approved) {
          throw new RpcError(
            "INVALID_REQUEST",
            `No pending pairing request ${p.requestId} on ${p.channel} account ${p.accountId} (expired or already handled)`,
          );
        }
        let notification = "not-requested";
        if (p.notify) {
          notification = await deps.channels.notifyApproved(p.channel, approved).then(() => "sent", () => "failed");
        }
        return { requestId: p.requestId, senderId: approved.id, notification, commandOwnerBootstrap: "not-requested" };
      },
    ),
    "channels.pairing.dismiss": validated(
      "operator.admin",
      "validateChannelsPairingDismissParams",
      async ({ params }) => {
        const p = params;
        const dismissed = await deps.channels.pairing.dismiss(p.channel, p.accountId, p.requestId);
        if (!dismissed) throw new RpcError("INVALID_REQUEST", `No pending pairing request ${p.requestId} to dismiss`);
        return { requestId: p.requestId, senderId: dismissed.id };
      },
    ),
  };
}
