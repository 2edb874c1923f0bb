import assert from "node:assert/strict";
import { AccountPool } from "../../src/channels/account_pool.ts";
import { defineChannelKind } from "../../src/channels/catalog.ts";
import type { AccountHost, ChannelAccount } from "../../src/channels/types.ts";
import type { ChannelsSection } from "../../src/config/resolve.ts";
import { getLogger } from "../../src/log/logger.ts";
import type { MediaStore } from "../../src/media/media_types.ts";

Deno.test("AccountPool: every account's host lends the gateway's media store", async () => {
  const hosts: AccountHost[] = [];
  const kind = defineChannelKind({
    id: "irc",
    label: "Fake",
    section: (channels) => channels.irc,
    hasIdentity: (settings) => typeof settings.host === "string",
    create: (account, context) => {
      hosts.push(context.host);
      const created: Partial<ChannelAccount> = {
        channel: "irc",
        accountId: account.accountId,
        start: () => {},
        stop: () => Promise.resolve(),
      };
      return Promise.resolve(created as ChannelAccount);
    },
    targetPrefixes: ["fake"],
    dmTarget: (senderId) => senderId,
    normalizeAllowEntry: (entry) => entry,
  });
  const media: MediaStore = {
    save: () => Promise.reject(new Error("unused")),
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  const pool = new AccountPool({
    env: {},
    channels: () => ({ irc: { host: "irc.invalid", nick: "bot" } }) as unknown as ChannelsSection,
    kinds: [kind],
    log: getLogger("test"),
    inbound: () => Promise.resolve(),
    ready: () => {},
    media,
  });
  await pool.reconcile();
  await pool.stop();
  assert.equal(hosts.length, 1);
  assert.equal(hosts[0]!.media, media);
});
