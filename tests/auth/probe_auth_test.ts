import assert from "node:assert/strict";
import { probeDetailsAllowed } from "../../src/auth/probe_auth.ts";

const secrets = { token: "the-token", password: "the-password" };

Deno.test("probeDetailsAllowed() shows details to a direct loopback caller without credentials", () => {
  assert.equal(probeDetailsAllowed({ headers: new Headers(), remoteAddr: "127.0.0.1", secrets }), true);
});

Deno.test("probeDetailsAllowed() wants the token or the password as bearer from anyone else", () => {
  const check = (headers: HeadersInit, remoteAddr = "203.0.113.9") =>
    probeDetailsAllowed({ headers: new Headers(headers), remoteAddr, secrets });
  assert.equal(check({}), false);
  assert.equal(check({ authorization: "Bearer the-token" }), true);
  assert.equal(check({ authorization: "bearer the-password" }), true);
  assert.equal(check({ authorization: "Bearer wrong" }), false);
  assert.equal(check({ authorization: "Basic the-token" }), false);
  // Proxy headers make loopback an ordinary caller.
  assert.equal(check({ "x-forwarded-for": "203.0.113.9" }, "127.0.0.1"), false);
  assert.equal(check({ "x-forwarded-for": "203.0.113.9", authorization: "Bearer the-token" }, "127.0.0.1"), true);
});

Deno.test("probeDetailsAllowed() never matches an unset secret", () => {
  const none = { token: undefined, password: undefined };
  const headers = new Headers({ authorization: "Bearer anything" });
  assert.equal(probeDetailsAllowed({ headers, remoteAddr: "203.0.113.9", secrets: none }), false);
});
