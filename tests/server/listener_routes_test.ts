import assert from "node:assert/strict";
import type { ConnectionHandlers } from "../../src/protocol/connection.ts";
import type { UpgradeAccepted, UpgradeAnswer, Upgrader } from "../../src/server/http1.ts";
import { listenerHandlers, type ListenerRoutes } from "../../src/server/listener_routes.ts";
import type { SocketUpgrade } from "../../src/server/socket_adapter.ts";
import type { ServerWebSocket } from "../../src/server/websocket.ts";

const handlers: ConnectionHandlers = {
  connect: () => Promise.reject(new Error("unused")),
  request: () => Promise.resolve(),
  closed: () => {},
};
const upgrade: Upgrader = () => {
  throw new TypeError("the socket adapter is faked here");
};
/** What the faked socket adapter answers when it accepts. */
const ACCEPTED: UpgradeAccepted = { socket: {} as ServerWebSocket };

/** The refusal an answer is; an accepted upgrade fails the test. */
function refused(answer: UpgradeAnswer): Response {
  assert.ok(answer instanceof Response, "the upgrade was accepted");
  return answer;
}

/** Routes where a proxied request (any `x-forwarded-for`) cannot be attributed, as from an untrusted proxy. */
function routes(overrides: Partial<ListenerRoutes> = {}) {
  const seen = { app: [] as string[], webhook: [] as string[], accepted: [] as SocketUpgrade[] };
  const r: ListenerRoutes = {
    attribute: (request, socketAddr) => request.headers.has("x-forwarded-for") ? undefined : socketAddr,
    ready: () => true,
    webhookFor: (request) =>
      new URL(request.url).pathname === "/telegram"
        ? (hooked) => {
          seen.webhook.push(hooked.method);
          return new Response("webhook");
        }
        : undefined,
    app: {
      fetch: (request, env) => {
        seen.app.push(`${new URL(request.url).pathname} from ${env.remoteAddr}`);
        return new Response("app");
      },
    },
    sockets: {
      accept: (input) => {
        seen.accepted.push(input);
        return ACCEPTED;
      },
    },
    handlers,
    allowedOrigins: () => ["https://ui.example"],
    ...overrides,
  };
  return { handlers: listenerHandlers(r), seen };
}

const proxied = { "x-forwarded-for": "198.51.100.7" };

Deno.test("listenerHandlers() sends an attributed request to its channel webhook or to the app", async () => {
  const { handlers: h, seen } = routes();
  assert.equal(
    await (await h.http(new Request("http://gw/telegram", { method: "POST" }), "10.0.0.1")).text(),
    "webhook",
  );
  assert.equal(await (await h.http(new Request("http://gw/v1/models"), "10.0.0.1")).text(), "app");
  assert.deepEqual(seen, { app: ["/v1/models from 10.0.0.1"], webhook: ["POST"], accepted: [] });
});

Deno.test("listenerHandlers() refuses an unattributable request, webhook included, but answers liveness", async () => {
  const { handlers: h, seen } = routes();
  for (const path of ["/v1/models", "/telegram"]) {
    const response = await h.http(new Request(`http://gw${path}`, { headers: proxied }), "127.0.0.1");
    assert.equal(response.status, 403);
    assert.equal((await response.json()).error.type, "proxy_attribution_required");
  }
  assert.equal(await (await h.http(new Request("http://gw/healthz", { headers: proxied }), "127.0.0.1")).text(), "app");
  assert.deepEqual(seen, { app: ["/healthz from 127.0.0.1"], webhook: [], accepted: [] });
});

Deno.test("listenerHandlers() hands an upgrade to the socket adapter only when ready and attributed", async () => {
  let ready = false;
  const { handlers: h, seen } = routes({ ready: () => ready });
  const notReady = refused(await h.upgrade(new Request("http://gw/"), "10.0.0.1", upgrade));
  assert.equal(notReady.status, 503);
  assert.equal(notReady.headers.get("retry-after"), "1");
  assert.equal(await notReady.text(), "gateway restart in progress");
  ready = true;
  const unattributed = refused(await h.upgrade(new Request("http://gw/", { headers: proxied }), "127.0.0.1", upgrade));
  assert.equal(unattributed.status, 403);
  await unattributed.body?.cancel();
  assert.equal(await h.upgrade(new Request("http://gw/"), "10.0.0.1", upgrade), ACCEPTED);
  assert.equal(seen.accepted.length, 1);
  const accepted = seen.accepted[0]!;
  assert.deepEqual(
    { socketAddr: accepted.socketAddr, remoteAddr: accepted.remoteAddr, allowedOrigins: accepted.allowedOrigins },
    { socketAddr: "10.0.0.1", remoteAddr: "10.0.0.1", allowedOrigins: ["https://ui.example"] },
  );
  assert.equal(accepted.handlers, handlers);
});
