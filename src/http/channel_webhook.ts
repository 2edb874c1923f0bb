import { readBody } from "./body.ts";

/** Largest channel webhook body (a Telegram update is a few KiB). */
const WEBHOOK_MAX_BYTES = 1024 * 1024;

/**
 * Hands a channel webhook its request with the body already read through the one capped reader:
 * a body over the cap is answered 413, one too slow 408, before the channel sees anything.
 */
export async function channelWebhook(
  webhook: (request: Request) => Response | Promise<Response>,
  request: Request,
): Promise<Response> {
  if (request.method === "GET" || request.method === "HEAD") return await webhook(request);
  const read = await readBody(request, { maxBytes: WEBHOOK_MAX_BYTES });
  if (!read.ok) {
    const [status, text] = read.reason === "too_large" ? [413, "Payload Too Large"] : [408, "Request Timeout"];
    return new Response(text, { status, headers: { connection: "close" } });
  }
  return await webhook(
    new Request(request.url, { method: request.method, headers: request.headers, body: read.bytes }),
  );
}
