import assert from "node:assert/strict";
import { assistantIdentity } from "../../../src/rpc/methods/assistant_identity.ts";

Deno.test("assistant identity: config first, then IDENTITY.md, then the reference's defaults", () => {
  assert.deepEqual(assistantIdentity("main", undefined, undefined), {
    agentId: "main",
    name: "Assistant",
    nameSource: "default",
    avatar: "A",
  });
  // As the reference 2026.9.6 answered for `identity: {name: "Main Bot", emoji: "🦉"}`.
  assert.deepEqual(assistantIdentity("main", { name: "Main Bot", emoji: "🦉" }, undefined), {
    agentId: "main",
    name: "Main Bot",
    nameSource: "agent",
    avatar: "🦉",
    emoji: "🦉",
  });
  const file = assistantIdentity("main", undefined, { name: "Molty", emoji: "🦞" });
  assert.deepEqual([file.name, file.nameSource, file.avatar, file.emoji], ["Molty", "workspace", "🦞", "🦞"]);
  // The config's name wins over the file's; the file's emoji still shows.
  const mixed = assistantIdentity("main", { name: "Config" }, { name: "File", emoji: "🐙" });
  assert.deepEqual([mixed.name, mixed.emoji], ["Config", "🐙"]);
});

Deno.test("assistant identity: avatars by kind, and what is no emoji", () => {
  const remote = assistantIdentity("a", { avatar: "https://example.com/a.png", emoji: "🦉" }, undefined);
  assert.deepEqual([remote.avatar, remote.avatarSource, remote.avatarStatus, remote.emoji], [
    "https://example.com/a.png",
    "remote URL",
    "remote",
    "🦉",
  ]);
  const data = assistantIdentity("a", { avatar: "data:image/png;base64,AAAA" }, undefined);
  assert.deepEqual([data.avatarSource, data.avatarStatus], ["data:image/png;base64,...", "data"]);
  // A workspace file is not served here: the emoji stands in, else "A".
  assert.equal(assistantIdentity("a", { avatar: "avatars/me.png", emoji: "🦉" }, undefined).avatar, "🦉");
  assert.equal(assistantIdentity("a", { avatar: "avatars/me.png" }, undefined).avatar, "A");
  // ASCII text is no emoji; a long name is cut at the reference's 50 units.
  assert.equal(assistantIdentity("a", { emoji: "ok" }, undefined).emoji, undefined);
  assert.equal(assistantIdentity("a", { name: "x".repeat(80) }, undefined).name.length, 50);
});
