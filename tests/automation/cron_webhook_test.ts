import assert from "node:assert/strict";
import { INVALID_WEBHOOK_URL, postCronWebhook } from "../../src/automation/cron_webhook.ts";
import { cronDeliverySettings } from "../../src/config/cron_delivery_settings.ts";

const strict = cronDeliverySettings({} as never).webhookSsrfPolicy;
const allowLoopback =
  cronDeliverySettings({ cron: { webhookSsrfPolicy: { allowedHostnames: ["127.0.0.1"] } } } as never)
    .webhookSsrfPolicy;

Deno.test("a cron webhook POSTs JSON with the bearer token to an allowed receiver", async () => {
  const received: { method: string; auth: string | null; type: string | null; body: unknown }[] = [];
  let status = 200;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (request) => {
    received.push({
      method: request.method,
      auth: request.headers.get("authorization"),
      type: request.headers.get("content-type"),
      body: await request.json(),
    });
    return new Response("ok", { status });
  });
  try {
    const to = `http://127.0.0.1:${server.addr.port}/cron`;
    await postCronWebhook({ to, payload: { jobId: "j", status: "ok" }, token: "tok", policy: allowLoopback });
    assert.deepEqual(received, [{
      method: "POST",
      auth: "Bearer tok",
      type: "application/json",
      body: { jobId: "j", status: "ok" },
    }]);
    await postCronWebhook({ to, payload: {}, policy: allowLoopback });
    assert.equal(received[1]!.auth, null, "no token, no auth header");
    status = 503;
    await assert.rejects(
      postCronWebhook({ to, payload: {}, policy: allowLoopback }),
      /Webhook request failed with HTTP 503/,
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("the strict SSRF policy refuses loopback and private targets before connecting; bad URLs are refused", async () => {
  for (const to of ["http://127.0.0.1:9/x", "http://10.0.0.1/x", "http://localhost/x", "http://[::1]/x"]) {
    await assert.rejects(
      postCronWebhook({ to, payload: {}, policy: strict }),
      /Blocked hostname or private\/internal\/special-use IP address/,
      to,
    );
  }
  await assert.rejects(
    postCronWebhook({
      to: "http://hooks.example/x",
      payload: {},
      policy: strict,
      lookup: () => Promise.resolve([{ address: "192.168.1.5", family: 4 }]),
    }),
    /Blocked: resolves to private\/internal\/special-use IP address/,
  );
  for (const to of [undefined, "ftp://x/y", "not a url", "http://user:pw@hooks.example/"]) {
    await assert.rejects(postCronWebhook({ to, payload: {}, policy: strict }), { message: INVALID_WEBHOOK_URL });
  }
});
