// `read` of an env file (`.env`, `.env.local`, `prod.env`) masks the secrets in it, as the
// reference does: values of credential-named keys become `***`, well-known token shapes keep only
// their ends, and passwords in URLs are hidden. The model learns which keys exist, not their values.
import { maskSecret } from "../log/redact.ts";

const ENV_FILE = /(?:^|[/\\])(?:\.env(?:\.[^/\\]+)?|[^/\\]+\.env)$/i;
const CREDENTIAL_ASSIGNMENT =
  /\b([A-Za-z0-9_.-]*(?:token|password|passwd|secret|api_?key|private_?key|authorization|cookie|credentials?))(\s*[=:]\s*)(["']?)([^\s"'\n]+)/gi;
const TOKEN_SHAPE = /\b(?:sk|xox[abp]|ghp|gho|github_pat)[-_][A-Za-z0-9_-]{16,}/g;
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:)([^@\s/]{1,256})(?=@)/gi;

/** Whether `path` names an env file. */
export function isEnvFile(path: string): boolean {
  return ENV_FILE.test(path);
}

/** The env file text with its secrets masked. */
export function redactEnvText(text: string): string {
  return text
    .replace(CREDENTIAL_ASSIGNMENT, (_match, key: string, sep: string, quote: string) => `${key}${sep}${quote}***`)
    .replace(TOKEN_SHAPE, (token) => maskSecret(token))
    .replace(URL_PASSWORD, (_match, prefix: string) => `${prefix}***`);
}
