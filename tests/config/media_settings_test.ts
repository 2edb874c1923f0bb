import assert from "node:assert/strict";
import { channelMediaMaxBytes, mediaMaxBytes, mediaTtlMs } from "../../src/config/media_settings.ts";

Deno.test("media settings: agents.defaults.mediaMaxMb (20 MB unless set), a channel's mediaMaxMb, attachments.ttlHours", () => {
  assert.equal(mediaMaxBytes({}), 20 * 1024 * 1024);
  assert.equal(mediaMaxBytes({ agents: { defaults: { mediaMaxMb: 5 } } }), 5 * 1024 * 1024);
  assert.equal(mediaMaxBytes({ agents: { defaults: { mediaMaxMb: -1 } } } as never), 20 * 1024 * 1024);
  assert.equal(channelMediaMaxBytes(undefined, 7), 7);
  assert.equal(channelMediaMaxBytes(100, 7), 100 * 1024 * 1024);
  assert.equal(channelMediaMaxBytes("100", 7), 7);
  assert.equal(mediaTtlMs({}), undefined);
  assert.equal(mediaTtlMs({ attachments: { ttlHours: 24 } }), 86_400_000);
});
