import { resolveSecretInput } from "../../config/resolve_auth.ts";
import type { EnvSnapshot } from "../../config/paths.ts";
import type { IrcAccountConfig, SecretInput } from "../../config/resolve.ts";
import { type AccountEntry, DEFAULT_ACCOUNT_ID } from "../accounts.ts";
import { ChannelError } from "../errors.ts";

/** One IRC account's connection settings, with the reference's defaults and env fallbacks applied. */
export interface IrcSettings {
  accountId: string;
  host: string;
  port: number;
  tls: boolean;
  nick: string;
  username: string;
  realname: string;
  password: string | undefined;
  channels: string[];
  sasl: { username: string; password: string } | undefined;
  nickserv: { service: string; password: string; registerEmail: string | undefined } | undefined;
  textChunkLimit: number;
  messagesPerSecond: number;
  allowNameMatching: boolean;
}

function readSecretFile(path: string): string {
  const info = Deno.lstatSync(path);
  // The reference requires a regular file: a symlink could point a secret read anywhere.
  if (!info.isFile) throw new Error(`${path} is not a regular file`);
  return Deno.readTextFileSync(path).trim();
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  return !/^(0|false|no|off)$/i.test(value.trim());
}

/**
 * Resolves an account's settings. The IRC_* environment variables fill only the default
 * account, as in the reference. Throws a {@link ChannelError} naming the missing key.
 */
export function ircSettings(account: AccountEntry<IrcAccountConfig>, env: EnvSnapshot): IrcSettings {
  const s = account.settings;
  const e: EnvSnapshot = account.accountId === DEFAULT_ACCOUNT_ID ? env : {};
  const key = (name: string) =>
    account.accountId === DEFAULT_ACCOUNT_ID
      ? `channels.irc.${name}`
      : `channels.irc.accounts.${account.accountId}.${name}`;
  const secret = (value: SecretInput | undefined, name: string) =>
    resolveSecretInput(value, { key: key(name), env, readSecretFile });
  const host = s.host ?? e.IRC_HOST;
  const nick = s.nick ?? e.IRC_NICK;
  if (!host) throw new ChannelError("invalid", `IRC account ${account.accountId} has no server: set ${key("host")}`);
  if (!nick) throw new ChannelError("invalid", `IRC account ${account.accountId} has no nick: set ${key("nick")}`);
  const tls = s.tls ?? flag(e.IRC_TLS) ?? true;
  const envPort = e.IRC_PORT ? Number(e.IRC_PORT) : undefined;
  const password = secret(s.password, "password") ??
    (typeof s.passwordFile === "string" ? readSecretFile(s.passwordFile) : undefined) ?? e.IRC_PASSWORD;
  const nickservPassword = s.nickserv?.enabled === false
    ? undefined
    : secret(s.nickserv?.password, "nickserv.password") ??
      (s.nickserv?.passwordFile ? readSecretFile(s.nickserv.passwordFile) : undefined) ?? e.IRC_NICKSERV_PASSWORD;
  const channels = s.channels ??
    (e.IRC_CHANNELS ? e.IRC_CHANNELS.split(",").map((c) => c.trim()).filter(Boolean) : []);
  return {
    accountId: account.accountId,
    host,
    port: s.port ?? envPort ?? (tls ? 6697 : 6667),
    tls,
    nick,
    username: s.username ?? e.IRC_USERNAME ?? nick ?? "openclaw",
    realname: s.realname ?? e.IRC_REALNAME ?? "OpenClaw",
    password,
    channels,
    sasl: s.sasl
      ? { username: s.sasl.username ?? nick, password: secret(s.sasl.password, "sasl.password") ?? "" }
      : undefined,
    nickserv: nickservPassword
      ? {
        service: s.nickserv?.service ?? "NickServ",
        password: nickservPassword,
        registerEmail: s.nickserv?.register ? s.nickserv.registerEmail ?? e.IRC_NICKSERV_REGISTER_EMAIL : undefined,
      }
      : undefined,
    textChunkLimit: s.textChunkLimit ?? 350,
    messagesPerSecond: s.messagesPerSecond ?? 2,
    allowNameMatching: s.dangerouslyAllowNameMatching === true,
  };
}
