// Where an `agent` request with `deliver: true` sends its finished reply, decided as the reference decides it: an
// explicit target (`replyTo` over `to`, `replyChannel` over `channel`), else the session's own route, else the one
// configured channel, which then still needs a target. A plan that cannot be made refuses the request before its run,
// unless `bestEffortDeliver` asks to run anyway and report the failure in `deliveryStatus`; a send that fails after a
// strict run fails the request. Pure but for `deliverPlanned`, which sends.
import { channelLabel, chatChannelId } from "../../config/chat_channels.ts";
import { RpcError } from "../errors.ts";
import { qualifiedSessionKey } from "../../sessions/session_key.ts";

/** The delivery fields of an `agent` request. */
export interface DeliveryParams {
  to?: string;
  replyTo?: string;
  channel?: string;
  replyChannel?: string;
  accountId?: string;
  replyAccountId?: string;
  bestEffortDeliver?: boolean;
}

/** Where a session's replies last went. */
export interface DeliveryRoute {
  channel: string;
  to: string;
  accountId?: string | undefined;
}

/** Where the reply goes, or why it cannot go anywhere (the reference's reason and words). */
export type DeliveryPlan =
  | { kind: "send"; channel?: string | undefined; to: string; accountId?: string | undefined }
  | { kind: "refused"; reason: "channel_resolved_to_internal" | "invalid_delivery_target"; message: string };

/** Channels that are the gateway's own, never a delivery target (the reference's internal ones). */
const INTERNAL_CHANNELS = new Set(["webchat", "heartbeat", "cron", "webhook", "voice", "sessions_send"]);

/** What a channel's missing target is hinted with, as the reference's channel plugins word it. */
const TARGET_HINTS: Readonly<Record<string, string>> = { telegram: "<chatId>" };

/** A channel as named in a request: lowercased, its alias resolved (`teams` is `msteams`). */
function normalizedChannel(raw: string | undefined): string | undefined {
  const value = raw?.trim().toLowerCase();
  if (!value) return undefined;
  return chatChannelId(value) ?? value;
}

/**
 * Refuses a request naming a channel no gateway knows (`channel` or `replyChannel`), with or without `deliver`, in the
 * reference's words: `last` and the internal channels are known too.
 */
export function refuseUnknownChannel(params: DeliveryParams): void {
  for (const raw of [params.channel, params.replyChannel]) {
    const channel = normalizedChannel(raw);
    if (!channel || channel === "last" || INTERNAL_CHANNELS.has(channel) || chatChannelId(channel)) continue;
    throw new RpcError("INVALID_REQUEST", `invalid agent params: unknown channel: ${channel}`);
  }
}

/** The reference's words for a delivery to one of the gateway's own channels. */
const INTERNAL_MESSAGE =
  "delivery channel is required: pass --channel/--reply-channel or use a main session with a previous channel";

/**
 * Whether a delivery that cannot go anywhere still runs and reports (`bestEffortDeliver`): as asked, else yes on the
 * agent's main session (and `global`), as the reference defaults it.
 */
export function bestEffortOf(params: DeliveryParams, target: { agentId: string; sessionKey: string }): boolean {
  if (typeof params.bestEffortDeliver === "boolean") return params.bestEffortDeliver;
  const key = qualifiedSessionKey(target.sessionKey, target.agentId);
  return key === "global" || key === `agent:${target.agentId}:main`;
}

/** The reference's words when no channel can be chosen for a delivery. */
function noChannelMessage(configured: readonly string[]): string {
  if (configured.length === 0) {
    return "Channel is required (no configured channels detected). Run openclaw channels add to configure one, or " +
      "pass --channel <channel> after enabling a channel. Use openclaw channels list --all to see available channel ids.";
  }
  return `Channel is required when multiple channels are configured: ${configured.join(", ")}. ` +
    "Pass --channel <channel> to choose one.";
}

