// Where an account's files live on disk, decided from the config alone: the canonical account id (the
// reference's `normalizeAccountId`, so an id from a request or a flag never names a path) and a WhatsApp
// account's credentials directory. The channel, the gateway and the CLI's offline `channels list` read
// these rules from here, so they agree on them.

import { type EnvSnapshot, expandHome, resolveHome } from "./paths.ts";

/** The names an account id may not take (they would reach an object's prototype). */
const RESERVED_IDS = ["__proto__", "constructor", "prototype"];

/**
 * An account id as the reference makes it canonical: lower case, runs of anything but `a-z0-9_-` turned into
 * one `-` and trimmed from the ends, at most 64 characters; `""` when nothing usable is left (or a reserved name).
 */
export function canonicalAccountId(raw: string): string {
  const trimmed = raw.trim();
  const lower = trimmed.toLowerCase();
  const canonical = /^[a-z0-9][a-z0-9_-]{0,63}$/i.test(trimmed)
    ? lower
    : lower.replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").replace(/-+$/, "").slice(0, 64);
  return RESERVED_IDS.includes(canonical) ? "" : canonical;
}

/** The reference's credentials directory: `OPENCLAW_OAUTH_DIR`, else `<state>/credentials`. */
export function credentialsDir(stateDir: string, env: EnvSnapshot): string {
  const override = env.OPENCLAW_OAUTH_DIR?.trim();
  return override ? expandHome(override, resolveHome(env)) : `${stateDir}/credentials`;
}

/**
 * A WhatsApp account's auth directory: its `authDir` setting, else `<credentials>/whatsapp/<accountId>` with the
 * id canonical (`default` when nothing is left), so an id from a request (`../..`) never names a directory outside.
 */
export function resolveAuthDir(
  options: { stateDir: string; env: EnvSnapshot; accountId: string; authDir?: string | undefined },
): string {
  const configured = options.authDir?.trim();
  if (configured) return expandHome(configured, resolveHome(options.env));
  const id = canonicalAccountId(options.accountId) || "default";
  return `${credentialsDir(options.stateDir, options.env)}/whatsapp/${id}`;
}
