import assert from "node:assert/strict";
import {
  accessOf,
  FULL_SETUP_PROFILE,
  LIMITED_SETUP_PROFILE,
  normalizeProfile,
  profileAllows,
  profilesEqual,
  roleScopes,
  VOICE_NODE_SETUP_PROFILE,
} from "../../src/state/bootstrap_profile.ts";

Deno.test("normalizeProfile() sorts roles, adds implied scopes and drops unknown purposes", () => {
  assert.deepEqual(
    normalizeProfile({ roles: ["operator", "node", "node"], scopes: ["operator.write"], purpose: "x" }),
    {
      roles: ["node", "operator"],
      scopes: ["operator.read", "operator.write"],
    },
  );
  assert.deepEqual(normalizeProfile(undefined), { roles: [], scopes: [] });
});

Deno.test("accessOf() labels the recorded profiles full, limited and node", () => {
  assert.equal(accessOf(FULL_SETUP_PROFILE), "full");
  assert.equal(accessOf(LIMITED_SETUP_PROFILE), "limited");
  assert.equal(accessOf(VOICE_NODE_SETUP_PROFILE), "limited");
  assert.equal(accessOf({ roles: ["node"], scopes: [] }), "node");
});

Deno.test("the recorded profile_json of a full and a limited code read back equal to ours", () => {
  const full = JSON.parse(
    '{"roles":["node","operator"],"scopes":["operator.admin","operator.approvals","operator.questions","operator.read","operator.talk.secrets","operator.write"],"purpose":"mobile-full"}',
  );
  const limited = JSON.parse(
    '{"roles":["node","operator"],"scopes":["operator.approvals","operator.questions","operator.read","operator.talk.secrets","operator.write"]}',
  );
  assert.equal(profilesEqual(full, FULL_SETUP_PROFILE), true);
  assert.equal(profilesEqual(limited, LIMITED_SETUP_PROFILE), true);
  assert.equal(profilesEqual(limited, FULL_SETUP_PROFILE), false);
});

Deno.test("roleScopes() gives a node no scope and bounds an operator by the purpose's ceiling", () => {
  assert.deepEqual(roleScopes("node", ["operator.read"], undefined), []);
  assert.deepEqual(roleScopes("operator", ["operator.admin", "operator.read"], undefined), [
    "operator.read",
    "operator.write",
  ]);
  assert.deepEqual(roleScopes("operator", ["operator.admin"], "mobile-full"), [
    "operator.admin",
    "operator.read",
    "operator.write",
  ]);
  assert.deepEqual(roleScopes("operator", ["operator.write", "operator.talk"], "voice-node"), [
    "operator.read",
    "operator.talk",
  ]);
});

Deno.test("profileAllows() checks the role and that every scope asked for is covered", () => {
  assert.equal(profileAllows(FULL_SETUP_PROFILE, "node", []), true);
  assert.equal(profileAllows(FULL_SETUP_PROFILE, "operator", ["operator.admin", "operator.pairing"]), true);
  assert.equal(profileAllows(LIMITED_SETUP_PROFILE, "operator", ["operator.admin"]), false);
  assert.equal(profileAllows(LIMITED_SETUP_PROFILE, "operator", ["operator.read", "operator.write"]), true);
  assert.equal(profileAllows({ roles: ["node"], scopes: [] }, "operator", []), false);
});
