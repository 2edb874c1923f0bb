import assert from "node:assert/strict";
import { DurableInbound, type InboundDisposition } from "../../src/channels/durable_inbound.ts";
import type { InboundMessage } from "../../src/channels/types.ts";
import { getLogger } from "../../src/log/logger.ts";
import { openStateDb } from "../../src/state/state_db.ts";
import { FakeNetwork } from "../support/channel_side.ts";

Deno.test("durable inbound: a message's kept files and refusal survive the queue: the replay after a restart has them", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "oc-durable-media-" });
  const db = openStateDb(stateDir);
  const kind = new FakeNetwork().kind();
  const media = [{
    kind: "audio" as const,
    mimeType: "audio/ogg",
    path: `${stateDir}/media/inbound/v.ogg`,
    size: 9,
    voice: true,
  }];
  const message: InboundMessage = {
    channel: "irc",
    accountId: "default",
    messageId: "m1",
    peerKind: "direct",
    senderId: "bob!b@host",
    senderAliases: [],
    senderName: "bob",
    groupId: undefined,
    replyTo: "bob",
    text: "",
    mentioned: true,
    media,
    mediaRefused: "⚠️ File too large. Maximum size is 1MB.",
  };
  try {
    // A message that arrives while the gateway stops is kept, not answered.
    const first = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: () => Promise.resolve<InboundDisposition>("interrupted"),
      log: getLogger("test"),
    });
    await first.ready(kind, { channel: "irc", accountId: "default" }, {});
    first.drain();
    await first.receive(kind, message, { eventId: "e1", raw: { version: 1 } });
    await first.settled();
    // The next one answers it from the stored envelope, files included.
    const handled: InboundMessage[] = [];
    const second = new DurableInbound({
      open: () => Promise.resolve(db),
      handle: (_kind, kept) => (handled.push(kept), Promise.resolve<InboundDisposition>("done")),
      log: getLogger("test"),
    });
    await second.ready(kind, { channel: "irc", accountId: "default" }, {});
    await second.settled();
    assert.equal(handled.length, 1);
    assert.deepEqual(handled[0]!.media, media);
    assert.equal(handled[0]!.mediaRefused, message.mediaRefused);
  } finally {
    db.close();
    await Deno.remove(stateDir, { recursive: true });
  }
});
