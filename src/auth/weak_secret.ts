// Published placeholders from OpenClaw's docs and examples; people paste them and forget.
const WEAK_TOKENS = new Set(["undefined", "null", "change-me-to-a-long-random-token", "change-me-now", "changeme"]);
const WEAK_PASSWORDS = new Set([
  "undefined",
  "null",
  "change-me-to-a-strong-password",
  "change-me-now",
  "changeme",
  "password",
]);

/** True for a secret no gateway should accept: blank, a published placeholder, or `undefined`/`null`. */
export function isWeakSecret(value: string, kind: "token" | "password"): boolean {
  const normalized = value.trim().toLowerCase();
  if (normalized === "") return true;
  return (kind === "token" ? WEAK_TOKENS : WEAK_PASSWORDS).has(normalized);
}
