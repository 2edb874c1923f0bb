import assert from "node:assert/strict";
import { decideAccess } from "../../src/channels/access.ts";
import { accessPolicy } from "../../src/channels/accounts.ts";
import { slackAccessSettings } from "../../src/channels/slack_access.ts";
import type { InboundMessage } from "../../src/channels/types.ts";

const message = (over: Partial<InboundMessage>) => ({
  peerKind: "channel" as const,
  senderId: "U0ALICE",
  senderAliases: [],
  groupId: "C0GENERAL",
  mentioned: false,
  ...over,
});

Deno.test("slack access: the channels allowlist, per-channel users and requireMention through the shared gate", () => {
  const policy = accessPolicy(
    slackAccessSettings({
      allowFrom: ["U0OWNER"],
      channels: {
        C0GENERAL: { requireMention: false },
        C0TEAM: { users: ["U0BOB"] },
        C0OFF: { enabled: false },
      },
    }),
    {},
  );
  // Anyone in an allowed channel, without a mention where it says so; the DM allowlist does not apply.
  assert.deepEqual(decideAccess(policy, message({}), []), { action: "run" });
  assert.equal(decideAccess(policy, message({ groupId: "C0TEAM", mentioned: true }), []).action, "drop");
  assert.deepEqual(decideAccess(policy, message({ groupId: "C0TEAM", senderId: "U0BOB", mentioned: true }), []), {
    action: "run",
  });
  assert.deepEqual(decideAccess(policy, message({ groupId: "C0TEAM", senderId: "U0BOB" }), []), {
    action: "drop",
    reason: "missing-mention",
  });
  assert.equal(decideAccess(policy, message({ groupId: "C0OFF", mentioned: true }), []).action, "drop");
  assert.deepEqual(decideAccess(policy, message({ groupId: "C0ELSE", mentioned: true }), []), {
    action: "drop",
    reason: "group-not-allowed (policy=allowlist)",
  });
  // DMs: pairing by default; legacy dm.policy still read.
  assert.deepEqual(decideAccess(policy, message({ peerKind: "direct", groupId: undefined }), []), { action: "pair" });
  const legacy = accessPolicy(slackAccessSettings({ dm: { policy: "allowlist", allowFrom: ["U0ALICE"] } }), {});
  assert.deepEqual(decideAccess(legacy, message({ peerKind: "direct", groupId: undefined }), []), { action: "run" });
});

Deno.test("slack access: groupPolicy open admits every channel with the account's requireMention", () => {
  const open = accessPolicy(slackAccessSettings({ groupPolicy: "open", requireMention: false }), {});
  assert.deepEqual(decideAccess(open, message({ groupId: "C0ANY" }), []), { action: "run" });
  const gated = accessPolicy(slackAccessSettings({ groupPolicy: "open" }), {});
  assert.equal(decideAccess(gated, message({ groupId: "C0ANY" }), []).action, "drop");
});

Deno.test("slack access: a group DM listed in dm.groupChannels admits allowFrom senders without a mention", () => {
  const policy = accessPolicy(
    slackAccessSettings({ allowFrom: ["U0OWNER"], dm: { groupEnabled: true, groupChannels: ["channel:G0MPIM01"] } }),
    {},
  );
  const mpim = { peerKind: "group" as const, groupId: "G0MPIM01" };
  assert.deepEqual(decideAccess(policy, message({ ...mpim, senderId: "U0OWNER" }), []), { action: "run" });
  assert.equal(decideAccess(policy, message({ ...mpim, senderId: "U0ALICE", mentioned: true }), []).action, "drop");
  // Without dm.groupEnabled the id opens nothing.
  const off = accessPolicy(slackAccessSettings({ allowFrom: ["U0OWNER"], dm: { groupChannels: ["G0MPIM01"] } }), {});
  assert.equal(decideAccess(off, message({ ...mpim, senderId: "U0OWNER" }), []).action, "drop");
});
