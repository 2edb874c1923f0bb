import type { MethodTable } from "../registry.ts";

/** Dependencies of `channels.status`. */
export interface ChannelsDeps {
  /** Per-channel status; empty until channel plugins exist. */
  channels(): Record<string, unknown>;
  eventLoop(): unknown;
}

/** `channels.status`: the reference's shape, reporting exactly the channels that run. */
export function channelsMethods(deps: ChannelsDeps): MethodTable {
  return {
    "channels.status": {
      scope: "operator.read",
      validator: "validateChannelsStatusParams",
      handler: () => {
        const channels = deps.channels();
        const order = Object.keys(channels);
        return {
          ts: Date.now(),
          channelOrder: order,
          channelLabels: Object.fromEntries(order.map((id) => [id, id])),
          channelDetailLabels: {},
          channelSystemImages: {},
          channelMeta: [],
          eventLoop: deps.eventLoop(),
          channels,
          channelAccounts: {},
          channelDefaultAccountId: {},
          statusIssues: [],
        };
      },
    },
  };
}
