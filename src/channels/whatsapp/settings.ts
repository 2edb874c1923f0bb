// One WhatsApp account's settings, with the reference's defaults applied.

import type { EnvSnapshot } from "../../config/paths.ts";
import type { WhatsAppAccountConfig } from "../../config/resolve.ts";
import type { AccountEntry } from "../accounts.ts";
import { resolveAuthDir } from "../../config/account_dirs.ts";

/** The reference's WhatsApp text chunk limit. */
const DEFAULT_TEXT_CHUNK_LIMIT = 4000;
/** The reference's default largest inbound file (`mediaMaxMb`). */
const DEFAULT_MEDIA_MAX_MB = 50;

/** What a running WhatsApp account reads from its settings. */
export interface WhatsAppSettings {
  accountId: string;
  /** Where the linked-device credentials live. */
  authDir: string;
  /** True when `authDir` is the reference's default (logout may remove the whole directory). */
  managedAuthDir: boolean;
  textChunkLimit: number;
  mediaMaxBytes: number;
  /** `mentionPatterns`, compiled (case-insensitive); an invalid pattern is skipped. */
  mentionPatterns: RegExp[];
  sendReadReceipts: boolean;
  /** `OPENCLAW_WHATSAPP_WEB_SOCKET_URL`: another WhatsApp Web endpoint, as the reference allows. */
  waWebSocketUrl: string | undefined;
}

/** Compiles mention patterns as the reference does (case-insensitive), skipping those that do not compile. */
function compilePatterns(patterns: readonly string[] | undefined): RegExp[] {
  const compiled: RegExp[] = [];
  for (const pattern of patterns ?? []) {
    try {
      compiled.push(new RegExp(pattern, "i"));
    } catch {
      // The reference ignores a pattern it cannot compile.
    }
  }
  return compiled;
}

/** The settings of one declared account. */
export function whatsAppSettings(
  account: AccountEntry<WhatsAppAccountConfig>,
  context: { env: EnvSnapshot; stateDir: string },
): WhatsAppSettings {
  const s = account.settings;
  const configured = s.authDir?.trim();
  const mediaMaxMb = typeof s.mediaMaxMb === "number" && s.mediaMaxMb > 0 ? s.mediaMaxMb : DEFAULT_MEDIA_MAX_MB;
  const url = context.env.OPENCLAW_WHATSAPP_WEB_SOCKET_URL?.trim();
  return {
    accountId: account.accountId,
    authDir: resolveAuthDir({
      stateDir: context.stateDir,
      env: context.env,
      accountId: account.accountId,
      authDir: s.authDir,
    }),
    managedAuthDir: !configured,
    textChunkLimit: s.textChunkLimit ?? DEFAULT_TEXT_CHUNK_LIMIT,
    mediaMaxBytes: Math.floor(mediaMaxMb * 1024 * 1024),
    mentionPatterns: compilePatterns(s.mentionPatterns),
    sendReadReceipts: s.sendReadReceipts ?? true,
    waWebSocketUrl: url || undefined,
  };
}
