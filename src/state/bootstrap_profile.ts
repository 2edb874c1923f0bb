// What a setup code's bootstrap token may hand to the device that redeems it, as the reference's
// `profile_json` holds it: roles, operator scopes and a closed purpose. Pure rules, no storage.

/** A bootstrap token's role/scope grant, as stored in `device_bootstrap_tokens.profile_json`. */
export interface BootstrapProfile {
  roles: string[];
  scopes: string[];
  purpose?: string | undefined;
}

/** Operator scopes any setup code may carry across the handoff. */
export const HANDOFF_OPERATOR_SCOPES: readonly string[] = [
  "operator.approvals",
  "operator.questions",
  "operator.read",
  "operator.talk.secrets",
  "operator.write",
];

/** `openclaw qr --limited` (and a full code over plain ws:// off loopback): node plus the handoff scopes. */
export const LIMITED_SETUP_PROFILE: BootstrapProfile = {
  roles: ["node", "operator"],
  scopes: [...HANDOFF_OPERATOR_SCOPES],
};

/** `openclaw qr` by default: the limited profile plus `operator.admin`. */
export const FULL_SETUP_PROFILE: BootstrapProfile = {
  roles: ["node", "operator"],
  scopes: ["operator.admin", ...HANDOFF_OPERATOR_SCOPES],
  purpose: "mobile-full",
};

/** `openclaw qr --voice-node`: node plus read and Talk access only. */
export const VOICE_NODE_SETUP_PROFILE: BootstrapProfile = {
  roles: ["node", "operator"],
  scopes: ["operator.read", "operator.talk"],
  purpose: "voice-node",
};

/** `device.pair.setupCode` with `bootstrapProfile: "node"` or a join URL: a node, no operator access. */
export const NODE_SETUP_PROFILE: BootstrapProfile = { roles: ["node"], scopes: [] };

const PURPOSES = new Set(["control-ui", "control-ui-owner", "mobile-full", "voice-node", "cloud-worker"]);

/** Scopes trimmed, deduplicated and sorted, with the scopes `admin` and `write` imply added (as the reference). */
export function normalizeScopes(scopes: readonly unknown[] | undefined): string[] {
  const out = new Set<string>();
  for (const scope of scopes ?? []) {
    if (typeof scope === "string" && scope.trim()) out.add(scope.trim());
  }
  if (out.has("operator.admin")) {
    out.add("operator.read");
    out.add("operator.write");
  } else if (out.has("operator.write")) out.add("operator.read");
  return [...out].sort();
}

/** A profile as read from storage or input: roles sorted and unique, scopes normalized, unknown purposes dropped. */
export function normalizeProfile(input: unknown): BootstrapProfile {
  const value = (input ?? {}) as { roles?: unknown; scopes?: unknown; purpose?: unknown };
  const roles = Array.isArray(value.roles)
    ? [
      ...new Set(value.roles.filter((r): r is string => typeof r === "string" && r.trim() !== "").map((r) => r.trim())),
    ]
      .sort()
    : [];
  const purpose = typeof value.purpose === "string" && PURPOSES.has(value.purpose) ? value.purpose : undefined;
  return {
    roles,
    scopes: normalizeScopes(Array.isArray(value.scopes) ? value.scopes : []),
    ...(purpose ? { purpose } : {}),
  };
}

/** Whether two profiles grant the same (after normalizing), purpose included. */
export function profilesEqual(a: unknown, b: unknown): boolean {
  const x = normalizeProfile(a);
  const y = normalizeProfile(b);
  return x.purpose === y.purpose && x.roles.join(",") === y.roles.join(",") &&
    x.scopes.join(",") === y.scopes.join(",");
}

/** The `Access:` label `openclaw qr` prints: `full`, `node` or `limited`. */
export function accessOf(profile: BootstrapProfile): "full" | "node" | "limited" {
  if (profilesEqual(profile, FULL_SETUP_PROFILE)) return "full";
  const normalized = normalizeProfile(profile);
  if (normalized.roles.join(",") === "node" && normalized.scopes.length === 0) return "node";
  return "limited";
}

function operatorCeiling(purpose: string | undefined): Set<string> {
  if (purpose === "mobile-full") return new Set(["operator.admin", ...HANDOFF_OPERATOR_SCOPES]);
  if (purpose === "voice-node") return new Set(["operator.read", "operator.talk"]);
  return new Set(HANDOFF_OPERATOR_SCOPES);
}

/** The part of `scopes` a bootstrap token of `purpose` may carry for `role`: none for a node. */
export function roleScopes(role: string, scopes: readonly string[], purpose: string | undefined): string[] {
  if (role.trim() !== "operator") return [];
  const ceiling = operatorCeiling(purpose);
  return normalizeScopes(scopes).filter((scope) => ceiling.has(scope));
}

function scopeCovered(scope: string, allowed: readonly string[]): boolean {
  if (allowed.includes(scope)) return true;
  if (!scope.startsWith("operator.")) return false;
  if (allowed.includes("operator.admin")) return true;
  return scope === "operator.read" && allowed.includes("operator.write");
}

/** Whether a profile lets a device connect as `role` asking for `scopes` (each covered by the grant). */
export function profileAllows(profile: BootstrapProfile, role: string, scopes: readonly string[]): boolean {
  if (!profile.roles.includes(role)) return false;
  const allowed = roleScopes(role, profile.scopes, profile.purpose);
  return scopes.every((scope) => scopeCovered(scope, allowed));
}
