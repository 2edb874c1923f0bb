import assert from "node:assert/strict";
import {
  applyBindings,
  describeBinding,
  parseBindingSpecs,
  removeBindings,
  routeBindings,
} from "../../src/config/agent_bindings.ts";
import { chatChannelId } from "../../src/config/chat_channels.ts";

Deno.test("--bind specs: channel aliases, explicit and wildcard accounts, the reference's refusals", () => {
  assert.equal(chatChannelId("Teams"), "msteams");
  const parsed = parseBindingSpecs({}, "work", ["telegram:ops", "irc", "discord:*", "nope:x", "slack:", "a:b:c"]);
  assert.deepEqual(parsed.bindings.map((b) => b.match), [
    { channel: "telegram", accountId: "ops" },
    { channel: "irc" },
    { channel: "discord", accountId: "*" },
  ]);
  assert.deepEqual(parsed.errors, [
    'Unknown channel "nope". Run `openclaw channels list --all` to see configured and installable channels.',
    'Invalid binding "slack:". Account id is empty. Use <channel>:<account>, for example telegram:default.',
    'Invalid binding "a:b:c". Account id cannot contain ":". Use <channel>:<account>, for example telegram:default.',
  ]);
  const twoAccounts = { channels: { telegram: { accounts: { a: {}, b: {} } } } };
  assert.deepEqual(parseBindingSpecs(twoAccounts, "w", ["telegram"]).bindings[0]!.match, {
    channel: "telegram",
    accountId: "*",
  });
});

Deno.test("bind: adds, skips its own, refuses another agent's, upgrades its channel-only binding in place", () => {
  const spec = (agent: string, ...specs: string[]) => parseBindingSpecs({}, agent, specs).bindings;
  const first = applyBindings(
    { bindings: [{ type: "acp", agentId: "x", match: { channel: "c" } }] },
    spec("work", "irc"),
  );
  assert.deepEqual(first.added.map(describeBinding), ["irc"]);
  const upgraded = applyBindings(first.tree, spec("work", "irc:libera"));
  assert.deepEqual(upgraded.updated.map(describeBinding), ["irc accountId=libera"]);
  assert.deepEqual(routeBindings(upgraded.tree).map((b) => b.match), [{ channel: "irc", accountId: "libera" }]);
  assert.deepEqual((upgraded.tree.bindings as unknown[]).length, 2, "non-route bindings are kept, last");
  const again = applyBindings(upgraded.tree, spec("work", "irc:libera"));
  assert.deepEqual([again.skipped.length, again.tree === upgraded.tree], [1, true]);
  const taken = applyBindings(upgraded.tree, spec("main", "irc:libera"));
  assert.deepEqual(taken.conflicts.map((c) => c.existingAgentId), ["work"]);
  assert.equal(taken.tree, upgraded.tree, "a conflict changes nothing");
  const bare = applyBindings(upgraded.tree, spec("main", "irc"));
  assert.deepEqual(bare.added.map(describeBinding), ["irc"], "the default account is another key than libera");
});

Deno.test("unbind: removes its own, reports missing and another agent's; the key goes with the last binding", () => {
  const tree = applyBindings({}, parseBindingSpecs({}, "work", ["telegram:ops"]).bindings).tree;
  const other = removeBindings(tree, parseBindingSpecs({}, "main", ["telegram:ops", "irc"]).bindings);
  assert.deepEqual([other.removed.length, other.missing.map(describeBinding)], [0, ["irc"]]);
  assert.deepEqual(other.conflicts.map((c) => c.existingAgentId), ["work"]);
  const done = removeBindings(tree, parseBindingSpecs({}, "work", ["telegram:ops"]).bindings);
  assert.deepEqual(done.removed.map(describeBinding), ["telegram accountId=ops"]);
  assert.equal("bindings" in done.tree, false);
});
