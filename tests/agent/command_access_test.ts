import assert from "node:assert/strict";
import { channelCommandSender, isChannelOwner } from "../../src/agent/command_access.ts";
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
  assert.deepEqual(channelCommandSender(bob, open), { isOwner: false, authorized: true, gatewayClient: false });

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
  assert.deepEqual(channelCommandSender(alice, owned), { isOwner: true, authorized: true, gatewayClient: false });
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
