// The start row's yardstick: a bare `Deno.serve` on the port given, nothing else. startup_bench.ts
// starts it with the gateway's flags, alternating with the gateway's starts, so "start → accepting"
// can be read against what Deno itself takes to start listening on the same machine at the same
// moment (a slow machine moves both; docs/performance.md, session 36).
const [portText] = Deno.args;
Deno.serve({ hostname: "127.0.0.1", port: Number(portText), onListen() {} }, () => new Response("ok"));
