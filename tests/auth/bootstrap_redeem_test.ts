import assert from "node:assert/strict";
import {
  consumeBootstrapToken,
  fullyRedeemed,
  isMobileSetupClient,
  redeemBootstrapLeg,
  verifyBootstrapToken,
} from "../../src/auth/bootstrap_redeem.ts";
import { FULL_SETUP_PROFILE, LIMITED_SETUP_PROFILE } from "../../src/state/bootstrap_profile.ts";
import { getBootstrapToken, issueBootstrapToken, listBootstrapTokens } from "../../src/state/bootstrap_tokens.ts";
import { tempStateDb } from "../support/temp_devices.ts";

const NOW = 1_800_000_000_000;
const IOS = { id: "openclaw-ios", mode: "node", platform: "iOS 18.0", deviceFamily: "iPhone" };

function presentation(token: string, overrides: Record<string, unknown> = {}) {
  return {
    token,
    deviceId: "device-1",
    publicKey: "key-1",
    role: "node",
    scopes: [],
    client: IOS,
    now: NOW + 1000,
    ...overrides,
  };
}

Deno.test("a fresh code verifies for the phone's node connect as a handoff for node and operator", () => {
  const { db } = tempStateDb();
  const { token, expiresAtMs } = issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW);
  assert.equal(expiresAtMs, NOW + 600_000);
  const verdict = verifyBootstrapToken(db, presentation(token));
  assert.ok(verdict.ok);
  assert.deepEqual(verdict.handoff, {
    roles: ["node", "operator"],
    scopes: FULL_SETUP_PROFILE.scopes.toSorted(),
  });
  assert.equal(getBootstrapToken(db, token)?.deviceId, "device-1");
});

Deno.test("a code is refused once ten minutes have passed since it was issued", () => {
  const { db } = tempStateDb();
  const { token } = issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW);
  assert.equal(verifyBootstrapToken(db, presentation(token, { now: NOW + 600_000 })).ok, true);
  assert.equal(verifyBootstrapToken(db, presentation(token, { now: NOW + 600_001 })).ok, false);
});

Deno.test("issuing prunes expired codes, as the reference does", () => {
  const { db } = tempStateDb();
  issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW);
  const { token } = issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW + 600_001);
  assert.deepEqual(listBootstrapTokens(db).map((row) => row.token), [token]);
});

Deno.test("a consumed code is refused to the same and to another device (single use)", () => {
  const { db } = tempStateDb();
  const { token } = issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW);
  const verdict = verifyBootstrapToken(db, presentation(token));
  assert.ok(verdict.ok);
  const outcome = consumeBootstrapToken(db, verdict.row, { deviceId: "device-1", now: NOW + 2000 });
  assert.equal(verifyBootstrapToken(db, presentation(token)).ok, false);
  assert.equal(verifyBootstrapToken(db, presentation(token, { deviceId: "device-2", publicKey: "key-2" })).ok, false);
  // Recorded as the reference records it before hello-ok is sent: uncertain until confirmed.
  const completion = db.prepare("SELECT setup_id, access, delivery_state FROM device_pair_setup_completions").get();
  assert.deepEqual({ ...completion }, { setup_id: outcome?.setupId, access: "full", delivery_state: "uncertain" });
});

Deno.test("a code bound to one device is refused to another", () => {
  const { db } = tempStateDb();
  const { token } = issueBootstrapToken(db, FULL_SETUP_PROFILE, NOW);
  assert.equal(verifyBootstrapToken(db, presentation(token)).ok, true);
  assert.equal(verifyBootstrapToken(db, presentation(token, { deviceId: "device-2", publicKey: "key-2" })).ok, false);
});

Deno.test("scopes beyond the code's profile are refused; a limited code never grants admin", () => {
  const { db } = tempStateDb();
  const { token } = issueBootstrapToken(db, LIMITED_SETUP_PROFILE, NOW);
  const asked = { role: "operator", scopes: ["operator.admin"], client: { ...IOS, mode: "ui" } };
  assert.equal(verifyBootstrapToken(db, presentation(token, asked)).ok, false);
  const fine = verifyBootstrapToken(db, presentation(token, { ...asked, scopes: ["operator.read"] }));
  assert.ok(fine.ok);
  assert.equal(fine.handoff, undefined);
});

Deno.test("an operator client's leg is recorded and the code stays until every role was redeemed", () => {
  const { db } = tempStateDb();
  const { token } = issueBootstrapToken(db, LIMITED_SETUP_PROFILE, NOW);
  const operator = { role: "operator", scopes: ["operator.read", "operator.write"], client: { ...IOS, mode: "ui" } };
  const verdict = verifyBootstrapToken(db, presentation(token, operator));
  assert.ok(verdict.ok);
  redeemBootstrapLeg(db, verdict.row, { role: "operator", scopes: operator.scopes, now: NOW + 2000 });
  assert.deepEqual(getBootstrapToken(db, token)?.redeemedProfile, {
    roles: ["operator"],
    scopes: ["operator.read", "operator.write"],
  });
  // The node leg alone leaves operator scopes of the code unredeemed (approvals, questions, …).
  redeemBootstrapLeg(db, verdict.row, { role: "node", scopes: [], now: NOW + 3000 });
  assert.notEqual(getBootstrapToken(db, token), undefined);
  const outcome = redeemBootstrapLeg(db, verdict.row, {
    role: "operator",
    scopes: LIMITED_SETUP_PROFILE.scopes,
    now: NOW + 4000,
    deviceName: "Desk",
  });
  assert.equal(getBootstrapToken(db, token), undefined);
  assert.deepEqual(
    [outcome?.deviceId, outcome?.deviceName, outcome?.access, outcome?.deliveryState],
    ["device-1", "Desk", "limited", "uncertain"],
  );
});

Deno.test("fullyRedeemed() needs every issued role and its operator scopes", () => {
  assert.equal(fullyRedeemed({ roles: ["node"], scopes: [] }, LIMITED_SETUP_PROFILE), false);
  assert.equal(fullyRedeemed({ roles: ["node", "operator"], scopes: ["operator.read"] }, LIMITED_SETUP_PROFILE), false);
  assert.equal(fullyRedeemed(LIMITED_SETUP_PROFILE, LIMITED_SETUP_PROFILE), true);
});

Deno.test("isMobileSetupClient() wants the phone apps' own platform and family", () => {
  assert.equal(isMobileSetupClient(IOS), true);
  assert.equal(isMobileSetupClient({ ...IOS, deviceFamily: "Mac" }), false);
  assert.equal(
    isMobileSetupClient({ id: "openclaw-android", mode: "node", platform: "Android 15", deviceFamily: "Android" }),
    true,
  );
  assert.equal(
    isMobileSetupClient({ id: "gateway-client", mode: "node", platform: "iOS 18", deviceFamily: "iPhone" }),
    false,
  );
});
