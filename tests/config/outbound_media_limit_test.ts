import assert from "node:assert/strict";
import { OUTBOUND_MEDIA_DEFAULT_BYTES, outboundMediaMaxBytes } from "../../src/config/outbound_media_limit.ts";

const MB = 1024 * 1024;

Deno.test("outboundMediaMaxBytes() reads the account's mediaMaxMb, then the channel's, then agents.defaults, else 5 MB", () => {
  const config = {
    agents: { defaults: { mediaMaxMb: 8 } },
    channels: { telegram: { mediaMaxMb: 50, accounts: { work: { mediaMaxMb: 2.5 } } }, discord: {} },
  };
  assert.equal(outboundMediaMaxBytes(config, "telegram", "work"), Math.floor(2.5 * MB));
  assert.equal(outboundMediaMaxBytes(config, "telegram", "default"), 50 * MB);
  assert.equal(outboundMediaMaxBytes(config, "discord", "default"), 8 * MB);
  assert.equal(outboundMediaMaxBytes({}, "irc", "default"), OUTBOUND_MEDIA_DEFAULT_BYTES);
  assert.equal(outboundMediaMaxBytes({ channels: { irc: { mediaMaxMb: -1 } } }, "irc", "default"), 5 * MB);
});
