import assert from "node:assert/strict";
import { pausesReconnect, reconnectDelayMs } from "../../src/client/gateway_reconnect.ts";
import { GatewayRequestError, GatewayTransportError } from "../../src/client/rpc_client.ts";

Deno.test("reconnect waits 1 s, doubling to 30 s, as the reference's gateway client", () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 100].map(reconnectDelayMs), [
    1000,
    2000,
    4000,
    8000,
    16_000,
    30_000,
    30_000,
    30_000,
  ]);
});

Deno.test("a refusal retrying cannot fix pauses reconnecting; a dropped socket or a pairing to wait for does not", () => {
  const refused = (details: unknown) => new GatewayRequestError({ code: "INVALID_REQUEST", message: "no", details });
  assert.equal(pausesReconnect(refused({ code: "AUTH_TOKEN_MISMATCH" })), true);
  assert.equal(pausesReconnect(refused({ code: "PROTOCOL_MISMATCH" })), true);
  assert.equal(pausesReconnect(refused({ code: "PAIRING_REQUIRED" })), true);
  assert.equal(pausesReconnect(refused({ code: "PAIRING_REQUIRED", recommendedNextStep: "wait_then_retry" })), false);
  assert.equal(pausesReconnect(refused({ code: "PAIRING_REQUIRED", pauseReconnect: false })), false);
  assert.equal(pausesReconnect(refused({ code: "UNAVAILABLE" })), false);
  assert.equal(pausesReconnect(refused(undefined)), false);
  assert.equal(pausesReconnect(new GatewayTransportError("unreachable", "x", "connect ECONNREFUSED")), false);
});
