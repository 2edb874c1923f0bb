// A GET that connects only to addresses already checked: node's http client takes a `lookup`
// that answers with those addresses, so a DNS answer that changes between the SSRF check and the
// connection (rebinding) cannot redirect it. TLS still verifies the certificate for the host name.
// Deno's own fetch re-resolves the name and takes no resolver, hence node:http here.
import { request as httpRequest, type RequestOptions } from "node:http";
import { request as httpsRequest } from "node:https";
import { Readable } from "node:stream";

/** A resolved address, as node's lookup reports it. */
export interface PinnedAddress {
  address: string;
  family: number;
}

type LookupCallback = (error: Error | null, address: string | PinnedAddress[], family?: number) => void;

/** Responses that may not carry a body (the Response constructor refuses one). */
const NULL_BODY = new Set([204, 205, 304]);

/** GETs (or, with `method` and `body`, POSTs) `url` over a connection to one of `addresses`; the redirect is the caller's to follow. */
export function pinnedFetch(
  url: URL,
  init: {
    headers: Record<string, string>;
    signal: AbortSignal;
    addresses: readonly PinnedAddress[];
    method?: string;
    body?: string;
  },
): Promise<Response> {
  const lookup = (_host: string, options: unknown, callback: LookupCallback) => {
    const all = typeof options === "object" && options !== null && (options as { all?: boolean }).all === true;
    const first = init.addresses[0]!;
    if (all) callback(null, [...init.addresses]);
    else callback(null, first.address, first.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  const options = {
    method: init.method ?? "GET",
    headers: init.headers,
    signal: init.signal,
    lookup,
    agent: false,
  } as RequestOptions;
  return new Promise((resolve, reject) => {
    const request = send(url, options, (response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (Array.isArray(value)) { for (const item of value) headers.append(name, item); }
        else if (value !== undefined) headers.set(name, value);
      }
      const status = response.statusCode ?? 502;
      const body = NULL_BODY.has(status) ? null : Readable.toWeb(response) as ReadableStream<Uint8Array>;
      if (!body) response.resume();
      resolve(new Response(body, { status, statusText: response.statusMessage ?? "", headers }));
    });
    request.on("error", reject);
    request.end(init.body);
  });
}
