import assert from "node:assert/strict";
import { channelCommandSender, commandOwnerHint, isChannelOwner } from "../../src/agent/command_access.ts";
import { decideCommand, parseChatCommand } from "../../src/agent/chat_commands.ts";
import { resolveCommands } from "../../src/config/resolve_commands.ts";

const alice = { channel: "irc", ids: ["alice!a@host", "alice"] };
const bob = { channel: "irc", ids: ["bob!b@host", "bob"] };

Deno.test("commands.ownerAllowFrom: channel:id and bare ids name the owner; a wildcard never does", () => {
  const commands = resolveCommands({ commands: { ownerAllowFrom: ["irc:alice", "telegram:42"] } } as never);
  assert.equal(isChannelOwner(alice, commands), true);
  assert.equal(isChannelOwner(bob, commands), false);
  assert.equal(isChannelOwner({ channel: "telegram", ids: ["42"] }, commands), true);
  assert.equal(isChannelOwner({ channel: "telegram", ids: ["alice"] }, commands), false, "irc:alice is not telegram");
  assert.equal(isChannelOwner(bob, resolveCommands({ commands: { ownerAllowFrom: ["*"] } } as never)), false);
  assert.equal(isChannelOwner(alice, resolveCommands({ commands: { ownerAllowFrom: ["ALICE"] } } as never)), true);
  assert.equal(isChannelOwner(alice, resolveCommands({} as never)), false, "no owner configured");
});

Deno.test("commands.allowFrom: when set it alone authorizes (channel key over '*'); unset, the channel's admission does", () => {
  const open = resolveCommands({} as never);
  const { ownerHint: _hint, ...openSender } = channelCommandSender(bob, open);
  assert.deepEqual(openSender, { isOwner: false, authorized: true, gatewayClient: false });

  const listed = resolveCommands({ commands: { allowFrom: { "*": ["carol"], irc: ["alice"] } } } as never);
  assert.equal(channelCommandSender(alice, listed).authorized, true);
  assert.equal(channelCommandSender(bob, listed).authorized, false);
  assert.equal(channelCommandSender({ channel: "irc", ids: ["carol"] }, listed).authorized, false, "irc key wins");
  assert.equal(channelCommandSender({ channel: "telegram", ids: ["carol"] }, listed).authorized, true);

  const empty = resolveCommands({ commands: { allowFrom: { irc: [] } } } as never);
  assert.equal(channelCommandSender(alice, empty).authorized, false, "an explicit empty list admits nobody");
  const wildcard = resolveCommands({ commands: { allowFrom: { irc: ["*"] } } } as never);
  assert.equal(channelCommandSender(bob, wildcard).authorized, true);
  const owned = resolveCommands({ commands: { allowFrom: { irc: [] }, ownerAllowFrom: ["irc:alice"] } } as never);
  const { ownerHint: _ownedHint, ...ownedSender } = channelCommandSender(alice, owned);
  assert.deepEqual(ownedSender, { isOwner: true, authorized: true, gatewayClient: false });
});

Deno.test("owner rules: unauthorized commands are ordinary text; /model -a and -g need the owner; /new stays open", () => {
  const commands = resolveCommands(
    { commands: { allowFrom: { irc: ["alice", "bob"] }, ownerAllowFrom: ["irc:alice"] } } as never,
  );
  const owner = channelCommandSender(alice, commands);
  const member = channelCommandSender(bob, commands);
  const stranger = channelCommandSender({ channel: "irc", ids: ["eve"] }, commands);
  const cmd = (text: string) => parseChatCommand(text)!;
  assert.equal(decideCommand(cmd("/status"), stranger).action, "ignore");
  assert.equal(decideCommand(cmd("/new"), stranger).action, "ignore");
  assert.equal(decideCommand(cmd("/new"), member).action, "run");
  assert.equal(decideCommand(cmd("/model fake/m1"), member).action, "run");
  assert.equal(decideCommand(cmd("/model fake/m1 -g"), member).action, "refuse");
  assert.equal(decideCommand(cmd("/model fake/m1 -a"), owner).action, "run");
});

Deno.test("owner-only /activation and /send: a member is told the command that makes them an owner; DMs get no activation", () => {
  const commands = resolveCommands(
    { commands: { ownerAllowFrom: ["irc:alice", "*", "telegram:*", " "] } } as never,
  );
  const member = { ...channelCommandSender(bob, commands), inGroup: true };
  const owner = { ...channelCommandSender(alice, commands), inGroup: true };
  const cmd = (text: string) => parseChatCommand(text)!;
  // The configured owners (wildcards left out) and this sender, as one JSON list quoted for a POSIX shell.
  const hint = "Ask the operator to run `openclaw config set commands.ownerAllowFrom " +
    `'["irc:alice","irc:bob!b@host"]'\` in a terminal to make this sender a command owner.`;
  for (const text of ["/activation always", "/send off"]) {
    assert.deepEqual(decideCommand(cmd(text), member), {
      action: "refuse",
      reply: `You are not authorized to use this owner-only command. ${hint}`,
    });
    assert.deepEqual(decideCommand(cmd(text), owner), { action: "run" });
  }
  // `/activation` is for groups, whoever asks; `/send` works in a DM too.
  assert.deepEqual(decideCommand(cmd("/activation always"), { ...owner, inGroup: false }), {
    action: "refuse",
    reply: "⚙️ Group activation only applies to group chats.",
  });
  assert.deepEqual(decideCommand(cmd("/send on"), { ...owner, inGroup: false }), { action: "run" });
  // A Gateway client without operator.admin is told to ask for it.
  const client = { isOwner: false, authorized: true, gatewayClient: true, inGroup: false };
  assert.deepEqual(decideCommand(cmd("/send off"), client), {
    action: "refuse",
    reply:
      "You are not authorized to use this owner-only command. Ask the operator to grant this Gateway client operator.admin access.",
  });
  // An unauthorized sender's command stays ordinary text, as every command's does here.
  const listed = resolveCommands({ commands: { allowFrom: { irc: ["alice"] } } } as never);
  assert.equal(
    decideCommand(cmd("/send off"), { ...channelCommandSender(bob, listed), inGroup: true }).action,
    "ignore",
  );
});

Deno.test("commandOwnerHint: an id already naming its channel is kept; a quote in it is escaped for the shell", () => {
  const none = resolveCommands({} as never);
  assert.match(
    commandOwnerHint({ channel: "telegram", ids: ["telegram:42"] }, none),
    /ownerAllowFrom '\["telegram:42"\]'`/,
  );
  assert.match(
    commandOwnerHint({ channel: "irc", ids: ["o'neil!u@h"] }, none),
    /ownerAllowFrom '\["irc:o'\\''neil!u@h"\]'`/,
  );
  assert.equal(
    commandOwnerHint({ channel: "irc", ids: [] }, none),
    "Ask the operator to set commands.ownerAllowFrom to your channel user id.",
  );
});
