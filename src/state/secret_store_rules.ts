// The shared secret store's input rules, as the reference applies them before any row is written: the
// name pattern, kind detection from a credential-looking suffix, redaction placeholders refused as values,
// the 64 KiB value limit, and exact allowed hosts. Pure: the CLI, the RPCs and the store share them.
import { domainToASCII } from "node:url";
import { isIP } from "node:net";

/** Names a store entry may have (the reference's `ENV_SECRET_REF_ID_RE`). */
export const STORE_NAME_RE = /^[A-Z][A-Z0-9_]{0,127}$/;
/** The largest value a store entry may hold, in UTF-8 bytes. */
export const STORE_VALUE_MAX_BYTES = 65_536;
/** A name ending like a credential defaults to kind `secret`. */
const SECRET_NAME_RE = /_?(API_KEY|TOKEN|PASSWORD|PRIVATE_KEY|SECRET)$/i;
/** Display markers that are never credential material (whole trimmed values). */
const REDACTED_VALUES = new Set([
  "__OPENCLAW_REDACTED__",
  "REDACTED",
  "xoxb-REDACTED",
  "xapp-REDACTED",
  "***",
  "[redacted]",
  "[REDACTED]",
  "<redacted>",
  "[REDACTED_PRIVATE_KEY]",
  "[REDACTED CREDENTIAL]",
]);

/** The reference's store validation codes. */
export type StoreValidationCode =
  | "SECRET_STORE_INVALID_NAME"
  | "SECRET_STORE_VALUE_TOO_LARGE"
  | "SECRET_STORE_VALUE_EMPTY"
  | "SECRET_STORE_VALUE_REDACTED"
  | "SECRET_STORE_INVALID_ALLOWED_HOST";

/** A refused store input; its message is the reference's, word for word (the CLI exits 2 on it). */
export class SecretStoreValidationError extends Error {
  /** Which rule refused the input. */
  readonly code: StoreValidationCode;
  /** Builds the error for `code` with the reference's `message`. */
  constructor(code: StoreValidationCode, message: string) {
    super(message);
    this.name = "SecretStoreValidationError";
    this.code = code;
  }
}

/** The kind a name gets when none is given: `secret` for credential-looking suffixes, else `env`. */
export function detectStoreKind(name: string): "secret" | "env" {
  return SECRET_NAME_RE.test(name) ? "secret" : "env";
}

/** Whether a value is a known redaction placeholder rather than a credential. */
export function isRedactedValue(value: string): boolean {
  return REDACTED_VALUES.has(value.trim());
}

/** Refuses a value the store must not hold: a placeholder, more than 64 KiB, or an empty secret. */
export function assertStoreValue(value: string, kind: "secret" | "env", name: string): void {
  if (isRedactedValue(value)) {
    throw new SecretStoreValidationError(
      "SECRET_STORE_VALUE_REDACTED",
      `Secret store entry "${name}" contains a redaction placeholder. Supply a real value or leave the field unchanged. Run openclaw doctor --fix to repair a store-backed Gateway token.`,
    );
  }
  if (new TextEncoder().encode(value).length > STORE_VALUE_MAX_BYTES) {
    throw new SecretStoreValidationError(
      "SECRET_STORE_VALUE_TOO_LARGE",
      `Secret store value exceeds ${STORE_VALUE_MAX_BYTES} UTF-8 bytes.`,
    );
  }
  if (kind === "secret" && value.length === 0) {
    throw new SecretStoreValidationError(
      "SECRET_STORE_VALUE_EMPTY",
      "Secret store value is empty. Secret entries require a value; check the command that produced it.",
    );
  }
}

function invalidHost(message: string): SecretStoreValidationError {
  return new SecretStoreValidationError("SECRET_STORE_INVALID_ALLOWED_HOST", message);
}

/** One exact allowed host: lowercase ASCII/punycode or an IP; no scheme, path, port or wildcard. */
export function normalizeAllowedHost(raw: string): string {
  const trimmed = raw.trim().toLowerCase().replace(/\.+$/u, "");
  if (trimmed.includes("*")) {
    throw invalidHost(`Allowed host "${raw}" cannot contain a wildcard; use one exact hostname.`);
  }
  const bare = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  if (isIP(bare)) return bare;
  if (!bare || bare.includes(":") || /[\s/?#@]/u.test(bare)) {
    throw invalidHost(`Allowed host "${raw}" must be a hostname without a scheme, path, wildcard, or port.`);
  }
  const ascii = domainToASCII(bare);
  const badLabel = (label: string) =>
    !label || label.length > 63 || label.startsWith("-") || label.endsWith("-") || !/^[a-z0-9-]+$/u.test(label);
  if (!ascii || ascii.length > 253 || ascii.split(".").some(badLabel)) {
    throw invalidHost(`Allowed host "${raw}" is not a valid hostname.`);
  }
  return ascii;
}

/** A secret's allowed hosts: at most 128, normalized, deduplicated and sorted, as the reference stores them. */
export function normalizeAllowedHosts(hosts: readonly string[]): string[] {
  if (hosts.length > 128) throw invalidHost("A secret can allow at most 128 hosts.");
  return [...new Set(hosts.map(normalizeAllowedHost))].sort();
}
