// Secrets in a config tree, found by the schema's SENSITIVE marks as the generated shape table
// (src/config/raw_config_check_gen.ts, from the zod schema by tools/gen_config_check.ts) holds them,
// so redaction at start and in config.get needs no zod. Held to the walk over the zod schema itself
// by tests/config/sensitive_test.ts.
import { CONFIG_SHAPE, SENSITIVE_KEY_NAMES, type ShapeNode } from "./raw_config_check_gen.ts";
import { isJsonObject } from "../log/json_object.ts";

/** A key path into a config tree. */
export type ConfigPath = (string | number)[];

/** A secret found in a config tree: where, and its value. */
export interface SensitiveLeaf {
  path: ConfigPath;
  value: string;
}

/**
 * Key-name endings that mark a credential where the schema describes nothing: sections kept as
 * written (other channels, plugins, `gateway.roles`...). Declared keys follow the schema's marks
 * only, so `gateway.auth.mode: "token"` stays readable while `channels.discord.token` is hidden.
 */
export const CREDENTIAL_KEY_ENDINGS = [
  "token",
  "password",
  "passwd",
  "secret",
  "apikey",
  "api_key",
  "privatekey",
  "private_key",
  "authorization",
  "cookie",
] as const;

/** `${VAR}`: names where a secret lives (the environment), not the secret; it stays readable. */
const ENV_REFERENCE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * The reference's own names for a credential where the schema says nothing (its config redaction
 * reads them on every path): a key that contains one of these is one too, e.g. `apiKeys`,
 * `clientSecretValue`, `encrypt_key`, `serviceAccount`.
 */
const REFERENCE_CREDENTIAL_NAMES = [
  /password/i,
  /secret/i,
  /api.?key/i,
  /encrypt.?key/i,
  /private.?key/i,
  /serviceaccount(?:ref)?$/i,
];

/** Key-name endings the reference keeps readable although a pattern above matches them (counts, a file's path). */
const NOT_CREDENTIAL_ENDINGS = [
  "maxtokens",
  "maxoutputtokens",
  "maxinputtokens",
  "maxcompletiontokens",
  "contexttokens",
  "totaltokens",
  "tokencount",
  "tokenlimit",
  "tokenbudget",
  "passwordfile",
];

/** Whether a key name reads as a credential ({@link CREDENTIAL_KEY_ENDINGS}, or the reference's names). */
export function isCredentialKeyName(key: string): boolean {
  const lower = key.toLowerCase();
  if (CREDENTIAL_KEY_ENDINGS.some((ending) => lower.endsWith(ending))) return true;
  if (NOT_CREDENTIAL_ENDINGS.some((ending) => lower.endsWith(ending))) return false;
  return REFERENCE_CREDENTIAL_NAMES.some((pattern) => pattern.test(key));
}

/**
 * Whether a whole dotted config path reads as a credential's, as the reference judges paths it will not
 * echo values for (its `isSensitiveConfigPath`): a path ending in `token`, or naming a password, secret or
 * key anywhere, unless it ends in a count or file name ({@link NOT_CREDENTIAL_ENDINGS}); and any path
 * through a local service's `env`.
 */
export function isSensitiveConfigPath(path: string): boolean {
  const lower = path.toLowerCase();
  if (lower.includes("localservice.env.")) return true;
  if (NOT_CREDENTIAL_ENDINGS.some((ending) => lower.endsWith(ending))) return false;
  return /token$/i.test(path) || REFERENCE_CREDENTIAL_NAMES.some((pattern) => pattern.test(path));
}

/** A string worth hiding: not empty, and not a `${VAR}` reference (which names where a secret lives). */
export function secretString(value: unknown): value is string {
  return typeof value === "string" && value !== "" && !ENV_REFERENCE.test(value);
}

/**
 * Below a node the schema does not describe: credentials by key name. `credential` says the key this
 * value sits under reads as one: then a string there is a secret, and so is each string of a list
 * there (`apiKeys: ["a", "b"]`). The reference redacts those paths by name as well.
 */
function byKeyName(value: unknown, path: ConfigPath, out: SensitiveLeaf[], credential: boolean): void {
  if (credential && secretString(value)) out.push({ path, value });
  else if (Array.isArray(value)) value.forEach((item, i) => byKeyName(item, [...path, i], out, credential));
  else if (isJsonObject(value)) {
    for (const [key, child] of Object.entries(value)) byKeyName(child, [...path, key], out, isCredentialKeyName(key));
  }
}

/**
 * The credentials below a value the schema does not describe, by key name; the value's own key (the last in its path)
 * counts too.
 */
export function undescribed(value: unknown, path: ConfigPath, out: SensitiveLeaf[]): void {
  const key = path.at(-1);
  byKeyName(value, path, out, typeof key === "string" && isCredentialKeyName(key));
}

function walk(node: ShapeNode, value: unknown, path: ConfigPath, out: SensitiveLeaf[]): void {
  if (typeof node === "string") {
    if (node === "n") return undescribed(value, path, out);
    // A SecretRef object names where the secret lives, not the secret: it stays visible.
    if (node === "s" && secretString(value)) out.push({ path, value });
    return;
  }
  if ("o" in node) {
    if (!isJsonObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      walk(Object.hasOwn(node.o, key) ? node.o[key]! : node.c, child, [...path, key], out);
    }
  } else if ("r" in node) {
    if (!isJsonObject(value)) return;
    for (const [key, child] of Object.entries(value)) walk(node.r, child, [...path, key], out);
  } else if ("a" in node) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(node.a, item, [...path, i], out));
  } else {
    for (const option of node.u) walk(option, value, path, out);
  }
}

/** The path as one comparable string. */
export function pathKey(path: ConfigPath): string {
  return JSON.stringify(path.map(String));
}

/**
 * Every secret in a config tree (as written or resolved): values at fields the schema marks
 * sensitive, and, where the schema describes nothing, values under credential-like key names.
 * `${VAR}` references and SecretRef objects are not secrets and are not listed.
 */
export function sensitiveLeaves(value: unknown): SensitiveLeaf[] {
  const found: SensitiveLeaf[] = [];
  walk(CONFIG_SHAPE, value, [], found);
  return onePerPath(found);
}

/** The leaves, the first of each path only: a union walks each of its options, so a path can be found twice. */
export function onePerPath(found: SensitiveLeaf[]): SensitiveLeaf[] {
  const seen = new Set<string>();
  return found.filter((leaf) => {
    const key = pathKey(leaf.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The key names that hold credentials: every field the schema marks sensitive, plus
 * {@link CREDENTIAL_KEY_ENDINGS}. The log redactor masks `key: value` text by these names.
 */
export function credentialKeyNames(): string[] {
  return [...new Set([...SENSITIVE_KEY_NAMES, ...CREDENTIAL_KEY_ENDINGS])];
}
