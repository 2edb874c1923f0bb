// The streamed `/v1` rows' yardstick (docs/performance.md, session 40): the gateway's transport with nothing
// else on it. `deno run <compile flags> tests/bench/http_floor_proxy.ts <own|serve> <port> <upstream url>`.
// Each POST is answered by relaying the upstream's streamed answer byte for byte: the request body is read, one
// fixed chat request (a 16 KB body, about the size of a run's request) goes to `<upstream>/chat/completions` over the
// gateway's own kept-alive connections (src/agent/upstream_pool.ts) for the model named in `x-openclaw-model`,
// and its body is handed on as it comes. `own` serves with the gateway's own listener (src/server/listener.ts: its
// connection registry and HTTP/1.1 server, with the default `gateway.limits`), `serve` with `Deno.serve`. No auth,
// no agent, no run, no session, no re-framing: what is left of a request's added time here is the transport's, which
// http_bench.ts reports beside the gateway's.
import { listen } from "../../src/server/listener.ts";
import { resolveConfig } from "../../src/config/resolve.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { getLogger } from "../../src/log/logger.ts";
import { UpstreamPool } from "../../src/agent/upstream_pool.ts";
import { responseOfAnswer } from "../../src/agent/upstream_answer.ts";

const [mode, portText, upstreamUrl] = Deno.args;
if ((mode !== "own" && mode !== "serve") || !portText || !upstreamUrl) {
  throw new Error("usage: http_floor_proxy.ts <own|serve> <port> <upstream url>");
}
const pool = new UpstreamPool();
const systemPrompt = "A line of guidance for the agent.\n".repeat(470);
// One headers object for every request, as the lean model keeps one: the pool keeps each request head by it.
const upstreamHeaders = { "content-type": "application/json", authorization: "Bearer floor" };

async function relay(request: Request): Promise<Response> {
  const model = (request.headers.get("x-openclaw-model") ?? "fake/m1").replace(/^fake\//, "");
  await request.arrayBuffer();
  const body = JSON.stringify({
    model,
    messages: [{ role: "system", content: systemPrompt }, { role: "user", content: "hi" }],
    stream: true,
  });
  const answer = await pool.send(`${upstreamUrl}/chat/completions`, {
    method: "POST",
    headers: upstreamHeaders,
    body,
    signal: request.signal,
  }, fetch);
  // The answer's body as the gateway hands an upstream's on when it needs a `Response` of it.
  return responseOfAnswer(answer);
}

const port = Number(portText);
if (mode === "serve") {
  Deno.serve({ hostname: "127.0.0.1", port, onListen() {} }, relay);
} else {
  // The limits a gateway runs with when `gateway.limits` is not set (the paths only complete the inputs: the limits do
  // not depend on them, and nothing is read or written there).
  const paths = resolvePaths({ env: { HOME: "/nonexistent" }, exists: () => false });
  const { limits } = resolveConfig({ paths, config: {}, env: {} });
  await listen({
    addresses: [{ host: "127.0.0.1", required: true }],
    port,
    limits,
    log: getLogger("floor"),
    handlers: { http: relay, upgrade: () => new Response(null, { status: 400 }) },
  });
}
