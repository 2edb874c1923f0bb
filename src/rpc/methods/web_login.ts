// `web.login.start` / `web.login.wait` (the QR login the Control UI shows) and `channels.logout`,
// as the reference's gateway answers them: the channel's own login provider does the work (only
// WhatsApp has one here), these methods pick it and stop or start the account around it.

import { RpcError } from "../errors.ts";
import { type MethodTable, validated } from "../registry.ts";

/** What a channel's QR login does (WhatsApp's, in src/server/whatsapp_wiring.ts). */
export interface WebLoginProvider {
  /** The channel id it serves (`whatsapp`). */
  channel: string;
  /** `loginWithQrStart`: the first QR, or why there is none. */
  start(params: { accountId?: string | undefined; force: boolean; timeoutMs?: number | undefined }): Promise<unknown>;
  /** `loginWithQrWait`: the outcome, a newer QR, or still waiting. */
  wait(
    params: { accountId?: string | undefined; timeoutMs?: number | undefined; currentQrDataUrl?: string | undefined },
  ): Promise<unknown>;
  /** `logoutAccount`: stops the account and removes its credentials. */
  logout(accountId: string | undefined): Promise<Record<string, unknown>>;
}

/** Dependencies of the web login methods. */
export interface WebLoginDeps {
  provider: WebLoginProvider;
  /** Whether a channel id is one this gateway serves. */
  knownChannel(channel: string): boolean;
  /** Whether the config declares that channel (a loaded provider, in the reference's words). */
  configuredChannel(channel: string): boolean;
}

/** The provider a request names (or the only one), or the reference's refusal. */
function providerFor(deps: WebLoginDeps, channel: string | undefined): WebLoginProvider {
  const id = channel?.trim().toLowerCase();
  if (id === undefined || id === deps.provider.channel) return deps.provider;
  if (deps.configuredChannel(id)) throw new RpcError("INVALID_REQUEST", `web login is not supported by provider ${id}`);
  throw new RpcError("INVALID_REQUEST", "web login provider is not available");
}

/** `web.login.start`, `web.login.wait`, `channels.logout`, `channels.start`. */
export function webLoginMethods(deps: WebLoginDeps): MethodTable {
  return {
    "web.login.start": validated("operator.admin", "validateWebLoginStartParams", async ({ params }) => {
      const provider = providerFor(deps, params.channel);
      return await provider.start({
        accountId: params.accountId,
        force: params.force === true,
        timeoutMs: params.timeoutMs,
      });
    }),
    "web.login.wait": validated("operator.admin", "validateWebLoginWaitParams", async ({ params }) => {
      const provider = providerFor(deps, params.channel);
      return await provider.wait({
        accountId: params.accountId,
        timeoutMs: params.timeoutMs,
        currentQrDataUrl: params.currentQrDataUrl,
      });
    }),
    "channels.logout": validated("operator.admin", "validateChannelsLogoutParams", async ({ params }) => {
      const id = params.channel.trim().toLowerCase();
      if (!deps.knownChannel(id)) throw new RpcError("INVALID_REQUEST", "invalid channels.logout channel");
      if (id !== deps.provider.channel) throw new RpcError("INVALID_REQUEST", `channel ${id} does not support logout`);
      return await deps.provider.logout(params.accountId);
    }),
  };
}
