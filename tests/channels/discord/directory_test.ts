import assert from "node:assert/strict";
import type { APIChannel } from "discord-api-types/v10";
import { ChannelDirectory } from "../../../src/channels/discord/directory.ts";

Deno.test("discord directory: only threads report a parent; a channel's parent_id is its category", async () => {
  const directory = new ChannelDirectory(() => Promise.reject(new Error("not asked")));
  const channels = [
    { id: "cat", type: 4, name: "General", guild_id: "g" },
    { id: "c1", type: 0, name: "random", guild_id: "g", parent_id: "cat" },
    { id: "t1", type: 11, name: "a thread", guild_id: "g", parent_id: "c1" },
  ] as unknown as APIChannel[];
  directory.guild({ id: "g", name: "Server", channels });
  assert.deepEqual(await directory.place("g", "c1"), {
    guildName: "Server",
    channelName: "random",
    parentId: undefined,
    parentName: undefined,
  });
  assert.deepEqual(await directory.place("g", "t1"), {
    guildName: "Server",
    channelName: "a thread",
    parentId: "c1",
    parentName: "random",
  });
});
