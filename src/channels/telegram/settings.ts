import type { EnvSnapshot } from "../../config/paths.ts";
import { resolveSecretInput } from "../../config/resolve_auth.ts";
import { channelMediaMaxBytes } from "../../config/media_settings.ts";
import type { TelegramAccountConfig } from "../../config/resolve.ts";
import { type AccountEntry, DEFAULT_ACCOUNT_ID } from "../accounts.ts";
import { ChannelError } from "../errors.ts";

/** One Telegram account's settings, with defaults and the env fallback applied. */
export interface TelegramSettings {
  accountId: string;
  token: string;
  tokenSource: "config" | "file" | "env";
  apiRoot: string;
  webhook: { url: string; secret: string; path: string } | undefined;
  textChunkLimit: number;
  /** `mediaMaxMb` in bytes: the largest inbound file kept (default 100 MB, as the reference). */
  mediaMaxBytes: number;
}

const DEFAULT_API_ROOT = "https://api.telegram.org";
const DEFAULT_WEBHOOK_PATH = "/telegram-webhook";
/** The reference's Telegram `mediaMaxMb` default. */
const DEFAULT_MEDIA_MAX_BYTES = 100 * 1024 * 1024;
/** Telegram's own limit is 4096 characters per message. */
const DEFAULT_CHUNK_LIMIT = 4000;

function readTokenFile(path: string): string {
  // The reference rejects symlinks: a token file must be a regular file.
  if (!Deno.lstatSync(path).isFile) throw new Error(`${path} is not a regular file`);
  return Deno.readTextFileSync(path).trim();
}

/**
 * Resolves an account's settings. TELEGRAM_BOT_TOKEN fills only the default account, as in the
 * reference. `botToken`/`webhookSecret` may be `{source: "store"}` SecretRefs, read through `readStoreValue`. Throws a {@link ChannelError} naming the missing key.
 */
export function telegramSettings(
  account: AccountEntry<TelegramAccountConfig>,
  env: EnvSnapshot,
  readStoreValue?: ((name: string) => string | undefined) | undefined,
): TelegramSettings {
  const s = account.settings;
  const isDefault = account.accountId === DEFAULT_ACCOUNT_ID;
  const key = (name: string) =>
    isDefault ? `channels.telegram.${name}` : `channels.telegram.accounts.${account.accountId}.${name}`;
  const readSecretFile = readTokenFile;
  const configured = resolveSecretInput(s.botToken, { key: key("botToken"), env, readSecretFile, readStoreValue });
  const fromFile = typeof s.tokenFile === "string" ? readTokenFile(s.tokenFile) : undefined;
  const fromEnv = isDefault ? env.TELEGRAM_BOT_TOKEN : undefined;
  const token = configured ?? fromFile ?? fromEnv;
  if (!token) {
    throw new ChannelError(
      "invalid",
      `Telegram account ${account.accountId} has no bot token: set ${key("botToken")}${
        isDefault ? " or TELEGRAM_BOT_TOKEN" : ""
      }`,
    );
  }
  let webhook: TelegramSettings["webhook"];
  if (typeof s.webhookUrl === "string") {
    const secret = resolveSecretInput(s.webhookSecret, {
      key: key("webhookSecret"),
      env,
      readSecretFile,
      readStoreValue,
    });
    if (!secret) {
      throw new ChannelError(
        "invalid",
        `Telegram webhook mode needs a secret: set ${key("webhookSecret")} (Telegram echoes it in every update)`,
      );
    }
    webhook = { url: s.webhookUrl, secret, path: s.webhookPath ?? DEFAULT_WEBHOOK_PATH };
  }
  return {
    accountId: account.accountId,
    token,
    tokenSource: configured ? "config" : fromFile ? "file" : "env",
    apiRoot: (s.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, ""),
    webhook,
    textChunkLimit: Math.min(s.textChunkLimit ?? DEFAULT_CHUNK_LIMIT, 4096),
    mediaMaxBytes: channelMediaMaxBytes(s.mediaMaxMb, DEFAULT_MEDIA_MAX_BYTES),
  };
}
