// URLs that can carry a credential (`https://user:pass@host`, `?api_key=…`, a Telegram bot token in
// the path) at the config places the reference treats so (`*.baseUrl`, `mcp.servers.<name>.url`, …):
// `config.get` and `openclaw config get` hide such a value whole, as the reference does, and the
// marker they print there writes the stored URL back.
import { isJsonObject } from "../log/json_object.ts";
import type { PathToken } from "./config_path.ts";
import type { ConfigPath } from "./sensitive.ts";

/** Query parameter names (lower case, `-` as `_`) that carry a credential, as the reference lists them. */
const SECRET_QUERY_NAMES = new Set([
  "token",
  "key",
  "api_key",
  "apikey",
  "secret",
  "access_token",
  "auth_token",
  "password",
  "pass",
  "passwd",
  "auth",
  "jwt",
  "session",
  "id_token",
  "code",
  "client_secret",
  "app_secret",
  "hook_token",
  "refresh_token",
  "signature",
  "x_amz_signature",
  "x_amz_security_token",
  "private_key",
  "credential",
  "authorization",
  "sig",
  "x_api_key",
  "x_access_token",
  "x_auth_token",
]);
const SCOPED_TOKEN_NAME = /(?:^|_)token(?:_[a-f0-9]{16,})?$/;
const TELEGRAM_BOT_PATH = /\/bot\d{6,}(?::|%3[aA])[A-Za-z0-9_-]{20,}(?=\/|$)/;

/** True for a config place whose URL may embed a credential (the reference's list). */
export function isSecretUrlPlace(path: readonly PathToken[]): boolean {
  const last = path.at(-1);
  if (last === "baseUrl" || last === "httpUrl" || last === "cdpUrl") return true;
  const dotted = path.map(String).join(".");
  return dotted.endsWith(".request.proxy.url") || /^(?:nodeHost\.)?mcp\.servers\.[^.]+\.url$/.test(dotted);
}

function secretQueryName(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    return true; // an undecodable name may hide anything: the reference hides it too
  }
  return isSecretParamName(decoded.toLowerCase().replaceAll("-", "_"));
}

/**
 * Whether a query or form parameter name, already decoded, lower-cased and with `-` as `_`, carries a
 * credential: the reference's list, or a `token` name with an optional hex scope suffix.
 */
export function isSecretParamName(normalized: string): boolean {
  return SECRET_QUERY_NAMES.has(normalized) || SCOPED_TOKEN_NAME.test(normalized);
}

/** True when a URL carries a credential: user info, a credential-named query parameter, or a bot token path. */
export function urlCarriesSecret(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password || TELEGRAM_BOT_PATH.test(url.pathname)) return true;
  return [...url.searchParams.keys()].some(secretQueryName);
}

/**
 * `value` with its user info, credential-named query values and a bot token path shown as `***`,
 * as the reference prints a gateway URL in a diagnostic; unparsable or clean values unchanged.
 */
export function redactUrlSecrets(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  let changed = false;
  const path = url.pathname.replace(new RegExp(TELEGRAM_BOT_PATH, "g"), "/bot***");
  if (path !== url.pathname) {
    url.pathname = path;
    changed = true;
  }
  if (url.username || url.password) {
    url.username = url.username ? "***" : "";
    url.password = url.password ? "***" : "";
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (secretQueryName(key)) {
      url.searchParams.set(key, "***");
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

/** Each credential-bearing URL at a {@link isSecretUrlPlace}, with its path: what a redacted config hides whole. */
export function secretUrls(
  value: unknown,
  path: PathToken[] = [],
  out: { path: ConfigPath; value: string }[] = [],
): { path: ConfigPath; value: string }[] {
  if (typeof value === "string") {
    if (isSecretUrlPlace(path) && urlCarriesSecret(value)) out.push({ path, value });
  } else if (Array.isArray(value)) value.forEach((item, i) => secretUrls(item, [...path, i], out));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) secretUrls(child, [...path, key], out);
  }
  return out;
}
