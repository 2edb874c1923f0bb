/** Scopes a shared-secret operator may hold; also the default grant when a client asks for none. */
export const OPERATOR_SCOPES = [
  "operator.admin",
  "operator.read",
  "operator.write",
  "operator.approvals",
  "operator.pairing",
  "operator.talk.secrets",
] as const;

/** Every scope the protocol names; anything else a client asks for is ignored. */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  ...OPERATOR_SCOPES,
  "operator.sessions.read",
  "operator.sessions.write",
  "operator.questions",
  "operator.talk",
]);

// What a held scope also satisfies, as the reference implies them at check time.
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  "operator.write": ["operator.read", "operator.talk", "operator.sessions.read", "operator.sessions.write"],
  "operator.read": ["operator.sessions.read"],
};

/** True when the granted scopes satisfy `required`; `operator.admin` satisfies everything. */
export function scopeSatisfied(granted: readonly string[], required: string | undefined): boolean {
  if (required === undefined) return true;
  if (granted.includes("operator.admin") || granted.includes(required)) return true;
  return granted.some((scope) => IMPLIES[scope]?.includes(required));
}
