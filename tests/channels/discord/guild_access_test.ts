import assert from "node:assert/strict";
import {
  decideGuildMessage,
  type GuildMessageFacts,
  type GuildRules,
  slugOf,
} from "../../../src/channels/discord/guild_access.ts";

const facts = (over: Partial<GuildMessageFacts> = {}): GuildMessageFacts => ({
  guildId: "g1",
  guildName: "My Server",
  channelId: "c1",
  channelName: "general",
  parentId: undefined,
  parentName: undefined,
  senderId: "u1",
  senderNames: ["alice", "Alice A"],
  roleIds: [],
  mentioned: true,
  mentionsOthers: false,
  ...over,
});
const rules = (over: Partial<GuildRules> = {}): GuildRules => ({
  groupPolicy: "allowlist",
  guilds: {},
  nameMatching: false,
  ...over,
});
const decide = (r: Partial<GuildRules>, f: Partial<GuildMessageFacts> = {}) => decideGuildMessage(rules(r), facts(f));
const run = { action: "run" };
const drop = (reason: string) => ({ action: "drop", reason });

Deno.test("discord guild gate: groupPolicy, guild allowlist by id, slug or '*'", () => {
  assert.deepEqual(decide({ groupPolicy: "disabled", guilds: { g1: {} } }), drop("group-disabled"));
  assert.deepEqual(decide({}), drop("guild-not-allowed (policy=allowlist)"));
  assert.deepEqual(decide({ groupPolicy: "open" }), run);
  assert.deepEqual(decide({ guilds: { g1: {} } }), run);
  assert.deepEqual(decide({ guilds: { "my-server": {} } }), run);
  assert.deepEqual(decide({ guilds: { other: { slug: "My Server" } } }), run);
  assert.deepEqual(decide({ guilds: { "*": {} } }), run);
  assert.equal(slugOf("#Help Desk "), "help-desk");
});

Deno.test("discord guild gate: a channel map is an allowlist; threads fall back to their parent's entry", () => {
  const guilds = { g1: { channels: { general: { enabled: true }, c9: { enabled: false } } } };
  assert.deepEqual(decide({ guilds }), run);
  assert.deepEqual(decide({ guilds }, { channelId: "c2", channelName: "random" }), drop("channel-not-allowed"));
  assert.deepEqual(decide({ guilds }, { channelId: "c9", channelName: "off" }), drop("channel-disabled"));
  // Legacy `allow: false` is honored like `enabled: false`.
  assert.deepEqual(
    decide({ guilds: { g1: { channels: { general: { allow: false } } } } }),
    drop("channel-disabled"),
  );
  assert.deepEqual(
    decide({ guilds }, { channelId: "t1", channelName: "a thread", parentId: "c1", parentName: "general" }),
    run,
  );
  assert.deepEqual(
    decide({ guilds: { g1: { channels: { general: {}, "*": { enabled: true } } } } }, {
      channelId: "c2",
      channelName: "random",
    }),
    run,
  );
});

Deno.test("discord guild gate: users OR roles narrow senders; channel entries override the guild's", () => {
  const guilds = { g1: { users: ["u2"], roles: ["r1"] } };
  assert.deepEqual(decide({ guilds }), drop("group-sender-not-allowed"));
  assert.deepEqual(decide({ guilds }, { roleIds: ["r1"] }), run);
  assert.deepEqual(decide({ guilds }, { senderId: "u2" }), run);
  assert.deepEqual(decide({ guilds: { g1: { users: ["discord:u1"] } } }), run);
  assert.deepEqual(decide({ guilds: { g1: { users: ["<@u1>"] } } }), run);
  assert.deepEqual(decide({ guilds: { g1: { users: ["u2"], channels: { general: { users: ["*"] } } } } }), run);
  // Names match only with dangerouslyAllowNameMatching.
  assert.deepEqual(decide({ guilds: { g1: { users: ["alice"] } } }), drop("group-sender-not-allowed"));
  assert.deepEqual(decide({ guilds: { g1: { users: ["alice"] } }, nameMatching: true }), run);
});

Deno.test("discord guild gate: mentions are required by default; ignoreOtherMentions drops messages for others", () => {
  assert.deepEqual(decide({ guilds: { g1: {} } }, { mentioned: false }), drop("missing-mention"));
  assert.deepEqual(decide({ guilds: { g1: { requireMention: false } } }, { mentioned: false }), run);
  assert.deepEqual(
    decide({ guilds: { g1: { requireMention: false, channels: { general: { requireMention: true } } } } }, {
      mentioned: false,
    }),
    drop("missing-mention"),
  );
  const guilds = { g1: { requireMention: false, ignoreOtherMentions: true } };
  assert.deepEqual(decide({ guilds }, { mentioned: false, mentionsOthers: true }), drop("other-mention"));
  assert.deepEqual(decide({ guilds }, { mentioned: true, mentionsOthers: true }), run);
});

Deno.test("discord guild gate: a thread is not matched by its own name, only by id or through its parent", () => {
  const guilds = { g1: { channels: { general: { enabled: true } } } };
  // A thread anyone named "general" under a channel that is not allowed stays out.
  assert.deepEqual(
    decide({ guilds }, { channelId: "t1", channelName: "general", parentId: "c2", parentName: "random" }),
    drop("channel-not-allowed"),
  );
  assert.deepEqual(
    decide({ guilds: { g1: { channels: { t1: {} } } } }, { channelId: "t1", channelName: "x", parentId: "c2" }),
    run,
  );
});
