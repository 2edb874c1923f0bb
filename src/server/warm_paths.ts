// Deno defines Headers and btoa as lazy globals: the first use loads their runtime modules. Every WebSocket upgrade
// needs both (the head's fields, the Sec-WebSocket-Accept), so the gateway loads them before it listens rather than
// making its first client wait for them after (docs/performance.md, "the first client"). An upgrade builds no
// `Request` or `Response` (http1.ts): those load with the first plain HTTP request, not at start (session 37).

/** Loads the runtime modules behind what an upgrade uses of the web platform (http1.ts, ws_handshake.ts). */
export function warmRequestPath(): void {
  // Built and dropped: constructing it is what loads its module.
  new Headers({ host: "localhost" });
  btoa("");
}
