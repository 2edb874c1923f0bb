import assert from "node:assert/strict";
import { splitByLines } from "../../../src/channels/discord/lines.ts";
import { discordSettings } from "../../../src/channels/discord/settings.ts";
import { CHANNEL_KINDS } from "../../../src/channels/catalog.ts";

Deno.test("discord settings: token from config, SecretRef or DISCORD_BOT_TOKEN (default account only)", () => {
  const fromConfig = discordSettings({ accountId: "default", settings: { token: "Bot abc" } }, {});
  assert.equal(fromConfig.token, "abc");
  assert.equal(fromConfig.tokenSource, "config");
  assert.equal(fromConfig.textChunkLimit, 2000);
  assert.equal(fromConfig.maxLinesPerMessage, 17);
  assert.equal(fromConfig.suppressEmbeds, true);
  assert.equal(fromConfig.api, "https://discord.com/api");
  const ref = discordSettings(
    { accountId: "work", settings: { token: { source: "env", provider: "default", id: "WORK_TOKEN" } } },
    { WORK_TOKEN: "w" },
  );
  assert.equal(ref.token, "w");
  assert.equal(discordSettings({ accountId: "default", settings: {} }, { DISCORD_BOT_TOKEN: "e" }).tokenSource, "env");
  assert.throws(
    () => discordSettings({ accountId: "work", settings: {} }, { DISCORD_BOT_TOKEN: "e" }),
    /Discord account work has no bot token: set channels\.discord\.accounts\.work\.token$/,
  );
  assert.equal(
    discordSettings({ accountId: "default", settings: { token: "t", textChunkLimit: 5000 } }, {}).textChunkLimit,
    2000,
  );
});

Deno.test("discord settings: DISCORD_API_URL splits into origin and version; plain http only on loopback", () => {
  const local = discordSettings({ accountId: "default", settings: { token: "t" } }, {
    DISCORD_API_URL: "http://127.0.0.1:4000/api/v10/",
  });
  assert.deepEqual([local.api, local.apiVersion], ["http://127.0.0.1:4000/api", "10"]);
  assert.throws(
    () =>
      discordSettings({ accountId: "default", settings: { token: "t" } }, {
        DISCORD_API_URL: "http://example.com/api/v10",
      }),
    /must use https \(plain http is accepted only on loopback\)/,
  );
});

Deno.test("discord kind: legacy dm.* feeds the shared DM gate; targets and allow entries normalize", () => {
  const kind = CHANNEL_KINDS.find((k) => k.id === "discord")!;
  const declared = kind.declared({ discord: { token: "t", dm: { policy: "allowlist", allowFrom: ["1"] } } }, {})!;
  assert.equal(declared.accounts[0]!.settings.dmPolicy, "allowlist");
  assert.deepEqual(declared.accounts[0]!.settings.allowFrom, ["1"]);
  assert.equal(kind.dmTarget("42"), "user:42");
  assert.equal(kind.pairingIdLine("42"), "Your Discord user id: 42");
  assert.deepEqual(["discord:1", "user:2", "<@3>", "<@!4>", " 5 "].map(kind.normalizeAllowEntry), [
    "1",
    "2",
    "3",
    "4",
    "5",
  ]);
  // No section, no accounts; DISCORD_BOT_TOKEN alone starts nothing, as in the reference.
  assert.equal(kind.declared({}, { DISCORD_BOT_TOKEN: "x" }), undefined);
});

Deno.test("discord replies: maxLinesPerMessage splits tall messages and keeps code fences balanced", () => {
  assert.deepEqual(splitByLines("a\nb", 17), ["a\nb"]);
  const lines = Array.from({ length: 5 }, (_, i) => `l${i}`).join("\n");
  assert.deepEqual(splitByLines(lines, 2), ["l0\nl1", "l2\nl3", "l4"]);
  assert.deepEqual(splitByLines("```\nx\ny\n```", 2), ["```\nx\n```", "```\ny\n```"]);
  // The reopened fence keeps its language; a ``` line inside a ~~~ block is code, not a fence.
  assert.deepEqual(splitByLines("```ts\nx\ny\n```", 2), ["```ts\nx\n```", "```ts\ny\n```"]);
  assert.deepEqual(splitByLines("~~~\n```\ny\n~~~", 2), ["~~~\n```\n~~~", "~~~\ny\n~~~"]);
});

Deno.test("discord settings: mediaMaxMb (100 MB unless set); files come from DISCORD_API_URL's origin only when it is set", () => {
  const plain = discordSettings({ accountId: "default", settings: { token: "t" } }, {});
  assert.equal(plain.mediaMaxBytes, 100 * 1024 * 1024);
  assert.equal(plain.fileOrigin, undefined);
  const set = discordSettings({ accountId: "default", settings: { token: "t", mediaMaxMb: 8 } }, {
    DISCORD_API_URL: "http://127.0.0.1:4000/api/v10",
  });
  assert.equal(set.mediaMaxBytes, 8 * 1024 * 1024);
  assert.equal(set.fileOrigin, "http://127.0.0.1:4000");
});