/** Where `params`' reply goes, given the session's route and the channels configured (in config order). */
export function planDelivery(
  params: DeliveryParams,
  route: DeliveryRoute | undefined,
  configured: readonly string[],
): DeliveryPlan {
  const asked = normalizedChannel(params.replyChannel) ?? normalizedChannel(params.channel);
  const explicit = params.replyTo?.trim() || params.to?.trim();
  const account = params.replyAccountId?.trim() || params.accountId?.trim();
  // `last` and `webchat` name no channel: the route, else the one configured channel, serves.
  const wanted = asked === "last" || asked === "webchat" ? undefined : asked;
  // The session's route serves when the request names no other channel.
  const routed = route && (!wanted || wanted === route.channel) ? route : undefined;
  const channel = wanted ?? routed?.channel ?? (configured.length === 1 ? configured[0] : undefined);
  if (channel && INTERNAL_CHANNELS.has(channel)) {
    return { kind: "refused", reason: "channel_resolved_to_internal", message: INTERNAL_MESSAGE };
  }
  if (explicit && channel) return { kind: "send", channel, to: explicit, accountId: account };
  if (routed) return { kind: "send", channel: routed.channel, to: routed.to, accountId: account ?? routed.accountId };
  if (!channel) {
    return { kind: "refused", reason: "channel_resolved_to_internal", message: noChannelMessage(configured) };
  }
  const hint = TARGET_HINTS[channel];
  return {
    kind: "refused",
    reason: "invalid_delivery_target",
    message: `Delivering to ${channelLabel(channel)} requires target${hint ? ` ${hint}` : ""}`,
  };
}

/** Refuses a strict delivery that cannot be planned, before its run (`bestEffortDeliver` runs and reports instead). */
export function refuseUnplannable(plan: DeliveryPlan, params: DeliveryParams): void {
  if (plan.kind === "refused" && params.bestEffortDeliver !== true) throw new RpcError("INVALID_REQUEST", plan.message);
}

/** Sends a reply to a channel target. */
export type DeliverFn = (
  target: { channel?: string; to: string; accountId?: string },
  text: string,
) => Promise<unknown>;

/**
 * Sends a run's reply as planned and reports it as the reference's `deliveryStatus`; a failed send of a strict
 * delivery fails the request (after its run, as the reference's does).
 */
export async function deliverPlanned(
  deliver: DeliverFn | undefined,
  plan: DeliveryPlan,
  params: DeliveryParams,
  text: string,
): Promise<Record<string, unknown>> {
  if (plan.kind === "refused" || !deliver) {
    const reason = plan.kind === "refused" ? plan.reason : "no_delivery_target";
    return { requested: true, attempted: false, status: "failed", succeeded: false, error: true, reason };
  }
  if (!text.trim()) {
    return { requested: true, attempted: false, status: "suppressed", succeeded: false, reason: "no_visible_result" };
  }
  const { channel, to, accountId } = plan;
  try {
    await deliver({ to, ...(channel ? { channel } : {}), ...(accountId ? { accountId } : {}) }, text);
  } catch (error) {
    const errorMessage = error instanceof Error ? error.message : String(error);
    if (params.bestEffortDeliver !== true) throw new RpcError("UNAVAILABLE", errorMessage);
    return { requested: true, attempted: true, status: "failed", succeeded: false, error: true, errorMessage };
  }
  const payloadOutcomes = [{ index: 0, status: "sent", resultCount: 1 }];
  return { requested: true, attempted: true, status: "sent", succeeded: true, resultCount: 1, payloadOutcomes };
}

/**
 * The reference's `deliverySucceeded` beside a delivery's status: true once sent, false when the delivery failed
 * (before or while sending); absent when there was nothing visible to send.
 */
export function deliverySucceededOf(status: Record<string, unknown>): { deliverySucceeded?: boolean } {
  if (status.status === "suppressed") return {};
  return { deliverySucceeded: status.status === "sent" };
}
