// WhatsApp's QR login and logout in the gateway (`web.login.start|wait`, `channels.logout`): the
// account stops while a login owns its device and starts again once linked, as the reference's
// gateway does. The login code (and Baileys) loads on the first call, never at start.

import { sectionAccounts } from "../channels/accounts.ts";
import { CHANNEL_KINDS } from "../channels/catalog.ts";
import type { ChannelManager } from "../channels/manager.ts";
import type { WhatsAppSettings } from "../channels/whatsapp/settings.ts";
import type { WaSocketFactory } from "../channels/whatsapp/socket.ts";
import type { WhatsAppWebLogins } from "../channels/whatsapp/web_login.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ChannelsSection } from "../config/resolve.ts";
import { getLogger } from "../log/logger.ts";
import type { WebLoginDeps, WebLoginProvider } from "../rpc/methods/web_login.ts";

/** What the WhatsApp login provider needs from the gateway. */
export interface WhatsAppWiringDeps {
  channels:
    & Pick<ChannelManager, "declaredSection" | "isRunning" | "stopAccount" | "startAccount">
    & Partial<Pick<ChannelManager, "onStop">>;
  /** The `channels` section in force. */
  channelsConfig(): ChannelsSection;
  stateDir: string;
  env: EnvSnapshot;
  /** Replaces Baileys (tests). */
  factory?: WaSocketFactory | undefined;
}

/** WhatsApp's `loginWithQrStart` / `loginWithQrWait` / `logoutAccount`, for the web login methods. */
export function whatsAppLoginProvider(deps: WhatsAppWiringDeps): WebLoginProvider {
  let logins: Promise<WhatsAppWebLogins> | undefined;
  // A login's pairing socket ends with the gateway: an in-place restart must not leave it linking on the side,
  // nor a half-written credential file for the next start to read.
  deps.channels.onStop?.(async () => await (await logins)?.stop());
  const loginsOf = () =>
    logins ??= (async () => {
      const { WhatsAppWebLogins } = await import("../channels/whatsapp/web_login.ts");
      const { qrPngDataUrl } = await import("../channels/whatsapp/qr.ts");
      const factory = deps.factory ?? (await import("../channels/whatsapp/socket_baileys.ts")).createBaileysSocket;
      return new WhatsAppWebLogins({ factory, renderQr: qrPngDataUrl, log: getLogger("channels/whatsapp") });
    })();
  /** The account a request names (the section's default when none), with its settings as configured. */
  const accountOf = async (requested: string | undefined): Promise<WhatsAppSettings> => {
    const section = deps.channels.declaredSection("whatsapp");
    const accountId = requested?.trim() || section?.defaultAccountId || "default";
    const raw = deps.channelsConfig().whatsapp;
    const entries = raw ? sectionAccounts(raw, (root) => typeof root.authDir === "string") : [];
    const settings = entries.find((entry) => entry.accountId === accountId)?.settings ?? {};
    const { whatsAppSettings } = await import("../channels/whatsapp/settings.ts");
    return whatsAppSettings({ accountId, settings }, { env: deps.env, stateDir: deps.stateDir });
  };
  return {
    channel: "whatsapp",
    async start({ accountId, force, timeoutMs }) {
      const account = await accountOf(accountId);
      const wasRunning = deps.channels.isRunning("whatsapp", account.accountId);
      const stoppedBefore = force || !wasRunning;
      if (stoppedBefore) await deps.channels.stopAccount("whatsapp", account.accountId);
      const result = await (await loginsOf()).start(account, { force, timeoutMs, running: wasRunning });
      // A QR takes the device over from a running account.
      const stoppedAfter = !stoppedBefore && result.qrDataUrl !== undefined;
      if (stoppedAfter) await deps.channels.stopAccount("whatsapp", account.accountId);
      const stopped = stoppedBefore || stoppedAfter;
      if ((result.connected && stopped) || (wasRunning && stopped && !result.qrDataUrl)) {
        await deps.channels.startAccount("whatsapp", account.accountId);
      }
      return result;
    },
    async wait({ accountId, timeoutMs, currentQrDataUrl }) {
      const account = await accountOf(accountId);
      const result = await (await loginsOf()).wait(account.accountId, { timeoutMs, currentQrDataUrl });
      if (result.connected) await deps.channels.startAccount("whatsapp", account.accountId);
      return result;
    },
    async logout(accountId) {
      const account = await accountOf(accountId);
      await deps.channels.stopAccount("whatsapp", account.accountId);
      // A login in progress would write the credentials back (and link a device) after they are removed.
      await (await logins)?.cancel(account.accountId);
      const { clearAuthDir } = await import("../channels/whatsapp/auth_dir.ts");
      const cleared = await clearAuthDir(account.authDir, account.managedAuthDir);
      return { channel: "whatsapp", accountId: account.accountId, cleared, loggedOut: cleared };
    },
  };
}

/** The web login methods' dependencies: WhatsApp's provider, and the channel ids this gateway serves. */
export function webLoginWiring(deps: WhatsAppWiringDeps): WebLoginDeps {
  return {
    provider: whatsAppLoginProvider(deps),
    knownChannel: (channel) => CHANNEL_KINDS.some((kind) => kind.id === channel),
    configuredChannel: (channel) => deps.channels.declaredSection(channel) !== undefined,
  };
}

/** Whether an account has the session it needs to start: a WhatsApp account its linked credentials; others always. */
export function channelAccountLinked(
  deps: WhatsAppWiringDeps,
): (channel: string, accountId: string) => Promise<boolean> {
  return async (channel, accountId) => {
    if (channel !== "whatsapp") return true;
    const { whatsAppSettings } = await import("../channels/whatsapp/settings.ts");
    const { isLinked } = await import("../channels/whatsapp/auth_dir.ts");
    const raw = deps.channelsConfig().whatsapp;
    const entries = raw ? sectionAccounts(raw, (root) => typeof root.authDir === "string") : [];
    const settings = entries.find((entry) => entry.accountId === accountId)?.settings ?? {};
    return await isLinked(
      whatsAppSettings({ accountId, settings }, { env: deps.env, stateDir: deps.stateDir }).authDir,
    );
  };
}
