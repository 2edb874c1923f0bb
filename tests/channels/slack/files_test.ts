import assert from "node:assert/strict";
import { checkedSlackUrl, keepSlackFile } from "../../../src/channels/slack/files.ts";
import type { MediaStore } from "../../../src/media/media_types.ts";

const API = "https://slack.com/api/";
const ORIGIN = "http://127.0.0.1:9";

Deno.test("slack files: the bot token goes only to Slack's hosts over https, or the API's own origin", () => {
  for (
    const ok of [
      "https://files.slack.com/files-pri/T1-F1/a.png",
      "https://x.slack-edge.com/a",
      "https://slack-files.com/a",
    ]
  ) {
    assert.equal(checkedSlackUrl(ok, API).href, ok);
  }
  assert.equal(checkedSlackUrl("http://127.0.0.1:9/files-pri/F1/a", "http://127.0.0.1:9/api/").hostname, "127.0.0.1");
  assert.throws(
    () => checkedSlackUrl("https://evil.example/slack.com", API),
    /^ChannelError: Refusing to send Slack token to non-Slack host "evil.example"/,
  );
  assert.throws(() => checkedSlackUrl("https://notslack.com/a", API), /non-Slack host "notslack.com"/);
  assert.throws(() => checkedSlackUrl("http://files.slack.com/a", API), /non-HTTPS protocol: http:/);
  assert.throws(() => checkedSlackUrl("not a url", API), /Invalid Slack file URL/);
});

Deno.test("slack files: a download is refused once it passes the size limit, not read to its end first", async () => {
  // A file whose event names no size: the limit holds on the bytes as they arrive (this body never ends).
  let pulled = 0;
  let cancelled = false;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
    cancel() {
      cancelled = true;
    },
  });
  const saved: number[] = [];
  const store: MediaStore = {
    save: (bytes) => {
      saved.push(bytes.length);
      return Promise.reject(new Error("not reached"));
    },
    read: () => Promise.reject(new Error("unused")),
    prune: () => Promise.resolve(0),
  };
  const refused = keepSlackFile(
    { id: "F1", name: "big.bin", mimetype: "application/octet-stream", size: undefined, url: `${ORIGIN}/files-pri/F1` },
    {
      botToken: "xoxb-1",
      apiUrl: `${ORIGIN}/api/`,
      store,
      maxBytes: 1024 * 1024,
      fetch: () => Promise.resolve(new Response(endless, { headers: { "content-type": "application/octet-stream" } })),
    },
  );
  await assert.rejects(refused, (error: Error) => {
    assert.equal(error.name, "MediaRefusedError");
    assert.match(error.message, /over the 1048576-byte limit/);
    return true;
  });
  assert.ok(cancelled, "the download was cancelled");
  assert.ok(pulled <= 20, `read ${pulled} chunks of 64 KiB for a 1 MiB limit`);
  assert.deepEqual(saved, []);
});
