// Parallel brute force over HTTP and WebSocket from one address: one budget per address, shared
// by both, and parallelism buys nothing. Counts what got through within the measured window.
import assert from "node:assert/strict";
import { connectRequest } from "../support/raw_socket.ts";
import { startGateway, tempHome } from "../support/spawn_gateway.ts";

const TOKEN = "limit-token-0123456789abcdef";
const WRONG = "wrong-token-0123456789abcdef";

/** POST /tools/invoke with a bearer, from the given host. */
async function invoke(host: string, port: number, bearer: string, headers: Record<string, string> = {}) {
  const res = await fetch(`http://${host}:${port}/tools/invoke`, {
    method: "POST",
    headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ name: "agents_list" }),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

/** One WebSocket connect attempt; resolves to the error's detail code, or "ok". */
function wsAttempt(host: string, port: number, token: string, headers: Record<string, string> = {}): Promise<string> {
  // Deno's WebSocket takes headers (an Origin, a forwarded address) as a second argument.
  const ws = new WebSocket(`ws://${host}:${port}/`, { headers } as unknown as string[]);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no connect answer within 15 s")), 15_000);
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error("websocket error"));
    };
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.event === "connect.challenge") return ws.send(JSON.stringify(connectRequest({ token })));
      if (frame.type !== "res") return;
      clearTimeout(timer);
      ws.close();
      resolve(frame.ok ? "ok" : frame.error?.details?.code ?? frame.error?.code);
    };
  });
}

/** Attempts the backoff can let through in `elapsedMs`: the first, then one per 250 ms at most. */
const allowedWithin = (elapsedMs: number) => 1 + Math.ceil(elapsedMs / 250);

Deno.test("parallel wrong bearers and WebSocket connects from loopback are limited per address, across both", async () => {
  const home = await tempHome({
    gateway: { mode: "local", auth: { token: TOKEN }, trustedProxies: ["127.0.0.1"] },
  });
  const { proc, port } = await startGateway({ home: home.home });
  try {
    // HTTP: 60 parallel guesses. Before the fix every one was checked (1,422/s).
    let started = performance.now();
    const http = await Promise.all(Array.from({ length: 60 }, () => invoke("127.0.0.1", port, WRONG)));
    let elapsed = performance.now() - started;
    const checked = http.filter((r) => r.status === 401).length;
    const limited = http.filter((r) => r.status === 429);
    assert.equal(checked + limited.length, 60, JSON.stringify(http.map((r) => r.status)));
    assert.ok(checked <= allowedWithin(elapsed), `${checked} guesses checked in ${Math.round(elapsed)} ms`);
    for (const r of limited) {
      assert.deepEqual(r.body, {
        error: { message: "Too many failed authentication attempts. Please try again later.", type: "rate_limited" },
      });
      assert.ok(Number(r.retryAfter) >= 1, `Retry-After: ${r.retryAfter}`);
    }

    // Another client (the ::1 listener is another address) is not held up by this one.
    assert.equal((await invoke("[::1]", port, TOKEN)).status, 200);

    // WebSocket: 30 parallel sockets from 127.0.0.1 (inside the per-address pre-auth budget of
    // 32, which would answer the rest 503). The budget is the same one HTTP used.
    started = performance.now();
    const ws = await Promise.all(Array.from({ length: 30 }, () => wsAttempt("127.0.0.1", port, WRONG)));
    elapsed = performance.now() - started;
    const mismatches = ws.filter((code) => code === "AUTH_TOKEN_MISMATCH").length;
    assert.equal(mismatches + ws.filter((code) => code === "AUTH_RATE_LIMITED").length, 30, ws.join(","));
    assert.ok(mismatches <= allowedWithin(elapsed), `${mismatches} guesses checked in ${Math.round(elapsed)} ms`);

    // An honest client that waits for its answers gets in with the right token once the backoff
    // it was told about has passed (bounded: the backoff is capped at 5 s).
    const deadline = Date.now() + 15_000;
    let last = await invoke("127.0.0.1", port, TOKEN);
    while (last.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Number(last.retryAfter) * 1000));
      last = await invoke("127.0.0.1", port, TOKEN);
    }
    assert.equal(last.status, 200);

    // A non-loopback client (attributed through the trusted proxy) is locked out after 10
    // failures in a minute, over HTTP and WebSocket alike, even with the right token...
    const remote = { "x-forwarded-for": "203.0.113.9" };
    const remoteHttp = await Promise.all(Array.from({ length: 8 }, () => invoke("127.0.0.1", port, WRONG, remote)));
    assert.deepEqual(remoteHttp.map((r) => r.status), Array(8).fill(401));
    const remoteWs = await Promise.all(Array.from({ length: 6 }, () => wsAttempt("127.0.0.1", port, WRONG, remote)));
    assert.equal(remoteWs.filter((code) => code === "AUTH_TOKEN_MISMATCH").length, 2, remoteWs.join(","));
    assert.equal(await wsAttempt("127.0.0.1", port, TOKEN, remote), "AUTH_RATE_LIMITED");
    const locked = await invoke("127.0.0.1", port, TOKEN, remote);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.retryAfter) > 250, `Retry-After: ${locked.retryAfter}`);
    // ...while another remote client still gets in.
    assert.equal((await invoke("127.0.0.1", port, TOKEN, { "x-forwarded-for": "203.0.113.10" })).status, 200);
  } finally {
    assert.equal(await proc.stop(), 0);
    await home.cleanup();
  }
});
