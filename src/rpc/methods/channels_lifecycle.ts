// `channels.stop` / `channels.start`: stop one account (keeping its credentials and pairing) and
// start it again, as the reference's gateway answers them. `openclaw channels remove` calls
// `channels.stop` before it edits the config, so a removed account stops at once.
import type { ChannelManager } from "../../channels/manager.ts";
import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** Dependencies of the lifecycle methods. */
export interface ChannelsLifecycleDeps {
  channels: Pick<ChannelManager, "declaredSection" | "isRunning" | "stopAccount" | "startAccount">;
  /** Whether a channel id is one this gateway serves. */
  knownChannel(channel: string): boolean;
  /** Whether an account has the session it needs (a WhatsApp account's linked credentials); absent: always. */
  linked?(channel: string, accountId: string): Promise<boolean>;
}

function target(deps: ChannelsLifecycleDeps, method: string, params: { channel: string; accountId?: string }) {
  const channel = params.channel.trim().toLowerCase();
  if (!deps.knownChannel(channel)) throw new RpcError("INVALID_REQUEST", `invalid ${method} channel`);
  const section = deps.channels.declaredSection(channel);
  const accountId = params.accountId?.trim() || section?.defaultAccountId || "default";
  return { channel, accountId, section };
}

/** `channels.stop`, `channels.start` (operator.admin, as in the reference). */
export function channelsLifecycleMethods(deps: ChannelsLifecycleDeps): MethodTable {
  return {
    "channels.stop": validated("operator.admin", "validateChannelsStopParams", async ({ params }) => {
      const { channel, accountId } = target(deps, "channels.stop", params);
      await deps.channels.stopAccount(channel, accountId);
      return { channel, accountId, stopped: !deps.channels.isRunning(channel, accountId) };
    }),
    "channels.start": validated("operator.admin", "validateChannelsStartParams", async ({ params }) => {
      const { channel, accountId, section } = target(deps, "channels.start", params);
      const declared = section?.accounts.find((account) => account.accountId === accountId);
      // The reference's skip reasons: an account the config does not declare, one switched off, one not linked.
      const skipped = !declared
        ? "unconfigured"
        : section?.enabled === false || declared.settings.enabled === false
        ? "disabled"
        : deps.linked && !(await deps.linked(channel, accountId))
        ? "unlinked"
        : undefined;
      if (skipped) {
        return { channel, accountId, started: false, outcome: { status: "skipped", reason: skipped } };
      }
      await deps.channels.startAccount(channel, accountId);
      return {
        channel,
        accountId,
        started: deps.channels.isRunning(channel, accountId),
        outcome: { status: "handed-off" },
      };
    }),
  };
}
