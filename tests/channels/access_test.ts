import assert from "node:assert/strict";
import { type AccessPolicy, decideAccess, groupSenderListed } from "../../src/channels/access.ts";
import { accessPolicy } from "../../src/channels/accounts.ts";

const dm = (senderId: string, aliases: string[] = []) => ({
  peerKind: "direct" as const,
  senderId,
  senderAliases: aliases,
  groupId: undefined,
  mentioned: true,
});
const inGroup = (senderId: string, groupId: string, mentioned: boolean) => ({
  peerKind: "channel" as const,
  senderId,
  senderAliases: [],
  groupId,
  mentioned,
});

function policy(settings: Record<string, unknown>, defaults: Record<string, unknown> = {}): AccessPolicy {
  return accessPolicy(settings, defaults);
}

Deno.test("access: defaults are pairing for DMs and allowlist for groups", () => {
  const p = policy({});
  assert.equal(p.dmPolicy, "pairing");
  assert.equal(p.groupPolicy, "allowlist");
  assert.deepEqual(decideAccess(p, dm("alice!a@h"), []), { action: "pair" });
  assert.deepEqual(
    decideAccess(p, dm("alice!a@h"), ["ALICE!a@h"]),
    { action: "run" },
    "the store admits, case-insensitively",
  );
  assert.deepEqual(decideAccess(p, inGroup("alice!a@h", "#room", true), ["alice!a@h"]), {
    action: "drop",
    reason: "group-not-allowed (policy=allowlist)",
  });
  // channels.defaults applies when the account says nothing.
  assert.equal(policy({}, { dmPolicy: "disabled" }).dmPolicy, "disabled");
});

Deno.test("access: every DM policy, table-driven", () => {
  const cases: [Record<string, unknown>, string[], string][] = [
    [{ dmPolicy: "disabled", allowFrom: ["*"] }, [], "drop"],
    [{ dmPolicy: "open", allowFrom: ["*"] }, [], "run"],
    [{ dmPolicy: "allowlist", allowFrom: ["alice!a@h"] }, [], "run"],
    [{ dmPolicy: "allowlist", allowFrom: ["bob!b@h"] }, ["alice!a@h"], "drop"], // the store never widens an allowlist
    [{ dmPolicy: "pairing", allowFrom: ["alice!a@h"] }, [], "run"],
    [{ dmPolicy: "pairing" }, ["bob!b@h"], "pair"],
  ];
  for (const [settings, paired, expected] of cases) {
    assert.equal(decideAccess(policy(settings), dm("alice!a@h"), paired).action, expected, JSON.stringify(settings));
  }
  // A bare nick matches only through an alias (dangerouslyAllowNameMatching).
  const byNick = policy({ dmPolicy: "allowlist", allowFrom: ["alice"] });
  assert.equal(decideAccess(byNick, dm("alice!a@h"), []).action, "drop");
  assert.equal(decideAccess(byNick, dm("alice!a@h", ["alice"]), []).action, "run");
});

Deno.test("access: groups need an allowed group, an allowed sender and a mention", () => {
  const p = policy({
    groups: { "#room": { allowFrom: ["*"] }, "#quiet": { allowFrom: ["*"], requireMention: false } },
  });
  assert.deepEqual(decideAccess(p, inGroup("x!y@z", "#room", false), []), {
    action: "drop",
    reason: "missing-mention",
  });
  assert.equal(decideAccess(p, inGroup("x!y@z", "#ROOM", true), []).action, "run");
  assert.equal(decideAccess(p, inGroup("x!y@z", "#quiet", false), []).action, "run");
  assert.equal(decideAccess(p, inGroup("x!y@z", "#other", true), []).action, "drop");
  const senders = policy({ groupPolicy: "open", groupAllowFrom: ["owner!o@h"] });
  assert.equal(decideAccess(senders, inGroup("owner!o@h", "#any", true), []).action, "run");
  assert.match(
    (decideAccess(senders, inGroup("x!y@z", "#any", true), ["x!y@z"]) as { reason: string }).reason,
    /group-sender-not-allowed/,
    "DM pairing approvals never grant group access",
  );
  assert.equal(decideAccess(policy({ groupPolicy: "disabled" }), inGroup("x", "#r", true), []).action, "drop");
  assert.equal(
    decideAccess(policy({ groups: { "#r": { enabled: false, allowFrom: ["*"] } } }), inGroup("x", "#r", true), [])
      .action,
    "drop",
  );
});

Deno.test("access: a group session's activation decides the mention gate over the group's requireMention", () => {
  const p = policy({
    groups: { "#room": { allowFrom: ["*"] }, "#quiet": { allowFrom: ["*"], requireMention: false } },
  });
  assert.equal(decideAccess(p, inGroup("x!y@z", "#room", false), [], "always").action, "run");
  assert.deepEqual(decideAccess(p, inGroup("x!y@z", "#quiet", false), [], "mention"), {
    action: "drop",
    reason: "missing-mention",
  });
  assert.equal(decideAccess(p, inGroup("x!y@z", "#quiet", false), [], undefined).action, "run");
  assert.equal(
    (decideAccess(p, inGroup("x!y@z", "#other", false), [], "always") as { reason: string }).reason,
    "group-not-allowed (policy=allowlist)",
    "activation never admits a group or sender the allowlists refuse",
  );
});

Deno.test("groupSenderListed: a group's list naming the sender (or '*') counts; an open group admitting everyone does not", () => {
  const member = inGroup("alice!a@host", "#room", false);
  assert.equal(groupSenderListed(policy({ groupAllowFrom: ["alice!a@host"] }), member), true);
  assert.equal(groupSenderListed(policy({ groups: { "#room": { allowFrom: ["*"] } } }), member), true);
  assert.equal(groupSenderListed(policy({ groupPolicy: "open" }), member), false, "admitted, not listed");
  assert.equal(groupSenderListed(policy({ groupAllowFrom: ["bob!b@host"] }), member), false);
  // The room's own list wins over the channel's.
  const room = policy({ groupAllowFrom: ["alice!a@host"], groups: { "#room": { allowFrom: ["bob!b@host"] } } });
  assert.equal(groupSenderListed(room, member), false);
});
