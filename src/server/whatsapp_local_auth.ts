// The local side of `openclaw channels login|logout` for WhatsApp, as the reference runs it in the
// CLI process: link the device by QR on the account's credentials directory, or clear them. The
// CLI (src/cli/commands/channels_login.ts) talks to the gateway around it.

import { sectionAccounts } from "../channels/accounts.ts";
import type { EnvSnapshot } from "../config/paths.ts";
import type { ChannelsSection } from "../config/resolve.ts";
import { messageOf } from "../log/error_text.ts";

/** Channels that link a device here (the others sign in with tokens in the config). */
const AUTH_CHANNELS = ["whatsapp"];
const KNOWN_CHANNELS = ["irc", "telegram", "discord", "slack", "whatsapp"];

/** Where the local login writes what it has to say. */
export interface AuthOutput {
  line(text: string): void;
  error(text: string): void;
  /** Whether stdout is a terminal (a refreshed QR clears the screen first). */
  terminal: boolean;
}

/** The channel and account a login or logout is for, or the reference's refusal (thrown). */
export function resolveAuthTarget(
  requested: { channel?: string | undefined; account?: string | undefined },
  channels: ChannelsSection,
  mode: "login" | "logout",
): { channel: string; accountId: string } {
  let channel = requested.channel?.trim().toLowerCase();
  if (!channel) {
    const configured = AUTH_CHANNELS.filter((id) => {
      const section: unknown = Reflect.get(channels, id);
      return !!section && typeof section === "object" && Reflect.get(section, "enabled") !== false;
    });
    if (configured.length === 0) {
      throw new Error(
        `No configured channel supports ${mode}. Run openclaw channels status to inspect channels or openclaw channels add --channel <channel> to add one.`,
      );
    }
    channel = configured[0]!;
  }
  if (!KNOWN_CHANNELS.includes(channel)) {
    throw new Error(`Unsupported channel "${channel}". Run openclaw channels list to see available channels.`);
  }
  if (!AUTH_CHANNELS.includes(channel)) {
    throw new Error(
      `Channel "${channel}" does not support ${mode}. Run \`openclaw channels status --channel ${channel}\` to inspect supported actions.`,
    );
  }
  const section = channels.whatsapp;
  const entries = section ? sectionAccounts(section, (root) => typeof root.authDir === "string") : [];
  const fallback = typeof section?.defaultAccount === "string" ? section.defaultAccount.trim() : "";
  const accountId = requested.account?.trim() || fallback || entries[0]?.accountId || "default";
  return { channel, accountId };
}

/** The account's settings, resolved as the gateway resolves them. */
async function settingsOf(channels: ChannelsSection, accountId: string, env: EnvSnapshot, stateDir: string) {
  const section = channels.whatsapp;
  const entries = section ? sectionAccounts(section, (root) => typeof root.authDir === "string") : [];
  const settings = entries.find((entry) => entry.accountId === accountId)?.settings ?? {};
  const { whatsAppSettings } = await import("../channels/whatsapp/settings.ts");
  return whatsAppSettings({ accountId, settings }, { env, stateDir });
}

/** Links a WhatsApp device here: QR codes in the terminal until scanned; throws when it does not link. */
export async function whatsAppLocalLogin(
  params: { channels: ChannelsSection; accountId: string; env: EnvSnapshot; stateDir: string; out: AuthOutput },
): Promise<void> {
  const { out } = params;
  const settings = await settingsOf(params.channels, params.accountId, params.env, params.stateDir);
  const { followPairing, trackedSocket } = await import("../channels/whatsapp/pairing.ts");
  const { qrTerminal } = await import("../text/qr_terminal.ts");
  const { createBaileysSocket } = await import("../channels/whatsapp/socket_baileys.ts");
  let shown = 0;
  const onQr = (qr: string) => {
    const version = ++shown;
    qrTerminal(qr).then((drawn) => {
      if (version !== shown) return;
      const clear = version > 1 && out.terminal ? "\x1b[2J\x1b[H" : "";
      out.line(`${clear}Open the WhatsApp app, go to Linked Devices, then scan this QR:\n${drawn}`);
    }, (error) => out.error(`failed rendering WhatsApp QR: ${messageOf(error)}`));
  };
  const options = { authDir: settings.authDir, waWebSocketUrl: settings.waWebSocketUrl };
  const first = await trackedSocket(createBaileysSocket, options, onQr);
  out.line("Waiting for WhatsApp connection...");
  let socket = first.socket;
  const outcome = await followPairing({
    first,
    factory: createBaileysSocket,
    options,
    managed: settings.managedAuthDir,
    onQr,
    onSocket: (next) => socket = next,
    log: out.line,
  });
  // Closed a moment later, as the reference does, so the last credential writes finish.
  const closing = new Promise<void>((resolve) =>
    setTimeout(() => {
      (outcome.outcome === "connected" ? outcome.socket : socket).end(new Error("OpenClaw WhatsApp socket close"));
      resolve();
    }, 500)
  );
  await closing;
  if (outcome.outcome === "logged-out") {
    out.error(
      "WhatsApp reported the session is logged out. Cleared cached web session; please rerun openclaw channels login and scan the QR again.",
    );
    throw new Error("Session logged out; cache cleared. Re-run login.");
  }
  if (outcome.outcome === "failed") {
    out.error(`WhatsApp Web connection ended before fully opening. ${outcome.message}`);
    throw new Error(outcome.message);
  }
  out.line(
    outcome.restarted
      ? "✅ Linked after restart; web session ready."
      : "✅ Linked! Credentials saved for future sends.",
  );
}

/** Clears a WhatsApp account's credentials here (when the gateway could not); whether anything was removed. */
export async function whatsAppLocalLogout(
  params: { channels: ChannelsSection; accountId: string; env: EnvSnapshot; stateDir: string; out: AuthOutput },
): Promise<boolean> {
  const settings = await settingsOf(params.channels, params.accountId, params.env, params.stateDir);
  const { clearAuthDir } = await import("../channels/whatsapp/auth_dir.ts");
  const cleared = await clearAuthDir(settings.authDir, settings.managedAuthDir);
  params.out.line(cleared ? "Cleared WhatsApp Web credentials." : "No WhatsApp Web session found; nothing to delete.");
  return cleared;
}
