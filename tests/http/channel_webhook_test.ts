import assert from "node:assert/strict";
import { channelWebhook } from "../../src/http/channel_webhook.ts";

function recorder() {
  const seen: { method: string; body: string; header: string | null }[] = [];
  const webhook = async (request: Request) => {
    seen.push({ method: request.method, body: await request.text(), header: request.headers.get("x-secret") });
    return new Response("handled");
  };
  return { seen, webhook };
}

Deno.test("channelWebhook() hands the channel the body it read, with the request's headers", async () => {
  const { seen, webhook } = recorder();
  const request = new Request("http://gw/telegram", {
    method: "POST",
    headers: { "x-secret": "s" },
    body: '{"update_id":1}',
  });
  const response = await channelWebhook(webhook, request);
  assert.equal(await response.text(), "handled");
  assert.deepEqual(seen, [{ method: "POST", body: '{"update_id":1}', header: "s" }]);
});

Deno.test("channelWebhook() answers a body over 1 MiB with 413 before the channel sees it", async () => {
  const { seen, webhook } = recorder();
  const request = new Request("http://gw/telegram", { method: "POST", body: new Uint8Array(1024 * 1024 + 1) });
  const response = await channelWebhook(webhook, request);
  assert.equal(response.status, 413);
  assert.equal(response.headers.get("connection"), "close");
  await response.body?.cancel();
  assert.deepEqual(seen, []);
});

Deno.test("channelWebhook() passes a GET through untouched", async () => {
  const { seen, webhook } = recorder();
  const response = await channelWebhook(webhook, new Request("http://gw/telegram"));
  assert.equal(await response.text(), "handled");
  assert.deepEqual(seen, [{ method: "GET", body: "", header: null }]);
});
