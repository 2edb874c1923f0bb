// Deno defines Headers, Request, Response and btoa as lazy globals: the first use loads their runtime
// modules (fetch's headers and body, web streams, base64), about 10 ms of CPU. Every WebSocket upgrade
// needs all of them, so the gateway loads them before it listens rather than making its first client wait
// for them after (docs/performance.md, "the first client").

/** Loads the runtime modules behind the request and response objects an upgrade builds (http1.ts). */
export function warmRequestPath(): void {
  const hangUp = new AbortController();
  // Built and dropped: constructing them is what loads their modules.
  new Request("http://localhost/", { headers: new Headers({ host: "localhost" }), signal: hangUp.signal });
  new Response(null, { status: 204 });
  // The upgrade's Sec-WebSocket-Accept is base64 (ws_handshake.ts).
  btoa("");
}
